import type { CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { usePlaybooks } from '../../state/playbooks-store.js';
import { formatTime } from '../common/format.js';
import { StatusChip } from './RunStatusChip.js';

/** The case's runs, newest first, each opening the runner. */
export function RunList({ caseId, active }: { caseId: CaseId; active: string | null }) {
  const runs = usePlaybooks((s) => s.runs);
  const navigate = useApp((s) => s.navigate);
  return (
    <section className="pane run-list" aria-labelledby="runs-title">
      <h3 id="runs-title">Runs</h3>
      {runs?.length === 0 && <p className="empty">No run on this case yet.</p>}
      <ul className="rule-list" aria-label="Runs">
        {runs?.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className={r.id === active ? 'rule-item active' : 'rule-item'}
              aria-pressed={r.id === active}
              data-run={r.id}
              onClick={() => navigate({ view: 'case', caseId, tab: 'playbooks', run: r.id })}
            >
              <StatusChip status={r.status} />
              <span className="rule-title">{r.playbookName}</span>
              <span className="muted">{r.dryRun ? 'dry run' : 'live'}</span>
              <span className="rule-sub muted">
                {r.id} · {r.mode} · {formatTime(r.startedAt)}
                {r.replayOf ? ` · replay of ${r.replayOf.runId}` : ''}
                {r.outcome ? ` · ${r.outcome}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
