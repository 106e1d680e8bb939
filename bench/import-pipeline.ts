// Scratch prototype behind the import figure's proposals (nothing here is used by Quell): the importer's per-record
// work (framing, JSON.parse, normalising, entities, the stored JSON, SHA-256 ids) done as Quell does it, then written
// with the same statements in 2000-row transactions, either in one thread (as Quell does today) or pipelined: a
// worker thread prepares batch k+1 while the main thread writes batch k (at most two batches in flight).
//
//   node --import tsx bench/import-pipeline.ts serial|pipelined current|compact+int-links OUT_DB FILE…
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { allFormats, extractEntities, frameRecords } from '../core/ingest/index.js';
import { sniffFormat } from '../core/ingest/sniff.js';
import { Store } from '../core/store/index.js';
import { compactText, CONTENTLESS_FTS, INT_LINKS } from './schema-variants.js';

const BATCH = 2000;
type Link = [entityId: string, type: string, value: string, canonical: string, role: string, isNew: 0 | 1];
interface Row {
  event: unknown[];
  links: Link[];
  compact: string;
}
interface Job {
  files: string[];
  caseId: string;
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What Quell's importer computes per record before it writes (import-file.ts writer.event), batch by batch. */
async function produce({ files, caseId }: Job, emit: (rows: Row[]) => void | Promise<void>): Promise<void> {
  const stamp = new Date().toISOString();
  for (const file of files) {
    const name = file.split('/').pop()!;
    const importId = `imp_${randomUUID().replaceAll('-', '')}`;
    const entityIds = new Map<string, string>();
    let format: (typeof allFormats)[number] | undefined;
    let pending: { value: Record<string, unknown>; bytes: Buffer; line: number }[] = [];
    let batch: Row[] = [];
    const take = async (r: { value: Record<string, unknown>; bytes: Buffer; line: number }) => {
      const result = format!.normalize(r.value, { file: name, line: r.line });
      if (result.kind !== 'event') throw new Error('the prototype takes events only');
      const e = result.event;
      const dedupKey = sha256(`${format!.name}\0${result.identity}`);
      const id = `ev_${sha256(`${caseId}\0${dedupKey}`).slice(0, 32)}`;
      const title = e.rule?.name ?? e.event.action ?? e.message?.slice(0, 160) ?? `${e.event.dataset ?? e.quell.format} ${e.event.code ?? ''}`.trim();
      const host = e.host?.name ?? e.host?.hostname ?? null;
      const user = e.user?.name ? (e.user.domain && !e.user.name.includes('\\') ? `${e.user.domain}\\${e.user.name}` : e.user.name) : null;
      const techniques = (e.threat?.technique?.id ?? []).join(' ');
      const links: Link[] = extractEntities(e).map((entity) => {
        const key = `${entity.type}\0${entity.canonical}`;
        let entityId = entityIds.get(key);
        const isNew = entityId ? 0 : 1;
        if (!entityId) entityIds.set(key, (entityId = `en_${sha256(`${caseId}\0${key}`).slice(0, 32)}`));
        return [entityId, entity.type, entity.value, entity.canonical, entity.role, isNew];
      });
      batch.push({
        event: [
          id, caseId, e.event.kind, e['@timestamp'], name, dedupKey, e.quell.risk, e.quell.level, JSON.stringify(e), r.bytes.toString('utf8'), stamp,
          e.quell.format, title, host, user, techniques, name, r.line, importId, e.tags?.length ? `\x1f${e.tags.join('\x1f')}\x1f` : '',
        ],
        links,
        compact: compactText(title, [host, user, techniques, e.message, e.rule?.category, ...links.map((l) => l[2])]),
      });
      if (batch.length >= BATCH) {
        const full = batch;
        batch = [];
        await emit(full);
      }
    };
    for await (const r of frameRecords(fs.createReadStream(file, { highWaterMark: 1 << 20 }))) {
      if (!r.value) throw new Error('the prototype takes clean files only');
      if (!format) {
        pending.push({ value: r.value, bytes: r.bytes, line: r.line });
        if (pending.length < 20) continue;
        format = sniffFormat(pending.map((p) => p.value), allFormats, 'json')!.format;
        for (const p of pending) await take(p);
        pending = [];
        continue;
      }
      await take({ value: r.value, bytes: r.bytes, line: r.line });
    }
    if (!format && pending.length) {
      format = sniffFormat(pending.map((p) => p.value), allFormats, 'json')!.format;
      for (const p of pending) await take(p);
    }
    if (batch.length) await emit(batch);
  }
}

if (!isMainThread) {
  // The worker: produce batches, at most two ahead of the writer.
  let credits = 2;
  let wake: (() => void) | null = null;
  parentPort!.on('message', () => {
    credits++;
    wake?.();
  });
  await produce(workerData as Job, async (rows) => {
    while (credits === 0) await new Promise<void>((r) => (wake = r));
    wake = null;
    credits--;
    parentPort!.postMessage(rows);
  });
  parentPort!.postMessage('done');
  parentPort!.close();
} else {
  const [mode, schema, dbFile, ...files] = process.argv.slice(2);
  if (!['serial', 'pipelined'].includes(mode ?? '') || !['current', 'compact+int-links'].includes(schema ?? '') || !dbFile || !files.length) {
    console.error('usage: node --import tsx bench/import-pipeline.ts serial|pipelined current|compact+int-links OUT_DB FILE…');
    process.exit(2);
  }
  const variant = schema === 'compact+int-links';
  // The real migrations and Store's pragmas; the connection is then used bare.
  const db = Store.open(dbFile, { appVersion: 'bench', createDir: true }).db;
  if (variant) db.exec(CONTENTLESS_FTS + INT_LINKS);
  const caseId = `case_${randomUUID().replaceAll('-', '')}`;
  const now = new Date().toISOString();
  db.prepare("INSERT INTO cases (id, name, description, status, created_at, updated_at) VALUES (?, 'pipeline', '', 'open', ?, ?)").run(caseId, now, now);

  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (id, case_id, kind, ts, source, dedup_key, risk, level, doc, original, imported_at,
       format, title, host, user_name, techniques, file, line, import_id, tags) VALUES (${Array(20).fill('?').join(', ')})`,
  );
  const insertEntity = db.prepare('INSERT OR IGNORE INTO entities (id, case_id, type, value, canonical) VALUES (?, ?, ?, ?, ?)');
  const link = variant
    ? db.prepare('INSERT OR IGNORE INTO event_entities (event_n, entity_n, role) VALUES (?, ?, ?)')
    : db.prepare('INSERT OR IGNORE INTO event_entities (event_id, entity_id, role) VALUES (?, ?, ?)');
  const fts = variant ? db.prepare('INSERT INTO events_fts (rowid, title, text) VALUES (?, ?, ?)') : null;
  const entityRowid = db.prepare('SELECT rowid FROM entities WHERE id = ?').pluck();
  const entityKeys = new Map<string, number | bigint>();
  let rowsWritten = 0;
  let writeMs = 0;
  const write = db.transaction((rows: Row[]) => {
    for (const r of rows) {
      const rowid = insertEvent.run(r.event).lastInsertRowid;
      if (fts) fts.run(rowid, r.event[12], r.compact);
      for (const [entityId, type, value, canonical, role, isNew] of r.links) {
        if (isNew) insertEntity.run(entityId, caseId, type, value, canonical);
        if (!variant) {
          link.run(r.event[0], entityId, role);
          continue;
        }
        let n = entityKeys.get(entityId);
        if (n === undefined) entityKeys.set(entityId, (n = entityRowid.get(entityId) as number));
        link.run(rowid, n, role);
      }
    }
  });
  const writeBatch = (rows: Row[]) => {
    const start = performance.now();
    write.immediate(rows);
    writeMs += performance.now() - start;
    rowsWritten += rows.length;
  };

  const start = performance.now();
  if (mode === 'serial') await produce({ files, caseId }, writeBatch);
  else {
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(
        `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(new URL(import.meta.url).href)}); })`,
        { eval: true, workerData: { files, caseId } satisfies Job, resourceLimits: { maxOldGenerationSizeMb: Number(process.env.WLIM ?? 0) || undefined } },
      );
      worker.on('message', (m: Row[] | 'done') => {
        if (m === 'done') return resolve();
        writeBatch(m);
        worker.postMessage('ack');
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code ? reject(new Error(`worker exited with ${code}`)) : resolve()));
    });
  }
  const wallMs = performance.now() - start;
  db.close();
  const us = (ms: number) => ((ms * 1000) / rowsWritten).toFixed(0);
  console.log(
    `${mode} ${schema}: ${rowsWritten} rows in ${(wallMs / 1000).toFixed(1)} s = ${us(wallMs)} µs/row wall, ${us(writeMs)} µs/row writing, ` +
      `${Math.round(rowsWritten / (wallMs / 1000))} rows/s; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
}
