// Scheduled pulls for the hosts (quell serve, Electron): every enabled connector with a schedule pulls into its
// case when its interval has passed since the last pull started. One pull at a time per connector; a failure is
// stored as the connector's last error (connector.list shows it) and the next tick tries again on schedule.
import type { Actor } from '../model/index.js';
import type { Router } from '../router.js';
import type { Store } from '../store/index.js';
import { listConnectorRows } from './configs.js';
import type { ConnectRuntime } from './runtime.js';

export interface SchedulerOptions {
  /** How often due connectors are looked for. Default 30 s. */
  tickMs?: number;
  /** Epoch ms. */
  now?: () => number;
  actor?: Actor;
  /** Unexpected failures of the scheduler itself (a locked database); never secrets. */
  logError?: (err: unknown) => void;
}

export interface ConnectorScheduler {
  /** Starts the pulls that are due now; resolves when they have finished. */
  tick(): Promise<void>;
  stop(): void;
}

export function startConnectorScheduler(core: { router: Router; store: Store; connect: ConnectRuntime }, options: SchedulerOptions = {}): ConnectorScheduler {
  const now = options.now ?? Date.now;
  const actor: Actor = options.actor ?? { kind: 'system', id: 'scheduler' };
  const inFlight = new Map<string, Promise<void>>();
  let stopped = false;

  const pull = async (name: string, caseId: string) => {
    const result = await core.router.invoke('connector.pull', { name, caseId }, actor);
    if (result.ok || stopped) return;
    // A pull that ran has stored its own error; one refused before starting (missing secret, case gone) is stored here.
    const message = result.error.message;
    core.store.write(() => {
      const changed = core.store.db
        .prepare("UPDATE connectors SET last_pull_at = ?, last_pull_status = 'failed', last_error = ? WHERE name = ? AND (last_error IS NOT ? OR last_pull_status IS NOT 'failed')")
        .run(new Date(now()).toISOString(), message, name, message).changes;
      if (changed) core.store.journal.append({ at: new Date(now()).toISOString(), caseId: null, actor, action: 'connector.schedule.failed', payload: { name, caseId, error: message } });
    });
  };

  const tick = async () => {
    if (stopped) return;
    const started: Promise<void>[] = [];
    for (const row of core.store.read(() => listConnectorRows(core.store))) {
      if (!row.enabled || !row.schedule || inFlight.has(row.name) || core.connect.running.has(row.name)) continue;
      const last = row.lastPull.at ? Date.parse(row.lastPull.at) : Number.NEGATIVE_INFINITY;
      if (now() - last < row.schedule.everyMinutes * 60_000) continue;
      const p = pull(row.name, row.schedule.caseId)
        .catch((err: unknown) => options.logError?.(err))
        .finally(() => inFlight.delete(row.name));
      inFlight.set(row.name, p);
      started.push(p);
    }
    await Promise.all(started);
  };

  const timer = setInterval(() => {
    tick().catch((err: unknown) => options.logError?.(err));
  }, options.tickMs ?? 30_000);
  timer.unref();
  return {
    tick,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
