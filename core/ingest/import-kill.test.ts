// The crash test: `quell import` killed with SIGKILL again and again on a large file, then run to completion, must
// leave the database exactly as one uninterrupted import does, with the journal intact and every record accounted
// for. Where and when each kill lands comes from a seeded PRNG; the seed is printed, QUELL_KILL_SEED=<seed> reuses it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../store/journal.test-helpers.js';
import { Store } from '../store/index.js';
import { generateEve, prng, quell } from './import.test-helpers.js';

/**
 * Records in the generated file. 20 k keeps the test near a minute on two cores: one uninterrupted import of 20 k
 * EVE records takes ~10 s there, and the test runs about five imports' worth. QUELL_KILL_RECORDS=60000 for a longer run.
 */
const RECORDS = Number(process.env.QUELL_KILL_RECORDS ?? 20_000);
const BATCH = 2000;
/** One kill while the process starts, eight as batches commit, one after the import is marked done (regrouping). */
const BATCH_KILLS = 8;
/** Runs that end before their kill do not count as kills; past this many attempts the test gives up. */
const MAX_ATTEMPTS = 30;

async function newCase(db: string): Promise<string> {
  const run = await quell(['--db', db, 'case', 'new', 'crash test']);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout.trim();
}

const digest = (rows: unknown[]) => createHash('sha256').update(JSON.stringify(rows)).digest('hex');

/** Everything an import leaves, independent of the case id (which differs between the two databases). */
function snapshot(dbPath: string) {
  const store = Store.open(dbPath, { createDir: false, appVersion: 'test' });
  try {
    const db = store.db;
    const all = (sql: string) => db.prepare(sql).raw().all();
    const n = (sql: string) => (db.prepare(sql).raw().get() as [number])[0];
    // Throws SQLITE_CORRUPT_VTAB when the full-text index disagrees with the events it indexes.
    db.prepare("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')").run();
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      counts: {
        events: n('SELECT count(*) FROM events'),
        quarantine: n('SELECT count(*) FROM quarantine'),
        entities: n('SELECT count(*) FROM entities'),
        eventEntities: n('SELECT count(*) FROM event_entities'),
      },
      duplicateKeys: n('SELECT count(*) FROM (SELECT 1 FROM events GROUP BY case_id, dedup_key HAVING count(*) > 1)'),
      digests: {
        events: digest(all('SELECT dedup_key, kind, ts, format, title, line, risk FROM events ORDER BY dedup_key')),
        quarantine: digest(all('SELECT dedup_key, line, reason, hex(raw) FROM quarantine ORDER BY dedup_key')),
        entities: digest(all('SELECT type, canonical, value FROM entities ORDER BY type, canonical')),
        eventEntities: digest(
          all(
            `SELECT e.dedup_key, en.type, en.canonical, ee.role FROM event_entities ee
             JOIN events e ON e.id = ee.event_id JOIN entities en ON en.id = ee.entity_id
             ORDER BY 1, 2, 3, 4`,
          ),
        ),
      },
      quarantinedLines: (all('SELECT line FROM quarantine ORDER BY line') as [number][]).map((r) => r[0]),
      // What the committed import.batch entries say was stored and quarantined, summed over every run.
      journaled: db
        .prepare(
          `SELECT coalesce(sum(json_extract(payload, '$.stored')), 0) AS stored,
                  coalesce(sum(json_extract(payload, '$.quarantined')), 0) AS quarantined
           FROM journal WHERE action = 'import.batch'`,
        )
        .get() as { stored: number; quarantined: number },
      imports: all("SELECT status, count(*) FROM imports GROUP BY status ORDER BY status") as [string, number][],
      incidentSizes: (all('SELECT count(*) FROM incident_members GROUP BY incident_id ORDER BY 1') as [number][]).map((r) => r[0]),
    };
  } finally {
    store.close();
  }
}

/** Reads B between and during runs: the newest import row, and how many events are stored. */
function watch(dbPath: string) {
  const store = Store.open(dbPath, { createDir: false, appVersion: 'test' });
  const newest = store.db.prepare('SELECT rowid, read, status FROM imports ORDER BY rowid DESC LIMIT 1');
  const events = store.db.prepare('SELECT count(*) AS n FROM events');
  return {
    newest: () => newest.get() as { rowid: number; read: number; status: string } | undefined,
    events: () => (events.get() as { n: number }).n,
    close: () => store.close(),
  };
}

type KillPoint = { at: 'startup' } | { at: 'batch'; after: number } | { at: 'done' };

