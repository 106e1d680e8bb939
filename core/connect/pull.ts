// connector.pull: page through a connector's alerts into a case. Each page's records, the cursor after it and a
// journal entry (counts and the HTTP calls made) commit in ONE transaction, so a pull killed part-way and run again
// starts right after the last committed page: nothing is skipped, and a page fetched twice dedups by content id.
import { QuellError } from '../api/errors.js';
import type { CommandOutput, EventPayload } from '../api/index.js';
import { openConnectorContext, type Cursor, type PullPage } from '../../connectors/sdk/index.js';
import { allFormats } from '../ingest/formats/index.js';
import { writer } from '../ingest/import-file.js';
import { regroupIncidents } from '../ingest/incidents.js';
import { prepareRecord } from '../ingest/prepare-record.js';
import type { Actor, ImportSummary } from '../model/index.js';
import type { Clock, IdSource } from '../runtime.js';
import type { Store } from '../store/index.js';
import { requireConnectorRow, runSettings } from './configs.js';
import { connectorFailure } from './failure.js';
import { CallLog } from './request-log.js';
import type { ConnectRuntime } from './runtime.js';

export type PullResult = CommandOutput<'connector.pull'>;

export interface PullDeps {
  store: Store;
  rt: ConnectRuntime;
  clock: Clock;
  ids: IdSource;
  actor: Actor;
  onProgress?: (p: EventPayload<'connector.progress'>) => void;
}

interface CursorRow {
  cursor: string | null;
  next_line: number;
  pages: number;
  records: number;
}

