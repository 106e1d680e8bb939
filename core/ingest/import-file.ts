import { createHash } from 'node:crypto';
import path from 'node:path';
import { QuellError } from '../api/errors.js';
import type { Actor, ImportSummary } from '../model/index.js';
import type { Clock, IdSource } from '../runtime.js';
import type { Store } from '../store/index.js';
import type { PreparedRecord } from './prepare-record.js';
import { fileSize, readEvidence, type StreamedReadMessage } from './read-evidence.js';
import { readInThread } from './reader-thread.js';

export interface ImportProgress {
  importId: string;
  file: string;
  bytesRead: number;
  totalBytes: number;
  read: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  skipped: number;
}

export interface ImportOptions {
  store: Store;
  caseId: string;
  filePath: string;
  /** Force a format by name instead of sniffing. */
  formatName?: string | undefined;
  actor: Actor;
  clock: Clock;
  ids: IdSource;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /**
   * The import worker entry. When given, the file is read and normalised in a worker thread while this thread
   * writes, so an import uses two cores; without it everything happens here, in the same order, with the same result.
   */
  readerScript?: string | URL | undefined;
  /** Files smaller than this are read in this thread even with a readerScript: a worker costs more than it saves. */
  readerThreadMinBytes?: number | undefined;
}

/** Starting a reader thread takes a moment (more from sources, under tsx); below this size it is not worth it. */
const READER_THREAD_MIN_BYTES = 8 * 1024 * 1024;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Imports one evidence file into a case, accounting for every record: read = stored + duplicates + quarantined +
 * skipped. Ids derive from the case and each record's identity, so re-running an interrupted import stores exactly
 * what is missing. Each batch (2000 records or 4 MiB) commits with a journal entry; a crash loses at most the batch in flight.
 */
export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const { store, caseId, filePath, clock } = options;
  const file = path.basename(filePath);
  const size = fileSize(filePath);
  if (!store.cases.get(caseId)) throw new QuellError('not_found', `No case with id ${caseId}.`, { details: { caseId } });

  const readOptions = { filePath, caseId, formatName: options.formatName, batchSize: options.batchSize };
  const threaded = options.readerScript && size >= (options.readerThreadMinBytes ?? READER_THREAD_MIN_BYTES);
  const messages = (threaded ? readInThread(options.readerScript!, readOptions) : readEvidence(readOptions))[Symbol.asyncIterator]();
  // The header comes once the format is known; a file refused whole throws here, before anything is written.
  const first = await messages.next();
  if (first.done || first.value.type !== 'header') throw new Error(`the evidence reader of ${filePath} sent no header`);
  const header = first.value;

  const importId = options.ids.next('imp');
  const counts = { read: 0, stored: 0, duplicates: 0, quarantined: 0, skipped: 0 };
  const quarantineReasons: Record<string, number> = {};
  const skipReasons: Record<string, number> = {};
  const now = () => clock.now().toISOString();
  const w = writer(store, caseId, importId, file, now);

  store.write(() => {
    store.db
      .prepare("INSERT INTO imports (id, case_id, file, format, status, started_at, zeek_headers) VALUES (?, ?, ?, ?, 'running', ?, ?)")
      .run(importId, caseId, file, header.format, now(), header.zeekHeaders ? JSON.stringify(header.zeekHeaders) : null);
    store.journal.append({
      at: now(),
      caseId,
      actor: options.actor,
      action: 'import.started',
      payload: { importId, file, format: header.format, bytes: header.totalBytes, ...(header.calibration ? { calibration: header.calibration } : {}) },
    });
  });

  const writeBatch = (batch: Extract<StreamedReadMessage, { type: 'batch' }>) => {
    const before = { ...counts };
    store.write(() => {
      for (const record of batch.records) {
        counts.read++;
        if (record.kind === 'skipped') {
          counts.skipped++;
          skipReasons[record.reason] = (skipReasons[record.reason] ?? 0) + 1;
        } else if (record.kind === 'quarantined' && w.write(record)) {
          // A line quarantined by an earlier import of the same file is a duplicate, not a second quarantine.
          counts.quarantined++;
          const key = reasonKey(record.reason);
          quarantineReasons[key] = (quarantineReasons[key] ?? 0) + 1;
        } else if (record.kind !== 'quarantined' && w.write(record)) counts.stored++;
        else counts.duplicates++;
      }
      w.updateImport(counts);
      store.journal.append({
        at: now(),
        caseId,
        actor: options.actor,
        action: 'import.batch',
        payload: {
          importId,
          file,
          lines: batch.lines,
          stored: counts.stored - before.stored,
          duplicates: counts.duplicates - before.duplicates,
          quarantined: counts.quarantined - before.quarantined,
          skipped: counts.skipped - before.skipped,
        },
      });
    });
    options.onProgress?.({ importId, file, bytesRead: batch.bytesRead, totalBytes: header.totalBytes, ...counts });
  };

  let end: Extract<StreamedReadMessage, { type: 'end' }> | undefined;
  try {
    for (let m = await messages.next(); !m.done; m = await messages.next()) {
      if (m.value.type === 'batch') writeBatch(m.value);
      else if (m.value.type === 'end') end = m.value;
    }
    if (!end) throw new Error(`the evidence reader of ${filePath} stopped before the end of the file`);
  } catch (err) {
    await messages.return?.(undefined);
    store.write(() => {
      store.db.prepare("UPDATE imports SET status = 'failed', finished_at = ? WHERE id = ?").run(now(), importId);
      store.journal.append({ at: now(), caseId, actor: options.actor, action: 'import.failed', payload: { importId, file, error: (err as Error).message, ...counts } });
    });
    throw err;
  }

  const summary: ImportSummary = { importId, file, format: header.format, ...counts, quarantineReasons, skipReasons };
  const { sha256: digest, bytesRead } = end;
  store.write(() => {
    store.db.prepare("UPDATE imports SET status = 'done', finished_at = ? WHERE id = ?").run(now(), importId);
    // Header blocks found after the first batches (concatenated Zeek logs) complete the ones stored at the start.
    if (end.zeekHeaders && end.zeekHeaders.length !== (header.zeekHeaders?.length ?? 0)) {
      store.db.prepare('UPDATE imports SET zeek_headers = ? WHERE id = ?').run(JSON.stringify(end.zeekHeaders), importId);
    }
    // The file itself is evidence: its hash and size are kept so a later reader can show it is the same file.
    const added = store.db
      .prepare('INSERT OR IGNORE INTO evidence (id, case_id, name, sha256, size, path, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(`evd_${sha256(`${caseId}\0${digest}`).slice(0, 32)}`, caseId, file, digest, bytesRead, path.resolve(filePath), now()).changes;
    if (added) {
      store.journal.append({ at: now(), caseId, actor: options.actor, action: 'evidence.added', payload: { name: file, sha256: digest, size: bytesRead } });
    }
    store.journal.append({ at: now(), caseId, actor: options.actor, action: 'import.finished', payload: summary });
  });
  return summary;
}

