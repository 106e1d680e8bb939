import type { CaseId, RunView } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { useRunner } from '../../state/runner-store.js';
import { formatTime } from '../common/format.js';
import { prettyJson } from './json.js';
import { RiskSummary } from './RiskSummary.js';
import { StatusChip } from './RunStatusChip.js';

const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/** One step record: status, attempt, times, error and risk, its input and output; a finished run replays from it. */
export function StepDetail({ run, caseId }: { run: RunView; caseId: CaseId }) {
  const selectedKey = useRunner((s) => s.selectedKey);
  const replay = useRunner((s) => s.replay);
  const busy = useRunner((s) => s.busy);
  const navigate = useApp((s) => s.navigate);
  // A step retried keeps a record per attempt: the newest is the one that counts.
  const step = [...run.steps].reverse().find((s) => s.key === selectedKey);
  if (!step) return null;

  return (
    <section className="pane step-detail" aria-label={`Step ${step.key}`}>
      <h3>
        <code>{step.key}</code> <StatusChip status={step.status} />
      </h3>
      <table className="fields">
        <tbody>
          <tr>
            <th scope="row">type</th>
            <td>{step.type}</td>
          </tr>
          <tr>
            <th scope="row">attempt</th>
            <td>{step.attempt}</td>
          </tr>
          <tr>
            <th scope="row">simulated</th>
            <td>{step.simulated ? 'yes (dry run: nothing outside was touched)' : 'no'}</td>
          </tr>
          <tr>
            <th scope="row">started</th>
            <td>{formatTime(step.startedAt)}</td>
          </tr>
          <tr>
            <th scope="row">finished</th>
            <td>{step.finishedAt ? formatTime(step.finishedAt) : '—'}</td>
          </tr>
          {step.error && (
            <tr>
              <th scope="row">error</th>
              <td className="error-text">{step.error}</td>
            </tr>
          )}
        </tbody>
      </table>
      {step.risk && <RiskSummary risk={step.risk} />}
      <h4>Input</h4>
      <pre className="raw" data-testid="step-input">
        {prettyJson(step.input)}
      </pre>
      <h4>Output</h4>
      <pre className="raw" data-testid="step-output">
        {prettyJson(step.output)}
      </pre>
      {FINISHED.has(run.status) && (
        <div className="modal-actions">
          <button
            type="button"
            disabled={busy}
            title="A new run that reuses everything recorded before this step and runs the rest again"
            onClick={async () => {
              const next = await replay(step.key);
              if (next) navigate({ view: 'case', caseId, tab: 'playbooks', run: next });
            }}
          >
            Replay from this step
          </button>
        </div>
      )}
    </section>
  );
}