test('quell import killed with SIGKILL at random points, then rerun, leaves exactly what one clean import leaves', { timeout: 240_000 }, async (t) => {
  const seed = Number(process.env.QUELL_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const log = (line: string) => t.diagnostic(line);
  log(`seed ${seed} (rerun with QUELL_KILL_SEED=${seed})`);
  const random = prng(seed);
  const dir = tempDir(t);
  const file = path.join(dir, 'eve-large.ndjson');
  const generated = generateEve(file, RECORDS, seed);
  const expected = {
    read: generated.records,
    stored: generated.records - generated.broken.size - generated.stats,
    duplicates: 0,
    quarantined: generated.broken.size,
    skipped: generated.stats,
  };
  log(`file: ${generated.records} records, ${generated.broken.size} broken, ${generated.stats} stats, ${generated.blank} blank lines`);

  // A: one uninterrupted import, which also measures how long an import takes here.
  const dbA = path.join(dir, 'A.db');
  const caseA = await newCase(dbA);
  const runA = await quell(['--db', dbA, 'import', file, '--case', caseA, '--json']);
  assert.equal(runA.code, 0, runA.stderr);
  const outA = JSON.parse(runA.stdout) as { files: Record<string, unknown>[] } & Record<string, unknown>;
  assert.deepEqual({ read: outA.read, stored: outA.stored, duplicates: outA.duplicates, quarantined: outA.quarantined, skipped: outA.skipped }, expected);
  const duration = runA.ms;
  log(`uninterrupted import: ${Math.round(duration)} ms`);

  // B: killed at ten points spread over the import: once while the process starts, eight times a random time into
  // a batch (after 0..n batches of this run have committed, in rising order so that each kill has new records to
  // interrupt), and once after the import is marked done, while incidents are regrouped.
  const dbB = path.join(dir, 'B.db');
  const started = performance.now();
  const caseB = await newCase(dbB);
  const startupMs = performance.now() - started;
  const batches = Math.ceil(RECORDS / BATCH);
  const batchMs = Math.max(50, (duration - startupMs) / batches);
  const afterBatches = Array.from({ length: BATCH_KILLS }, () => Math.floor(random() * batches)).sort((x, y) => x - y);
  const points: KillPoint[] = [{ at: 'startup' }, ...afterBatches.map((after) => ({ at: 'batch' as const, after })), { at: 'done' }];
  const argvB = ['--db', dbB, 'import', file, '--case', caseB, '--json'];
  let attempts = 0;
  for (const point of points) {
    for (;;) {
      assert.ok(++attempts <= MAX_ATTEMPTS, `${attempts - 1} runs and still not all ten kills landed (seed ${seed})`);
      const w = watch(dbB);
      const before = w.newest()?.rowid ?? 0;
      const mine = () => {
        const row = w.newest();
        return row && row.rowid > before ? row : undefined;
      };
      const kill =
        point.at === 'startup'
          ? { armed: () => true, afterMs: Math.round(random() * startupMs) }
          : point.at === 'batch'
            ? { armed: () => (mine()?.read ?? -1) >= point.after * BATCH, afterMs: Math.round(random() * batchMs) }
            : { armed: () => mine()?.status === 'done', afterMs: Math.round(random() * batchMs) };
      const run = await quell(argvB, kill);
      const row = mine();
      log(
        `run ${attempts}: kill ${point.at === 'batch' ? `${kill.afterMs} ms after ${point.after} batches` : `${kill.afterMs} ms after ${point.at}`}` +
          ` → ${run.signal ?? `exit ${run.code}`} (its import: ${row ? `${row.status}, ${row.read} read` : 'not started'}; ${w.events()} events stored)`,
      );
      w.close();
      if (run.signal === 'SIGKILL') break;
      assert.equal(run.code, 0, `run ${attempts} (seed ${seed}) failed on its own:\n${run.stderr}`);
    }
  }
  const last = await quell(argvB);
  assert.equal(last.code, 0, last.stderr);
  const outB = JSON.parse(last.stdout) as Record<string, number>;
  assert.equal(outB.read, expected.read);
  assert.equal(outB.stored! + outB.duplicates! + outB.quarantined! + outB.skipped!, outB.read);
  assert.equal(outB.skipped, expected.skipped);

  const verify = await quell(['--db', dbB, 'audit', 'verify']);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /^journal intact: /);

  const a = snapshot(dbA);
  const b = snapshot(dbB);
  assert.equal(b.integrity, 'ok');
  assert.equal(a.integrity, 'ok');
  assert.deepEqual(b.counts, a.counts);
  assert.deepEqual(b.digests, a.digests);
  assert.equal(b.duplicateKeys, 0);
  assert.deepEqual(b.incidentSizes, a.incidentSizes);
  // Every record of the file is accounted for: stored, quarantined (at exactly the broken lines) or skipped.
  const nonBlank = fs.readFileSync(file, 'latin1').split('\n').filter((l) => l.trim() !== '').length;
  assert.equal(nonBlank, generated.records);
  assert.equal(b.counts.events + b.counts.quarantine + generated.stats, nonBlank);
  assert.deepEqual(b.quarantinedLines, [...generated.broken.keys()]);
  // A batch and its journal entry commit together, so what the journal says was stored is what is there.
  assert.deepEqual(b.journaled, { stored: b.counts.events, quarantined: b.counts.quarantine });
  assert.deepEqual(a.journaled, { stored: a.counts.events, quarantined: a.counts.quarantine });
  // The final run finished its import; killed runs may have finished theirs too, depending on where the kill
  // landed (a run can mark its import done just before the kill), so only the invariants are asserted: at least
  // one import is done, none failed, and no run made more than one import row.
  const doneImports = b.imports.find(([s]) => s === 'done')?.[1] ?? 0;
  const allImports = b.imports.reduce((n, [, count]) => n + count, 0);
  assert.ok(doneImports >= 1, `no finished import in ${JSON.stringify(b.imports)}`);
  assert.ok(allImports <= attempts + 1, `${allImports} import rows for ${attempts + 1} runs`);
  assert.equal(b.imports.find(([s]) => s === 'failed'), undefined);
});
