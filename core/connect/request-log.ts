// HTTP attempts folded into calls for the journal: method, path (never the query), final status, attempts,
// duration. No headers and no bodies ever reach here, so no credential can.
import type { RequestLog } from '../../connectors/sdk/index.js';

export interface CallSummary {
  method: string;
  path: string;
  status: number | null;
  error: string | null;
  attempts: number;
  durationMs: number;
}

export class CallLog {
  private calls: CallSummary[] = [];
  private open: CallSummary | undefined;
  totalCalls = 0;
  totalRetries = 0;

  readonly onRequest = (log: RequestLog): void => {
    const open = this.open;
    if (open && open.method === log.method && open.path === log.path && log.attempt > 1) {
      open.attempts++;
      open.status = log.status;
      open.error = log.error;
      open.durationMs += log.durationMs;
    } else {
      this.open = { method: log.method, path: log.path, status: log.status, error: log.error, attempts: 1, durationMs: log.durationMs };
      this.calls.push(this.open);
      this.totalCalls++;
    }
    // A 401 refreshed and sent again shows as its own call (the token request comes between).
    if (log.retryInMs !== null) this.totalRetries++;
    if (log.retryInMs === null || log.status === 401) this.open = undefined;
  };

  /** The calls since the last take, for one journal entry. */
  take(): CallSummary[] {
    const out = this.calls;
    this.calls = [];
    return out;
  }
}
