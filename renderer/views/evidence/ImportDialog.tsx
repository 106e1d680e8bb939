import { useEffect, useState, type FormEvent } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { useImport } from '../../state/import-store.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { FilePicker } from './FilePicker.js';
import { importFormats } from './formats.js';
import { ImportProgressList } from './ImportProgressList.js';
import { ImportSummaryTable } from './ImportSummaryTable.js';

/**
 * Pick or drop files, optionally force a format, import. Progress, the summary and any error stay in the import
 * slice until the dialog is closed, so closing it mid-import loses nothing: reopening shows where it got to.
 */
export function ImportDialog({ caseId }: { caseId: CaseId }) {
  const { open, phase, files: progress, result, error, close, reset, run } = useImport();
  const [picked, setPicked] = useState<File[]>([]);
  const [format, setFormat] = useState('');
  const busy = phase === 'uploading' || phase === 'importing';

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, close]);
  useEffect(() => {
    if (phase === 'picking') setPicked([]);
  }, [phase]);

  if (!open) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(caseId, picked, format);
  };

  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="import-title">
        <header className="modal-header">
          <h2 id="import-title">Import evidence</h2>
          <button type="button" className="close" aria-label="Close import" onClick={close}>
            ×
          </button>
        </header>

        {phase === 'picking' && (
          <form onSubmit={submit} aria-label="Import evidence">
            <FilePicker files={picked} onChange={setPicked} disabled={busy} />
            <label className="format-select">
              Format
              <select aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value)}>
                <option value="">Auto-detect</option>
                {importFormats.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
            </label>
            <div className="modal-actions">
              <button type="submit" disabled={picked.length === 0}>
                Import {picked.length > 0 ? `${picked.length} file${picked.length === 1 ? '' : 's'}` : ''}
              </button>
            </div>
          </form>
        )}

        {phase !== 'picking' && (phase !== 'done' || !result) && <ImportProgressList files={progress} />}

        {error && (
          <div className="error-banner" role="alert" data-code={error.code}>
            <ApiErrorMessage error={error} />
          </div>
        )}

        {phase === 'done' && result && <ImportSummaryTable result={result} files={progress} />}

        {!busy && phase !== 'picking' && (
          <div className="modal-actions">
            <button type="button" className="secondary" onClick={reset}>
              Import more files
            </button>
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        )}
        {busy && <p className="muted">Importing… you can close this window; the import carries on.</p>}
      </div>
    </div>
  );
}
