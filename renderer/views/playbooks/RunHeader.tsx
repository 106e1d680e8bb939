import type { RunView } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { countOf, formatTime } from '../common/format.js';
import { StatusChip } from './RunStatusChip.js';

const WAITING_FOR: Record<NonNullable<RunView['wait']>['kind'], string> = {
  step: 'Paused before',
  breakpoint: 'Paused at the breakpoint on',
  pause: 'Paused (asked to) before',
  approval: 'Waiting for an approval of',
  manual: 'Waiting for the form of',
  timer: 'Waiting out',
};

/** The run's name and status, what it waits for, and how it ended. */
export function RunHeader({ run }: { run: RunView }) {
  const reused = useReusedCount(run);
  return (
    <header className="run-header">
      <div className="view-header">
        <h3>
          {run.playbookName} <span className="muted">v{run.playbookVersion}</span>
        </h3>
        <span className="run-meta">
          <StatusChip status={run.status} /> <span className="muted">{run.mode} · {run.dryRun ? 'dry run' : 'live'} · {run.autonomy} · {run.id} · started {formatTime(run.startedAt)}</span>
        </span>
      </div>
      {run.replayOf && (
        <p className="muted" data-testid="replay-of">
          Replay of {run.replayOf.runId} from {run.replayOf.fromStep}
          {reused !== null && `: ${countOf(reused, 'step')} reused`}.
        </p>
      )}
      {run.wait && (
        <p role="status" data-testid="run-wait" className="run-wait">
          {WAITING_FOR[run.wait.kind]} <code>{run.wait.key}</code>
          {run.wait.deadline && ` (until ${formatTime(run.wait.deadline)})`}
        </p>
      )}
      {run.status === 'completed' && (
        <p role="status" className="run-outcome ok" data-testid="run-outcome">
          Completed{run.outcome !== null ? ` with outcome ${run.outcome}` : ''}.
        </p>
      )}
      {(run.status === 'failed' || run.status === 'cancelled' || run.status === 'interrupted') && (
        <div className="error-banner" role="alert" data-testid="run-outcome">
          <strong>
            {run.status === 'failed' ? `Failed: ${run.error ?? 'no reason recorded'}` : run.status === 'cancelled' ? 'Cancelled.' : 'Interrupted: Quell stopped while it ran; resume it to go on.'}
          </strong>
        </div>
      )}
    </header>
  );
}

/**
 * How many steps a replay took over from the run it replays. The run view does not say; the journal entry that
 * started the replay does, and the case's journal is loaded (and kept live) while its page is open.
 */
function useReusedCount(run: RunView): number | null {
  return useApp((s) => {
    const entry = s.journal[run.caseId]?.find((e) => e.action === 'playbook.run.replayed' && (e.payload as { runId?: unknown } | null)?.runId === run.id);
    const reused = (entry?.payload as { reused?: unknown } | undefined)?.reused;
    return typeof reused === 'number' ? reused : null;
  });
}
