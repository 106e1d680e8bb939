// Scratch measurements behind the import figure's proposals (nothing here is used by Quell): the rows one Quell import
// stored are inserted again, bare, into variants of the schema, timing only the inserts (and any end-of-import
// step), to show what each part of the write costs per row and what a schema change would save.
//
//   node --import tsx bench/import-prototypes.ts QUELL_DB CASE_ID [variant …]
//
// Variants: events-no-fts, events, current, no-fts, fts-compact, fts-deferred, int-links, compact+int-links.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../core/store/index.js';
import { removeDb } from './figure.js';
import { compactText as compact, CONTENTLESS_FTS, INT_LINKS } from './schema-variants.js';

const [quellDb, caseId, ...only] = process.argv.slice(2);
if (!quellDb || !caseId) {
  console.error('usage: node --import tsx bench/import-prototypes.ts QUELL_DB CASE_ID [variant …]');
  process.exit(2);
}
const BATCH = 2000;

interface Variant {
  name: string;
  what: string;
  /** SQL run on top of the real migrations. */
  patch: string;
  links: boolean;
  ftsText?: 'compact';
  intLinks?: boolean;
  /** Run once after the last batch, timed separately. */
  finish?: string;
}

const VARIANTS: Variant[] = [
  { name: 'events-no-fts', what: 'events rows only, FTS trigger dropped', patch: 'DROP TRIGGER events_fts_insert;', links: false },
  { name: 'events', what: 'events rows only, with the FTS5 trigger over title + raw original', patch: '', links: false },
  { name: 'current', what: 'the real schema: events + FTS(title, original) + entities + event_entities (text keys)', patch: '', links: true },
  { name: 'no-fts', what: 'the real schema without the FTS trigger', patch: 'DROP TRIGGER events_fts_insert;', links: true },
  {
    name: 'fts-compact',
    what: 'contentless FTS5 over title + compact text (host, user, techniques, message, entity values), fed by the importer',
    patch: CONTENTLESS_FTS,
    links: true,
    ftsText: 'compact',
  },
  {
    name: 'fts-deferred',
    what: 'FTS(title, original) filled once at the end of the import (INSERT … SELECT), no trigger',
    patch: 'DROP TRIGGER events_fts_insert;',
    links: true,
    finish: 'INSERT INTO events_fts (rowid, title, original) SELECT rowid, title, original FROM events',
  },
  { name: 'int-links', what: 'event_entities keyed by integer rowids (events, entities), no text keys', patch: INT_LINKS, links: true, intLinks: true },
  { name: 'compact+int-links', what: 'fts-compact and int-links together', patch: CONTENTLESS_FTS + INT_LINKS, links: true, ftsText: 'compact', intLinks: true },
];

const src = new Database(quellDb, { readonly: true });
const columns = (src.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('events') as string[]);
const total = src.prepare('SELECT count(*) FROM events WHERE case_id = ?').pluck().get(caseId) as number;
const readEvents = src.prepare(`SELECT rowid, ${columns.join(', ')} FROM events WHERE case_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`).raw();
const readLinks = src
  .prepare('SELECT ee.entity_id, ee.role, en.case_id, en.type, en.value, en.canonical FROM event_entities ee JOIN entities en ON en.id = ee.entity_id WHERE ee.event_id = ?')
  .raw();
const col = (name: string) => columns.indexOf(name);
const [TITLE, HOST, USER, TECHNIQUES, DOC] = ['title', 'host', 'user_name', 'techniques', 'doc'].map(col) as [number, number, number, number, number];

type Link = [entityId: string, role: string, caseId: string, type: string, value: string, canonical: string];
interface Row {
  event: unknown[];
  links: Link[];
  compact: string;
}

function compactText(event: unknown[], links: Link[]): string {
  const doc = JSON.parse(event[DOC] as string) as { message?: string; rule?: { category?: string } };
  return compact(event[TITLE], [event[HOST], event[USER], event[TECHNIQUES], doc.message, doc.rule?.category, ...links.map((l) => l[4])]);
}

