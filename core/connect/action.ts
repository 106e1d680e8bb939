// connector.action: run a response action once per idempotency key. The call is recorded before it leaves (status
// `running`), its outcome after; a key already done or failed returns the stored outcome without calling the
// vendor; a pending one is polled (with backoff, up to a time limit, leaving it pending with its handle stored).
// Every step is journaled with the action's impact and the HTTP calls made (method, path, status, attempts, time).
import { createHash } from 'node:crypto';
import { QuellError, describeIssues } from '../api/errors.js';
import type { CommandOutput } from '../api/index.js';
import { abortableSleep, openConnectorContext, type ActionOutcome, type PollHandle } from '../../connectors/sdk/index.js';
import type { Actor } from '../model/index.js';
import type { Clock, IdSource } from '../runtime.js';
import { canonicalJson, type Store } from '../store/index.js';
import { requireConnectorRow, runSettings } from './configs.js';
import { connectorFailure } from './failure.js';
import { CallLog } from './request-log.js';
import type { ConnectRuntime } from './runtime.js';

export type ActionResult = CommandOutput<'connector.action'>;

export interface ActionDeps {
  store: Store;
  rt: ConnectRuntime;
  clock: Clock;
  ids: IdSource;
  actor: Actor;
}

export interface ActionInput {
  name: string;
  action: string;
  input: unknown;
  key?: string | undefined;
  caseId?: string | undefined;
  /** Overrides the runtime's poll time limit for this call. */
  waitSeconds?: number | undefined;
}

