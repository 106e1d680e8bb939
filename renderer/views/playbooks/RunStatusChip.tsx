import type { RunStatus, StepStatus } from '../../../core/model/index.js';

/** A run's or a step's status as a coloured chip (the colours match the graph's). */
export function StatusChip({ status }: { status: RunStatus | StepStatus }) {
  return <span className={`status-chip status-${status}`}>{status}</span>;
}