function* batches(): Generator<Row[]> {
  let last = 0;
  for (;;) {
    const raw = readEvents.all(caseId, last, BATCH) as unknown[][];
    if (!raw.length) return;
    last = raw[raw.length - 1]![0] as number;
    yield raw.map((r) => {
      const event = r.slice(1);
      const links = readLinks.all(event[col('id')]) as Link[];
      return { event, links, compact: compactText(event, links) };
    });
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quell-bench-prototypes-'));
const caseRow = src.prepare('SELECT * FROM cases WHERE id = ?').get(caseId) as Record<string, unknown>;
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

console.log(`${total} events from ${quellDb}; ${BATCH}-row transactions; times are inserts only (reads untimed)\n`);
console.log(['variant', 'insert s', 'µs/row', 'finish s', 'total µs/row', 'db MiB', 'fts MiB'].map((h, i) => (i ? h.padStart(13) : h.padEnd(18))).join(''));
for (const v of VARIANTS.filter((v) => !only.length || only.includes(v.name))) {
  const file = path.join(dir, `${v.name}.db`);
  // The real migrations and Store's pragmas; the connection is then used bare.
  const db = Store.open(file, { appVersion: 'bench', createDir: false }).db;
  db.exec(v.patch);
  db.prepare(`INSERT INTO cases (${Object.keys(caseRow).join(', ')}) VALUES (${placeholders(Object.keys(caseRow).length)})`).run(...Object.values(caseRow));

  const insertEvent = db.prepare(`INSERT INTO events (${columns.join(', ')}) VALUES (${placeholders(columns.length)})`);
  const insertEntity = db.prepare('INSERT INTO entities (id, case_id, type, value, canonical) VALUES (?, ?, ?, ?, ?)');
  const link = v.intLinks
    ? db.prepare('INSERT INTO event_entities (event_n, entity_n, role) VALUES (?, ?, ?)')
    : db.prepare('INSERT INTO event_entities (event_id, entity_id, role) VALUES (?, ?, ?)');
  const fts = v.ftsText ? db.prepare('INSERT INTO events_fts (rowid, title, text) VALUES (?, ?, ?)') : null;
  const entityKey = new Map<string, string | number | bigint>();
  const tx = db.transaction((rows: Row[]) => {
    for (const r of rows) {
      const rowid = insertEvent.run(r.event).lastInsertRowid;
      if (fts) fts.run(rowid, r.event[TITLE], r.compact);
      if (!v.links) continue;
      for (const [entityId, role, entityCase, type, value, canonical] of r.links) {
        let key = entityKey.get(entityId);
        if (key === undefined) {
          const id = insertEntity.run(entityId, entityCase, type, value, canonical).lastInsertRowid;
          key = v.intLinks ? id : entityId;
          entityKey.set(entityId, key);
        }
        link.run(v.intLinks ? rowid : r.event[0], key, role);
      }
    }
  });
  let insertMs = 0;
  for (const rows of batches()) {
    const start = performance.now();
    tx.immediate(rows);
    insertMs += performance.now() - start;
  }
  let finishMs = 0;
  if (v.finish) {
    const start = performance.now();
    db.transaction(() => db.exec(v.finish!)).immediate();
    finishMs = performance.now() - start;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = (name: string) => (db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?").pluck().get(name) as number) / 2 ** 20;
  let ftsMiB = NaN;
  try {
    ftsMiB = pages('events_fts%');
  } catch {
    /* dbstat not compiled in */
  }
  const dbMiB = fs.statSync(file).size / 2 ** 20;
  db.close();
  removeDb(file);
  console.log(
    [
      v.name.padEnd(18),
      (insertMs / 1000).toFixed(1).padStart(13),
      ((insertMs * 1000) / total).toFixed(0).padStart(13),
      (finishMs / 1000).toFixed(1).padStart(13),
      (((insertMs + finishMs) * 1000) / total).toFixed(0).padStart(13),
      dbMiB.toFixed(0).padStart(13),
      ftsMiB.toFixed(0).padStart(13),
    ].join(''),
  );
}
console.log('');
for (const v of VARIANTS.filter((v) => !only.length || only.includes(v.name))) console.log(`${v.name}: ${v.what}`);
src.close();
fs.rmSync(dir, { recursive: true, force: true });
