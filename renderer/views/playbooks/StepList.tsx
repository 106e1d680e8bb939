import type { CaseId, RunView } from '../../../core/model/index.js';
import { useRunner } from '../../state/runner-store.js';
import { StatusChip } from './RunStatusChip.js';

/** Every step record of the run in the order it finished (a container after its block): pick one to read it. */
export function StepList({ run }: { run: RunView; caseId: CaseId }) {
  const selectedKey = useRunner((s) => s.selectedKey);
  const select = useRunner((s) => s.select);
  return (
    <section className="pane step-list" aria-labelledby="steps-title">
      <h3 id="steps-title">Steps</h3>
      {run.steps.length === 0 && <p className="empty">No step has finished yet.</p>}
      <ol className="rule-list step-records" aria-label="Step records">
        {run.steps.map((s) => (
          <li key={s.seq}>
            <button
              type="button"
              className={s.key === selectedKey ? 'step-record active' : 'step-record'}
              aria-pressed={s.key === selectedKey}
              data-key={s.key}
              onClick={() => select(s.key === selectedKey ? null : s.key)}
            >
              <code className="step-key">{s.key}</code> <StatusChip status={s.status} />
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