interface ActionRow {
  id: string;
  connector: string;
  vendor: string;
  idempotency_key: string;
  action: string;
  case_id: string | null;
  input: string;
  status: 'running' | 'pending' | 'done' | 'failed';
  poll: string | null;
  outcome: string | null;
  last_error: string | null;
  polls: number;
  requested_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** The key a request gets when none is given: the same connector, action and input mean the same intent. */
export function deriveIdempotencyKey(connector: string, action: string, input: unknown): string {
  return `qk-${createHash('sha256').update(canonicalJson({ connector, action, input })).digest('hex').slice(0, 32)}`;
}

export async function runConnectorAction(deps: ActionDeps, req: ActionInput): Promise<ActionResult> {
  const { store, rt, actor } = deps;
  const now = () => deps.clock.now().toISOString();
  const startedMs = deps.clock.now().getTime();
  const row = requireConnectorRow(store, req.name);
  if (!row.enabled) throw new QuellError('conflict', `Connector ${req.name} is disabled; enable it first (connector.update).`, { details: { name: req.name } });
  const { connector, settings } = runSettings(rt, row);
  const spec = connector.manifest.actions[req.action];
  if (!spec) {
    const known = Object.keys(connector.manifest.actions);
    throw new QuellError('not_found', `Connector ${req.name} (${row.vendor}) has no action ${req.action} (actions: ${known.join(', ') || 'none'}).`, {
      details: { name: req.name, action: req.action, known },
    });
  }
  const parsed = spec.input.safeParse(req.input ?? {});
  if (!parsed.success) {
    throw new QuellError('invalid_input', `Invalid input for action ${req.action} of connector ${req.name}.`, { issues: describeIssues(parsed.error, 'input') });
  }
  if (req.caseId !== undefined && !store.cases.get(req.caseId)) throw new QuellError('not_found', `No case with id ${req.caseId}.`, { details: { caseId: req.caseId } });
  const input = parsed.data as unknown;
  const key = req.key ?? deriveIdempotencyKey(req.name, req.action, input);
  const inputJson = canonicalJson(input);
  const caseId = req.caseId ?? null;
  const impact = spec.impact;

  const get = () => store.db.prepare('SELECT * FROM connector_actions WHERE connector = ? AND idempotency_key = ?').get(req.name, key) as ActionRow | undefined;
  let existing = store.read(get);
  if (existing && (existing.action !== req.action || existing.input !== inputJson)) {
    throw new QuellError(
      'conflict',
      `Idempotency key ${key} of connector ${req.name} was already used for ${existing.action} with other input; use a new key for a new request.`,
      { details: { name: req.name, key, action: existing.action } },
    );
  }
  const base = { connector: req.name, vendor: row.vendor, action: req.action, key };

  if (existing && (existing.status === 'done' || existing.status === 'failed')) {
    const stored = JSON.parse(existing.outcome!) as ActionOutcome;
    store.write(() =>
      store.journal.append({ at: now(), caseId, actor, action: 'connector.action.replayed', payload: { ...base, status: existing!.status, requestedAt: existing!.requested_at } }),
    );
    return result(existing, stored, true, 0);
  }

  const calls = new CallLog();
  let opened: ReturnType<typeof openConnectorContext>;
  try {
    opened = openConnectorContext(connector, settings, {
      name: req.name,
      onRequest: calls.onRequest,
      session: rt.session(req.name),
      ...(rt.options.http ? { http: rt.options.http } : {}),
    });
  } catch (err) {
    throw connectorFailure(err, req.name);
  }
  const sleep = rt.options.sleep ?? abortableSleep;
  try {
    let outcome: ActionOutcome;
    if (existing?.status === 'pending') {
      outcome = { status: 'pending', poll: JSON.parse(existing.poll!) as PollHandle };
    } else {
      // Recorded before it leaves: a crash after sending leaves `running`, and the retry sends the same key.
      if (!existing) {
        store.write(() => {
          store.db
            .prepare(
              `INSERT INTO connector_actions (id, connector, vendor, idempotency_key, action, case_id, input, status, requested_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
            )
            .run(deps.ids.next('act'), req.name, row.vendor, key, req.action, caseId, inputJson, now(), now());
          store.journal.append({ at: now(), caseId, actor, action: 'connector.action.requested', payload: { ...base, input, impact } });
        });
      }
      const sent = deps.clock.now().getTime();
      try {
        outcome = await connector.runAction(opened.ctx, req.action, input, key);
      } catch (err) {
        const failure = connectorFailure(err, req.name);
        store.write(() => {
          store.db.prepare('UPDATE connector_actions SET last_error = ?, updated_at = ? WHERE connector = ? AND idempotency_key = ?').run(failure.message, now(), req.name, key);
          store.journal.append({
            at: now(),
            caseId,
            actor,
            action: 'connector.action.error',
            payload: { ...base, error: failure.message, durationMs: deps.clock.now().getTime() - sent, calls: calls.take() },
          });
        });
        throw failure;
      }
      record(outcome, 'connector.action.outcome', deps.clock.now().getTime() - sent);
    }

    const limitMs = req.waitSeconds !== undefined ? req.waitSeconds * 1000 : (rt.options.pollTimeoutMs ?? 60_000);
    let wait = rt.options.pollIntervalMs ?? 1000;
    while (outcome.status === 'pending' && deps.clock.now().getTime() - startedMs + wait <= limitMs) {
      await sleep(wait);
      wait = Math.min(10_000, Math.round(wait * 1.5));
      const handle: PollHandle = outcome.poll;
      const polled = deps.clock.now().getTime();
      try {
        outcome = await connector.pollAction(opened.ctx, req.action, handle);
      } catch (err) {
        const failure = connectorFailure(err, req.name);
        store.write(() =>
          store.journal.append({ at: now(), caseId, actor, action: 'connector.action.error', payload: { ...base, phase: 'poll', error: failure.message, calls: calls.take() } }),
        );
        throw failure;
      }
      record(outcome, 'connector.action.polled', deps.clock.now().getTime() - polled, true);
    }
    existing = store.read(get)!;
    return result(existing, outcome, false, deps.clock.now().getTime() - startedMs);
  } finally {
    opened.close();
  }

  function record(outcome: ActionOutcome, journalAction: string, durationMs: number, poll = false) {
    store.write(() => {
      const finished = outcome.status === 'pending' ? null : now();
      store.db
        .prepare(
          `UPDATE connector_actions SET status = ?, poll = ?, outcome = ?, last_error = NULL, polls = polls + ?, updated_at = ?, finished_at = ?
           WHERE connector = ? AND idempotency_key = ?`,
        )
        .run(outcome.status, outcome.status === 'pending' ? JSON.stringify(outcome.poll) : null, JSON.stringify(outcome), poll ? 1 : 0, now(), finished, req.name, key);
      store.journal.append({
        at: now(),
        caseId,
        actor,
        action: journalAction,
        payload: { ...base, outcome, durationMs, impact, calls: calls.take() },
      });
    });
  }

  function result(r: ActionRow, outcome: ActionOutcome, replayed: boolean, durationMs: number): ActionResult {
    return {
      connector: r.connector,
      vendor: r.vendor,
      action: r.action,
      key: r.idempotency_key,
      status: outcome.status,
      outcome: outcome as Record<string, unknown> & { status: ActionOutcome['status'] },
      replayed,
      polls: r.polls,
      requestedAt: r.requested_at,
      finishedAt: r.finished_at,
      durationMs,
      impact,
    };
  }
}

/** connector.actions: the action history, newest first. */
export function listActions(store: Store, input: { name?: string | undefined; limit: number }): CommandOutput<'connector.actions'> {
  const rows = (
    input.name
      ? store.db.prepare('SELECT * FROM connector_actions WHERE connector = ? ORDER BY requested_at DESC, rowid DESC LIMIT ?').all(input.name, input.limit)
      : store.db.prepare('SELECT * FROM connector_actions ORDER BY requested_at DESC, rowid DESC LIMIT ?').all(input.limit)
  ) as ActionRow[];
  return {
    actions: rows.map((r) => ({
      connector: r.connector,
      vendor: r.vendor,
      action: r.action,
      key: r.idempotency_key,
      caseId: r.case_id,
      input: JSON.parse(r.input) as unknown,
      status: r.status,
      poll: r.poll ? (JSON.parse(r.poll) as Record<string, unknown>) : null,
      outcome: r.outcome ? (JSON.parse(r.outcome) as Record<string, unknown>) : null,
      lastError: r.last_error,
      polls: r.polls,
      requestedAt: r.requested_at,
      updatedAt: r.updated_at,
      finishedAt: r.finished_at,
    })),
  };
}
