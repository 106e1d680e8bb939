import { useState } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { call } from '../../client/index.js';
import { asApiError, useApp } from '../../state/app-store.js';

/** Saves the case report as a file (Markdown or a self-contained HTML page) and says what was written. */
export function ExportReport({ caseId }: { caseId: CaseId }) {
  const client = useApp((s) => s.client);
  const reportError = useApp((s) => s.reportError);
  const [done, setDone] = useState<string | null>(null);

  const exportAs = async (format: 'markdown' | 'html') => {
    if (!client) return;
    try {
      const report = await call(client, 'report.export', { caseId, format });
      const blob = new Blob([report.text], { type: format === 'html' ? 'text/html' : 'text/markdown' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = report.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDone(`${report.fileName} · sha256 ${report.sha256.slice(0, 16)}…${report.journalOk ? ' · journal verified' : ' · the journal did NOT verify'}`);
    } catch (err) {
      reportError(asApiError(err));
    }
  };

  return (
    <div className="export-report" aria-label="Export report">
      <button type="button" onClick={() => void exportAs('markdown')}>
        Export report (Markdown)
      </button>{' '}
      <button type="button" onClick={() => void exportAs('html')}>
        Export report (HTML)
      </button>
      {done && (
        <div className="muted" role="status">
          Exported {done}
        </div>
      )}
    </div>
  );
}
