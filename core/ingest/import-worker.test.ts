import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openCore, sequentialIds, steppingClock, type Core, type EventPayload, type JournalEntry } from '../index.js';
import { alice, defer, tempDir } from '../store/journal.test-helpers.js';
import { allFormats } from './formats/index.js';
import { importFile } from './import-file.js';
import { fixture, generateEve } from './import.test-helpers.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-worker-tsx.mjs');

/** A core whose evidence.import runs in a worker thread, as quell serve and Electron run it. */
async function hostCore(t: TestContext, worker: boolean | 'reader'): Promise<{ core: Core; caseId: string }> {
  const core = openCore({
    dbPath: path.join(tempDir(t), 'quell.db'),
    createDir: true,
    clock: steppingClock('2026-01-01T00:00:00.000Z'),
    ids: sequentialIds(),
    appVersion: 'test',
    ...(worker === 'reader' ? { readerWorker: WORKER } : worker ? { importWorker: WORKER } : {}),
  });
  defer(t, () => core.close());
  const created = await core.router.invoke('case.create', { name: 'worker' }, alice);
  assert.ok(created.ok);
  return { core, caseId: created.value.id };
}

describe('evidence.import in a worker thread', () => {
  test('stores what an in-thread import stores, with progress and journal events reaching the host', async (t) => {
    const paths = [fixture('suricata/eve-alerts.ndjson'), fixture('suricata/eve-mixed-small.ndjson')];
    const inThread = await hostCore(t, false);
    const inWorker = await hostCore(t, true);
    const progress: EventPayload<'import.progress'>[] = [];
    const announced: JournalEntry[] = [];
    inWorker.core.router.subscribe('import.progress', (p) => progress.push(p));
    inWorker.core.router.subscribe('journal.appended', (e) => announced.push(e));

    const a = await inThread.core.router.invoke('evidence.import', { caseId: inThread.caseId, paths }, alice);
    const b = await inWorker.core.router.invoke('evidence.import', { caseId: inWorker.caseId, paths }, alice);
    assert.ok(a.ok && b.ok);
    // Import ids come from each side's own id source; everything else is the same.
    const strip = (r: typeof a) => (r.ok ? { ...r.value, files: r.value.files.map(({ importId: _, ...f }) => f) } : r);
    assert.deepEqual(strip(b), strip(a));
    assert.deepEqual(b.value.totals, { read: 34, stored: 33, duplicates: 0, quarantined: 0, skipped: 1, incidents: b.value.totals.incidents, byFormat: { 'suricata-eve': 34 } });

    assert.deepEqual(progress.map((p) => [p.fileIndex, p.fileCount, p.read]), [[0, 2, 22], [1, 2, 12]]);
    // The worker committed on its own connection; the host announced every entry, in order, before answering.
    const journal = inWorker.core.store.journal.list({ caseId: inWorker.caseId, afterSeq: 1, limit: 100 });
    assert.deepEqual(announced.map((e) => e.seq), journal.map((e) => e.seq));
    assert.deepEqual([...new Set(announced.map((e) => e.action))], ['import.started', 'import.batch', 'evidence.added', 'import.finished', 'incidents.regrouped']);
    const events = inWorker.core.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    assert.equal(events.n, 33);
  });

  test('a failure inside the worker comes back as the same typed error', async (t) => {
    const { core, caseId } = await hostCore(t, true);
    const missing = path.join(tempDir(t), 'missing.ndjson');
    assert.deepEqual(await core.router.invoke('evidence.import', { caseId, paths: [missing] }, alice), {
      ok: false,
      error: { code: 'not_found', message: `Cannot read ${missing}: no such file.` },
    });
  });
});

/** Every row an import writes, table by table, journal included (its hashes cover every payload). */
function tables(core: Core): Record<string, unknown[]> {
  const all = (sql: string) => core.store.db.prepare(sql).all();
  return {
    events: all('SELECT * FROM events ORDER BY id'),
    entities: all('SELECT * FROM entities ORDER BY id'),
    links: all('SELECT * FROM event_entities ORDER BY event_id, entity_id, role'),
    quarantine: all('SELECT * FROM quarantine ORDER BY id'),
    incidents: all('SELECT * FROM incidents ORDER BY id'),
    imports: all('SELECT * FROM imports ORDER BY id'),
    evidence: all('SELECT * FROM evidence ORDER BY id'),
    journal: all('SELECT * FROM journal ORDER BY seq'),
  };
}

describe('evidence read in a worker thread while this thread writes (the CLI)', () => {
  test('writes exactly the rows, journal and hashes of an import done wholly in this thread', async (t) => {
    // 13,000 generated records (over the 8 MiB below which a file is read in this thread; seven 2000-record batches,
    // so the reader has to wait for the writer), damaged lines, a calibrated Windows file and an Attack Discovery
    // incident (both small, so read in this thread).
    const eve = path.join(tempDir(t), 'eve.ndjson');
    const generated = generateEve(eve, 13000, 7, 0.02);
    assert.ok(fs.statSync(eve).size > 8 * 1024 * 1024);
    const paths = [
      eve,
      fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson'),
      fixture('elastic/kibana-es-archive-attack-discovery-doc.ndjson'),
    ];
    const inThread = await hostCore(t, false);
    const read = await hostCore(t, 'reader');
    const a = await inThread.core.router.invoke('evidence.import', { caseId: inThread.caseId, paths }, alice);
    const b = await read.core.router.invoke('evidence.import', { caseId: read.caseId, paths }, alice);
    assert.ok(a.ok && b.ok, JSON.stringify(b));
    assert.deepEqual(b.value, a.value);
    assert.equal(b.value.files[0]!.quarantined, generated.broken.size);
    assert.equal(b.value.files[0]!.read, generated.records);
    assert.deepEqual(tables(read.core), tables(inThread.core));
    assert.equal(read.core.store.journal.verify().ok, true);
  });

  test('a file refused whole by the reader thread comes back as the same typed error, with nothing written', async (t) => {
    const { core, caseId } = await hostCore(t, false);
    const odd = path.join(tempDir(t), 'odd.ndjson');
    fs.writeFileSync(odd, '{"colour":"blue","size":3}\n{"colour":"red","size":4}\n');
    const before = tables(core);
    const refused = importFile({
      store: core.store, caseId, filePath: odd, actor: alice, clock: steppingClock('2026-01-01T00:00:00.000Z'), ids: sequentialIds(),
      readerScript: WORKER, readerThreadMinBytes: 0,
    });
    await assert.rejects(refused, {
      name: 'QuellError',
      code: 'invalid_input',
      message: `Could not recognise the format of ${odd} (first record's keys: colour, size). Name it with --format, one of: ${allFormats.map((f) => f.name).join(', ')}. Nothing was imported.`,
    });
    assert.deepEqual(tables(core), before);
  });
});
