import type { CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { usePlaybooks } from '../../state/playbooks-store.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { countOf } from '../common/format.js';
import { ImportPlaybook } from './ImportPlaybook.js';

/** The playbooks Quell ships and those imported: pick one to see its graph and start a run. */
export function PlaybookLibrary({ caseId }: { caseId: CaseId }) {
  const { playbooks, picked, pick, importError, imported } = usePlaybooks();
  const navigate = useApp((s) => s.navigate);
  return (
    <section className="pane playbook-library" aria-labelledby="library-title">
      <div className="view-header">
        <h3 id="library-title">Library</h3>
        <ImportPlaybook />
      </div>
      {importError && (
        <div className="error-banner" role="alert" data-testid="import-error" data-code={importError.code}>
          <ApiErrorMessage error={importError} />
        </div>
      )}
      {imported && (
        <p role="status" className="muted" data-testid="import-result">
          Imported {imported.id} version {imported.version}
          {imported.notes > 0 && ` (${countOf(imported.notes, 'conversion note')})`}.
        </p>
      )}
      {playbooks?.length === 0 && <p className="empty">No playbooks: import one.</p>}
      <ul className="rule-list playbook-items" aria-label="Playbooks">
        {playbooks?.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className={picked?.info.id === p.id ? 'rule-item active' : 'rule-item'}
              aria-pressed={picked?.info.id === p.id}
              data-playbook={p.id}
              onClick={() => {
                void pick(p.id);
                navigate({ view: 'case', caseId, tab: 'playbooks' });
              }}
            >
              <span className="badge">{p.autonomy}</span>
              <span className="rule-title">{p.name}</span>
              <span className="rule-count">{countOf(p.steps, 'step')}</span>
              <span className="rule-sub muted">
                {p.id} v{p.version} · {p.source}
                {p.description ? ` · ${p.description}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
