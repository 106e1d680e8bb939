import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../api/errors.js';
import type { Actor, ImportSummary, NormalizedEvent } from '../model/index.js';
import type { Clock, IdSource } from '../runtime.js';
import type { Store } from '../store/index.js';
import { extractEntities } from './entities.js';
import { frameRecords, FramingError, type Framing, type RawRecord } from './framing.js';
import { RecordError, type FormatDef, type NormalizeResult } from './formats/types.js';
import { sniffFormat } from './sniff.js';

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
  formats: readonly FormatDef[];
  /** Force a format by name instead of sniffing. */
  formatName?: string | undefined;
  actor: Actor;
  clock: Clock;
  ids: IdSource;
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
}

const SNIFF_SAMPLE = 20;
/** Records held back before the first write, for formats that calibrate themselves on a file (clock offsets). */
const CALIBRATION_SAMPLE = 2000;
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * Imports one evidence file into a case, accounting for every record: read = stored + duplicates + quarantined +
 * skipped. Ids derive from the case and each record's identity, so re-running an interrupted import stores exactly
 * what is missing. Each batch commits with a journal entry; a crash loses at most the batch in flight.
 */
export async function importFile(options: ImportOptions): Promise<ImportSummary> {
  const { store, caseId, filePath, clock } = options;
  const file = path.basename(filePath);
  let totalBytes: number;
  try {
    const stat = fs.statSync(filePath);
    if (!stat.isFile()) throw new QuellError('invalid_input', `${filePath} is not a file.`);
    totalBytes = stat.size;
  } catch (err) {
    if (err instanceof QuellError) throw err;
    throw new QuellError('not_found', `Cannot read ${filePath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
  if (!store.cases.get(caseId)) throw new QuellError('not_found', `No case with id ${caseId}.`, { details: { caseId } });

  const stream = fs.createReadStream(filePath, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  const fileHash = createHash('sha256');
  stream.on('data', (chunk) => {
    bytesRead += chunk.length;
    fileHash.update(chunk);
  });
  let framing: Framing = 'empty';
  const records = frameRecords(stream, { onFraming: (f) => (framing = f) })[Symbol.asyncIterator]();

  // Sample the first parseable records to choose the format before anything is written.
  const pending: RawRecord[] = [];
  let ended = false;
  const samples: Record<string, unknown>[] = [];
  while (samples.length < CALIBRATION_SAMPLE) {
    let next: IteratorResult<RawRecord>;
    try {
      next = await records.next();
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      pending.push({ line: 0, bytes: Buffer.alloc(0), error: err.message });
      ended = true;
      break;
    }
    if (next.done) {
      ended = true;
      break;
    }
    pending.push(next.value);
    if (next.value.value) samples.push(next.value.value);
  }
  // A stream broken before its first record (a damaged gzip header) is refused whole, saying why.
  const broken = pending.find((r) => r.line === 0 && r.error);
  if (broken && samples.length === 0) {
    throw new QuellError('invalid_input', `${filePath}: ${broken.error}. Nothing was imported.`);
  }
  const chosen = chooseFormat(options, samples.slice(0, SNIFF_SAMPLE), framing, filePath);
  const calibrated = chosen.calibrate?.(samples) ?? null;
  const format = calibrated?.format ?? chosen;

  const importId = options.ids.next('imp');
  const counts = { read: 0, stored: 0, duplicates: 0, quarantined: 0, skipped: 0 };
  const quarantineReasons: Record<string, number> = {};
  const skipReasons: Record<string, number> = {};
  const now = () => clock.now().toISOString();
  const w = writer(store, caseId, importId, file, now);

  store.write(() => {
    store.db
      .prepare("INSERT INTO imports (id, case_id, file, format, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)")
      .run(importId, caseId, file, format.name, now());
    store.journal.append({ at: now(), caseId, actor: options.actor, action: 'import.started', payload: { importId, file, format: format.name, bytes: totalBytes, ...(calibrated ? { calibration: calibrated.note } : {}) } });
  });

  const batchSize = options.batchSize ?? 2000;
  let batch: RawRecord[] = [];
  const flush = () => {
    if (!batch.length) return;
    const first = batch[0]!.line;
    const last = batch[batch.length - 1]!.line;
    const before = { ...counts };
    store.write(() => {
      for (const record of batch) {
        counts.read++;
        const outcome = processRecord(record, format, file, w);
        if (outcome.kind === 'stored') counts.stored++;
        else if (outcome.kind === 'duplicate') counts.duplicates++;
        else if (outcome.kind === 'skipped') {
          counts.skipped++;
          skipReasons[outcome.reason] = (skipReasons[outcome.reason] ?? 0) + 1;
        } else {
          counts.quarantined++;
          const key = reasonKey(outcome.reason);
          quarantineReasons[key] = (quarantineReasons[key] ?? 0) + 1;
          if (outcome.duplicate) {
            counts.quarantined--;
            counts.duplicates++;
            quarantineReasons[key]!--;
            if (!quarantineReasons[key]) delete quarantineReasons[key];
          }
        }
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
          lines: [first, last],
          stored: counts.stored - before.stored,
          duplicates: counts.duplicates - before.duplicates,
          quarantined: counts.quarantined - before.quarantined,
          skipped: counts.skipped - before.skipped,
        },
      });
    });
    batch = [];
    options.onProgress?.({ importId, file, bytesRead, totalBytes, ...counts });
  };

  try {
    // The records held back for sniffing and calibration (up to 2000 and more) go out in batches like the rest.
    for (const record of pending) {
      batch.push(record);
      if (batch.length >= batchSize) flush();
    }
    if (!ended) {
      for (;;) {
        let next: IteratorResult<RawRecord>;
        try {
          next = await records.next();
        } catch (err) {
          if (!(err instanceof FramingError)) throw err;
          batch.push({ line: 0, bytes: Buffer.alloc(0), error: err.message });
          break;
        }
        if (next.done) break;
        batch.push(next.value);
        if (batch.length >= batchSize) flush();
      }
    }
    flush();
  } catch (err) {
    store.write(() => {
      store.db.prepare("UPDATE imports SET status = 'failed', finished_at = ? WHERE id = ?").run(now(), importId);
      store.journal.append({ at: now(), caseId, actor: options.actor, action: 'import.failed', payload: { importId, file, error: (err as Error).message, ...counts } });
    });
    throw err;
  } finally {
    stream.destroy();
  }

  const summary: ImportSummary = { importId, file, format: format.name, ...counts, quarantineReasons, skipReasons };
  const digest = fileHash.digest('hex');
  store.write(() => {
    store.db.prepare("UPDATE imports SET status = 'done', finished_at = ? WHERE id = ?").run(now(), importId);
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

function chooseFormat(options: ImportOptions, samples: Record<string, unknown>[], framing: Framing, filePath: string): FormatDef {
  const names = options.formats.map((f) => f.name).join(', ');
  if (options.formatName) {
    const forced = options.formats.find((f) => f.name === options.formatName);
    if (!forced) throw new QuellError('invalid_input', `Unknown format "${options.formatName}". Known formats: ${names}.`);
    return forced;
  }
  if (framing === 'empty') throw new QuellError('invalid_input', `${filePath} holds no records (it is empty or only blank lines).`);
  const sniffed = sniffFormat(samples, options.formats, framing === 'zeek-tsv' ? 'zeek-tsv' : 'json');
  if (!sniffed) {
    const keys = samples[0] ? Object.keys(samples[0]).slice(0, 8).join(', ') : 'none parseable';
    throw new QuellError(
      'invalid_input',
      `Could not recognise the format of ${filePath} (first record's keys: ${keys}). Name it with --format, one of: ${names}. Nothing was imported.`,
    );
  }
  return sniffed.format;
}

/** Groups quarantine reasons by their kind, not their details, for the summary (`not valid JSON: …` → one bucket). */
function reasonKey(reason: string): string {
  return reason.split(':')[0]!.trim();
}

type Outcome =
  | { kind: 'stored' }
  | { kind: 'duplicate' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'quarantined'; reason: string; duplicate: boolean };

function processRecord(record: RawRecord, format: FormatDef, file: string, w: Writer): Outcome {
  const quarantine = (reason: string): Outcome => ({ kind: 'quarantined', reason, duplicate: !w.quarantine(record, reason) });
  if (record.error || !record.value) return quarantine(record.error ?? 'empty record');
  let result: NormalizeResult;
  try {
    result = format.normalize(record.value, { file, line: record.line });
  } catch (err) {
    return quarantine(err instanceof RecordError ? err.message : `the ${format.name} reader failed on this record: ${(err as Error).message}`);
  }
  if (result.kind === 'skip') return { kind: 'skipped', reason: result.reason };
  if (result.kind === 'incident') return w.incident(result.incident, `${format.name}\0${result.identity}`) ? { kind: 'stored' } : { kind: 'duplicate' };
  if (!isTime(result.event['@timestamp'])) return quarantine(`no usable timestamp (${String(result.event['@timestamp'])})`);
  return w.event(result.event, `${format.name}\0${result.identity}`, record) ? { kind: 'stored' } : { kind: 'duplicate' };
}

const isTime = (t: unknown) => typeof t === 'string' && !Number.isNaN(Date.parse(t));

type Writer = ReturnType<typeof writer>;

function writer(store: Store, caseId: string, importId: string, file: string, now: () => string) {
  const db = store.db;
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (id, case_id, kind, ts, source, dedup_key, risk, level, doc, original, imported_at,
       format, title, host, user_name, techniques, file, line, import_id, tags)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEntity = db.prepare('INSERT OR IGNORE INTO entities (id, case_id, type, value, canonical) VALUES (?, ?, ?, ?, ?)');
  const linkEntity = db.prepare('INSERT OR IGNORE INTO event_entities (event_id, entity_id, role) VALUES (?, ?, ?)');
  const insertQuarantine = db.prepare(
    'INSERT OR IGNORE INTO quarantine (id, case_id, import_id, dedup_key, file, line, reason, raw, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertIncident = db.prepare(
    `INSERT OR IGNORE INTO incidents (id, case_id, title, status, risk, level, rationale, created_at, updated_at, origin, external_id, first_ts, last_ts, summary, detail)
     VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, 'imported', ?, ?, ?, ?, ?)`,
  );
  const updateImport = db.prepare('UPDATE imports SET read = ?, stored = ?, duplicates = ?, quarantined = ?, skipped = ? WHERE id = ?');
  const entityIds = new Map<string, string>();
  const stamp = now();

  return {
    event(e: NormalizedEvent, identity: string, record: RawRecord): boolean {
      const dedupKey = sha256(identity);
      const id = `ev_${sha256(`${caseId}\0${dedupKey}`).slice(0, 32)}`;
      const title = e.rule?.name ?? e.event.action ?? e.message?.slice(0, 160) ?? `${e.event.dataset ?? e.quell.format} ${e.event.code ?? ''}`.trim();
      const host = e.host?.name ?? e.host?.hostname ?? null;
      const user = e.user?.name ? (e.user.domain && !e.user.name.includes('\\') ? `${e.user.domain}\\${e.user.name}` : e.user.name) : null;
      const changes = insertEvent.run(
        id, caseId, e.event.kind, e['@timestamp'], file, dedupKey, e.quell.risk, e.quell.level, JSON.stringify(e),
        record.bytes.toString('utf8'), stamp, e.quell.format, title, host, user, (e.threat?.technique?.id ?? []).join(' '),
        file, record.line, importId, e.tags?.length ? `\x1f${e.tags.join('\x1f')}\x1f` : '',
      ).changes;
      if (!changes) return false;
      for (const entity of extractEntities(e)) {
        const key = `${entity.type}\0${entity.canonical}`;
        let entityId = entityIds.get(key);
        if (!entityId) {
          entityId = `en_${sha256(`${caseId}\0${key}`).slice(0, 32)}`;
          insertEntity.run(entityId, caseId, entity.type, entity.value, entity.canonical);
          entityIds.set(key, entityId);
        }
        linkEntity.run(id, entityId, entity.role);
      }
      return true;
    },
    quarantine(record: RawRecord, reason: string): boolean {
      const dedupKey = sha256(Buffer.concat([Buffer.from(`${file}\0${record.line}\0`), record.bytes]));
      return (
        insertQuarantine.run(`q_${dedupKey.slice(0, 32)}`, caseId, importId, dedupKey, file, record.line, reason, record.bytes, stamp).changes > 0
      );
    },
    incident(i: import('./formats/types.js').ImportedIncident, identity: string): boolean {
      const id = `inc_${sha256(`${caseId}\0${identity}`).slice(0, 32)}`;
      const level = i.risk >= 90 ? 'critical' : i.risk >= 70 ? 'high' : i.risk >= 40 ? 'medium' : i.risk >= 20 ? 'low' : 'informational';
      return (
        insertIncident.run(
          id, caseId, i.title, i.risk, level, JSON.stringify([`imported from ${file}: the source grouped ${i.memberAlertIds.length} alerts`]),
          stamp, stamp, i.externalId, i.timestamp, i.timestamp, i.summary,
          JSON.stringify({ memberAlertIds: i.memberAlertIds, tactics: i.tactics, ...(i.riskOriginal !== undefined ? { riskOriginal: i.riskOriginal } : {}) }),
        ).changes > 0
      );
    },
    updateImport(c: { read: number; stored: number; duplicates: number; quarantined: number; skipped: number }) {
      updateImport.run(c.read, c.stored, c.duplicates, c.quarantined, c.skipped, importId);
    },
  };
}
