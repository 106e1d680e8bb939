import { useMemo } from 'react';
import type { CaseId, StepStatus } from '../../../core/model/index.js';
import { useRunner } from '../../state/runner-store.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { ApprovalPrompt } from './ApprovalPrompt.js';
import { ManualForm } from './ManualForm.js';
import { PlaybookGraph } from './PlaybookGraph.js';
import { RunControls } from './RunControls.js';
import { RunHeader } from './RunHeader.js';
import { StepDetail } from './StepDetail.js';
import { StepList } from './StepList.js';
import { VariablesPanel } from './VariablesPanel.js';

/** One run: where it stands, what it waits for, the controls that apply, its graph, its steps and variables. */
export function RunnerView({ caseId }: { caseId: CaseId }) {
  const { run, playbook, playbookError, error, dismissError, toggleBreakpoint } = useRunner();
  // The newest record of each step id colours its node (a loop's last iteration, a retried step's last attempt).
  const statuses = useMemo(() => new Map<string, StepStatus>((run?.steps ?? []).map((s) => [s.stepId, s.status])), [run]);
  if (!run) return <p className="empty">Loading the run…</p>;
  const live = run.status === 'running' || run.status === 'paused' || run.status === 'waiting';

  return (
    <section className="runner" aria-label={`Run ${run.id}`} data-run={run.id} data-status={run.status}>
      <RunHeader run={run} />
      <RunControls run={run} />
      {error && (
        <div className="error-banner" role="alert" data-testid="runner-error" data-code={error.code}>
          <ApiErrorMessage error={error} />
          <button type="button" onClick={dismissError} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {run.wait?.kind === 'approval' && <ApprovalPrompt key={run.wait.key} wait={run.wait} />}
      {run.wait?.kind === 'manual' && <ManualForm key={run.wait.key} wait={run.wait} />}
      <div className="runner-layout">
        {playbook ? (
          <PlaybookGraph
            graph={playbook.graph}
            statuses={statuses}
            current={run.wait?.stepId ?? null}
            breakpoints={run.breakpoints}
            {...(live ? { onToggleBreakpoint: (id: string) => void toggleBreakpoint(id) } : {})}
          />
        ) : (
          <p className="muted">{playbookError ? `No graph: ${playbookError.message}` : 'Loading the graph…'}</p>
        )}
        <div className="runner-side">
          <VariablesPanel key={`${run.id}:${run.wait?.key ?? ''}:${run.wait?.kind ?? ''}`} run={run} />
          <StepList run={run} caseId={caseId} />
          <StepDetail run={run} caseId={caseId} />
        </div>
      </div>
    </section>
  );
}