/** Groups quarantine reasons by their kind, not their details, for the summary (`not valid JSON: …` → one bucket). */
function reasonKey(reason: string): string {
  return reason.split(':')[0]!.trim();
}

/**
 * The database side of an import: one prepared record at a time, inside the batch's transaction. Also used by
 * connector pulls (file `connector:<name>`), so pulled and imported records are written the same way.
 */
export function writer(store: Store, caseId: string, importId: string, file: string, now: () => string) {
  const db = store.db;
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (id, kind, ts, dedup_key, risk, level, doc, original, format, title, host, user_name, techniques,
       line, tags, case_id, source, file, imported_at, import_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEntity = db.prepare('INSERT OR IGNORE INTO entities (id, case_id, type, value, canonical) VALUES (?, ?, ?, ?, ?)');
  const linkEntity = db.prepare('INSERT OR IGNORE INTO event_entities (event_id, entity_id, role) VALUES (?, ?, ?)');
  const insertQuarantine = db.prepare(
    'INSERT OR IGNORE INTO quarantine (id, dedup_key, line, raw, case_id, import_id, file, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertIncident = db.prepare(
    `INSERT OR IGNORE INTO incidents (id, title, risk, level, rationale, external_id, first_ts, last_ts, summary, detail,
       case_id, status, origin, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 'imported', ?, ?)`,
  );
  const updateImport = db.prepare('UPDATE imports SET read = ?, stored = ?, duplicates = ?, quarantined = ?, skipped = ? WHERE id = ?');
  // Entities already written by this import: the rest of the file links to them without asking the database again.
  const known = new Set<string>();
  const stamp = now();

  return {
    /** Writes one record; false when it was already stored (a duplicate). */
    write(record: Exclude<PreparedRecord, { kind: 'skipped' }>): boolean {
      if (record.kind === 'quarantined') return insertQuarantine.run(...record.row, caseId, importId, file, record.reason, stamp).changes > 0;
      if (record.kind === 'incident') return insertIncident.run(...record.row, caseId, stamp, stamp).changes > 0;
      if (!insertEvent.run(...record.row, caseId, file, file, stamp, importId).changes) return false;
      const eventId = record.row[0];
      for (const [entityId, type, value, canonical, role] of record.links) {
        if (!known.has(entityId)) {
          insertEntity.run(entityId, caseId, type, value, canonical);
          known.add(entityId);
        }
        linkEntity.run(eventId, entityId, role);
      }
      return true;
    },
    updateImport(c: { read: number; stored: number; duplicates: number; quarantined: number; skipped: number }) {
      updateImport.run(c.read, c.stored, c.duplicates, c.quarantined, c.skipped, importId);
    },
  };
}