export async function pullConnector(deps: PullDeps, input: { name: string; caseId: string; maxPages?: number | undefined }): Promise<PullResult> {
  const { store, rt, actor } = deps;
  const { name, caseId } = input;
  const now = () => deps.clock.now().toISOString();
  if (!store.cases.get(caseId)) throw new QuellError('not_found', `No case with id ${caseId}.`, { details: { caseId } });
  const row = requireConnectorRow(store, name);
  if (!row.enabled) throw new QuellError('conflict', `Connector ${name} is disabled; enable it first (connector.update).`, { details: { name } });
  const { connector, settings } = runSettings(rt, row);
  if (!connector.manifest.capabilities.pullAlerts) throw new QuellError('invalid_input', `Connector ${name} (${row.vendor}) does not pull alerts.`);
  const format = allFormats.find((f) => f.name === connector.manifest.format);
  if (!format) throw new QuellError('bug', `Connector vendor ${row.vendor} names the import format ${connector.manifest.format}, which core does not know.`);
  if (rt.running.has(name)) throw new QuellError('conflict', `A pull of connector ${name} is already running.`, { details: { name } });

  const abort = new AbortController();
  const calls = new CallLog();
  let opened: ReturnType<typeof openConnectorContext>;
  try {
    opened = openConnectorContext(connector, settings, {
      name,
      signal: abort.signal,
      onRequest: calls.onRequest,
      session: rt.session(name),
      ...(rt.options.http ? { http: rt.options.http } : {}),
    });
  } catch (err) {
    throw connectorFailure(err, name); // a base URL or CA file the HTTP client refuses
  }
  rt.running.set(name, abort);

  const file = `connector:${name}`;
  const importId = deps.ids.next('imp');
  const counts = { read: 0, stored: 0, duplicates: 0, quarantined: 0, skipped: 0 };
  const quarantineReasons: Record<string, number> = {};
  const skipReasons: Record<string, number> = {};
  let pages = 0;
  let done = false;
  const w = writer(store, caseId, importId, file, now);

  const readCursor = () =>
    store.db.prepare('SELECT cursor, next_line, pages, records FROM connector_cursors WHERE connector = ? AND case_id = ?').get(name, caseId) as CursorRow | undefined;
  const upsertCursor = store.db.prepare(
    `INSERT INTO connector_cursors (connector, case_id, cursor, next_line, pages, records, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (connector, case_id) DO UPDATE SET cursor = excluded.cursor, next_line = excluded.next_line, pages = excluded.pages,
       records = excluded.records, updated_at = excluded.updated_at`,
  );

  const started = readCursor();
  store.write(() => {
    store.db
      .prepare("INSERT INTO imports (id, case_id, file, format, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)")
      .run(importId, caseId, file, format.name, now());
    store.db.prepare("UPDATE connectors SET last_pull_at = ?, last_pull_status = 'running' WHERE name = ?").run(now(), name);
    store.journal.append({
      at: now(),
      caseId,
      actor,
      action: 'connector.pull.started',
      payload: { connector: name, vendor: row.vendor, importId, format: format.name, resumed: started?.cursor != null, pagesBefore: started?.pages ?? 0 },
    });
  });

  /** The stored cursor this pull's next page was asked from: another process that moved it means two pullers. */
  let expected: string | null = started?.cursor ?? null;
  const commitPage = (page: PullPage) => {
    const before = { ...counts };
    store.write(() => {
      const cur = readCursor();
      if ((cur?.cursor ?? null) !== expected) {
        throw new QuellError('conflict', `Another pull of connector ${name} into case ${caseId} moved its cursor meanwhile (a second Quell process?); this page was not stored. Pull again.`, {
          details: { name, caseId },
        });
      }
      let line = cur?.next_line ?? 1;
      for (const r of page.records) {
        const raw = r.raw;
        const bytes = Buffer.from(JSON.stringify(raw), 'utf8');
        const isObject = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
        const prepared = prepareRecord(isObject ? { line, bytes, value: raw } : { line, bytes, error: 'the connector returned a record that is not a JSON object' }, format, file, caseId);
        line++;
        counts.read++;
        if (prepared.kind === 'skipped') {
          counts.skipped++;
          skipReasons[prepared.reason] = (skipReasons[prepared.reason] ?? 0) + 1;
        } else if (prepared.kind === 'quarantined') {
          if (w.write(prepared)) {
            counts.quarantined++;
            const key = prepared.reason.split(':')[0]!.trim();
            quarantineReasons[key] = (quarantineReasons[key] ?? 0) + 1;
          } else counts.duplicates++;
        } else if (w.write(prepared)) counts.stored++;
        else counts.duplicates++;
      }
      upsertCursor.run(name, caseId, JSON.stringify(page.cursor), line, (cur?.pages ?? 0) + 1, (cur?.records ?? 0) + page.records.length, now());
      w.updateImport(counts);
      store.journal.append({
        at: now(),
        caseId,
        actor,
        action: 'connector.pull.page',
        payload: {
          connector: name,
          importId,
          page: pages + 1,
          records: page.records.length,
          stored: counts.stored - before.stored,
          duplicates: counts.duplicates - before.duplicates,
          quarantined: counts.quarantined - before.quarantined,
          skipped: counts.skipped - before.skipped,
          done: page.done,
          calls: calls.take(),
        },
      });
    });
    expected = JSON.stringify(page.cursor);
    pages++;
    deps.onProgress?.({ connector: name, caseId, importId, pages, ...counts, requests: calls.totalCalls, retries: calls.totalRetries, done: page.done });
  };

  const summary = (): ImportSummary => ({ importId, file, format: format.name, ...counts, quarantineReasons, skipReasons });
  const finish = (status: 'done' | 'failed' | 'stopped', error: string | null) => {
    const s = summary();
    store.write(() => {
      store.db.prepare('UPDATE imports SET status = ?, finished_at = ? WHERE id = ?').run(status === 'failed' ? 'failed' : 'done', now(), importId);
      const result = { ...s, pages, requests: calls.totalCalls, retries: calls.totalRetries, caughtUp: done };
      store.db
        .prepare('UPDATE connectors SET last_pull_at = ?, last_pull_status = ?, last_pull_summary = ?, last_error = ? WHERE name = ?')
        .run(now(), status, JSON.stringify(result), error, name);
      store.journal.append({
        at: now(),
        caseId,
        actor,
        action: status === 'done' ? 'connector.pull.finished' : status === 'stopped' ? 'connector.pull.stopped' : 'connector.pull.failed',
        payload: { connector: name, ...result, calls: calls.take(), ...(error ? { error } : {}) },
      });
    });
  };

  try {
    let cursor: Cursor | null = started?.cursor ? (JSON.parse(started.cursor) as Cursor) : null;
    while (!abort.signal.aborted) {
      if (input.maxPages !== undefined && pages >= input.maxPages) break;
      const page = await connector.pullAlerts(opened.ctx, cursor);
      if (abort.signal.aborted) break; // stopped while the page was in flight: it is not committed
      commitPage(page);
      cursor = page.cursor;
      if (page.done) {
        done = true;
        break;
      }
    }
  } catch (err) {
    if (!abort.signal.aborted) {
      const failure = connectorFailure(err, name);
      finish('failed', failure.message);
      throw failure;
    }
  } finally {
    opened.close();
    rt.running.delete(name);
  }
  const stopped = abort.signal.aborted;
  if (stopped && !store.db.open) {
    // Quell closed the database while quitting: every committed page stands; the next pull resumes after them.
    throw new QuellError('unavailable', `The pull of connector ${name} stopped because Quell is closing.`);
  }
  finish(stopped ? 'stopped' : 'done', null);
  if (counts.stored > 0) regroupIncidents(store, caseId, { at: now(), actor });
  const file0 = summary();
  return {
    connector: name,
    caseId,
    files: [file0],
    totals: {
      read: counts.read,
      stored: counts.stored,
      duplicates: counts.duplicates,
      quarantined: counts.quarantined,
      skipped: counts.skipped,
      incidents: store.read(() => store.events.incidents(caseId).length),
      byFormat: { [format.name]: counts.read },
    },
    pages,
    requests: calls.totalCalls,
    retries: calls.totalRetries,
    caughtUp: done,
    stopped,
  };
}

/** Stops a running pull of this connector; false when none runs. */
export function stopPull(rt: ConnectRuntime, name: string): boolean {
  const run = rt.running.get(name);
  if (!run) return false;
  run.abort(new Error(`the pull of connector ${name} was stopped`));
  return true;
}
