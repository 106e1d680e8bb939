// The import figure's baseline, run as its own process so that its peak memory is its own: bare better-sqlite3
// inserting exactly the normalised rows a Quell import stored (events with every column, entities, event_entities)
// into a second database with the same schema (the real migrations: tables, indexes, FTS5 table and triggers) and
// the same pragmas, in transactions of the same size. Rows are read back from Quell's database a batch at a time,
// untimed; only the inserts are timed. Prints one JSON line on stdout; progress goes to stderr.
//
//   node --import tsx bench/import-baseline.ts QUELL_DB CASE_ID OUT_DB [BATCH]
import Database from 'better-sqlite3';
import { Store } from '../core/store/index.js';

export interface BaselineResult {
  events: number;
  entities: number;
  links: number;
  batch: number;
  /** Seconds spent inside the insert transactions, reads excluded. */
  insertSeconds: number;
  readSeconds: number;
  maxRssKiB: number;
}

const [quellDb, caseId, outDb, batchArg] = process.argv.slice(2);
if (!quellDb || !caseId || !outDb) {
  console.error('usage: node --import tsx bench/import-baseline.ts QUELL_DB CASE_ID OUT_DB [BATCH]');
  process.exit(2);
}
const BATCH = Number(batchArg ?? 2000);

// Same schema and pragmas: a Store opens the file (running the migrations and setting its pragmas: foreign keys,
// WAL, synchronous, page cache, temp store), and its better-sqlite3 connection is then used bare: plain prepared
// statements and transactions, none of Store.write's journal.
const db = Store.open(outDb, { appVersion: 'bench', createDir: false }).db;

const src = new Database(quellDb, { readonly: true });
const columns = (src.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('events') as string[]).join(', ');
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const columnCount = columns.split(',').length;

// The case row the events refer to (foreign keys are on, as in Quell), untimed.
const caseRow = src.prepare('SELECT * FROM cases WHERE id = ?').get(caseId) as Record<string, unknown> | undefined;
if (!caseRow) throw new Error(`import-baseline: no case ${caseId} in ${quellDb}`);
db.prepare(`INSERT INTO cases (${Object.keys(caseRow).join(', ')}) VALUES (${placeholders(Object.keys(caseRow).length)})`).run(...Object.values(caseRow));

const readEvents = src.prepare(`SELECT rowid, ${columns} FROM events WHERE case_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`).raw();
const readLinks = src
  .prepare(
    `SELECT ee.entity_id, ee.role, en.case_id, en.type, en.value, en.canonical
     FROM event_entities ee JOIN entities en ON en.id = ee.entity_id WHERE ee.event_id = ?`,
  )
  .raw();
const insertEvent = db.prepare(`INSERT INTO events (${columns}) VALUES (${placeholders(columnCount)})`);
const insertEntity = db.prepare('INSERT INTO entities (id, case_id, type, value, canonical) VALUES (?, ?, ?, ?, ?)');
const linkEntity = db.prepare('INSERT INTO event_entities (event_id, entity_id, role) VALUES (?, ?, ?)');

type Link = [entityId: string, role: string, caseId: string, type: string, value: string, canonical: string];
interface Row {
  event: unknown[];
  links: Link[];
}
// Like the importer, an entity is inserted the first time a record names it, just before its link.
const inserted = new Set<string>();
let entities = 0;
let links = 0;
const insertBatch = db.transaction((rows: Row[]) => {
  for (const { event, links: ls } of rows) {
    insertEvent.run(event);
    for (const [entityId, role, entityCase, type, value, canonical] of ls) {
      if (!inserted.has(entityId)) {
        insertEntity.run(entityId, entityCase, type, value, canonical);
        inserted.add(entityId);
        entities++;
      }
      linkEntity.run(event[0], entityId, role);
      links++;
    }
  }
});

const total = src.prepare('SELECT count(*) FROM events WHERE case_id = ?').pluck().get(caseId) as number;
let events = 0;
let lastRowid = 0;
let insertMs = 0;
let readMs = 0;
let shown = 0;
for (;;) {
  const readStart = performance.now();
  const raw = readEvents.all(caseId, lastRowid, BATCH) as unknown[][];
  if (!raw.length) break;
  const rows: Row[] = raw.map((r) => ({ event: r.slice(1), links: readLinks.all(r[1]) as Link[] }));
  lastRowid = raw[raw.length - 1]![0] as number;
  const start = performance.now();
  readMs += start - readStart;
  insertBatch.immediate(rows);
  insertMs += performance.now() - start;
  events += rows.length;
  if (performance.now() - shown > 2000) {
    shown = performance.now();
    process.stderr.write(`\r\x1b[Kimport baseline: ${events.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows, ${Math.round(events / (insertMs / 1000)).toLocaleString('en-US')} rows/s `);
  }
}
process.stderr.write('\r\x1b[K');

const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const expected = { events: total, entities: src.prepare('SELECT count(*) FROM entities WHERE case_id = ?').pluck().get(caseId) as number, links: src.prepare('SELECT count(*) FROM event_entities').pluck().get() as number };
if (count('events') !== expected.events || count('entities') !== expected.entities || count('event_entities') !== expected.links) {
  throw new Error(`import-baseline: stored ${count('events')}/${count('entities')}/${count('event_entities')} rows, Quell has ${expected.events}/${expected.entities}/${expected.links}`);
}
src.close();
db.close();
const result: BaselineResult = {
  events,
  entities,
  links,
  batch: BATCH,
  insertSeconds: insertMs / 1000,
  readSeconds: readMs / 1000,
  maxRssKiB: process.resourceUsage().maxRSS,
};
console.log(JSON.stringify(result));
