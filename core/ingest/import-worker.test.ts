import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openCore, sequentialIds, steppingClock, type Core, type EventPayload, type JournalEntry } from '../index.js';
import { alice, defer, tempDir } from '../store/journal.test-helpers.js';
import { fixture } from './import.test-helpers.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-worker-tsx.mjs');

/** A core whose evidence.import runs in a worker thread, as quell serve and Electron run it. */
async function hostCore(t: TestContext, worker: boolean): Promise<{ core: Core; caseId: string }> {
  const core = openCore({
    dbPath: path.join(tempDir(t), 'quell.db'),
    createDir: true,
    clock: steppingClock('2026-01-01T00:00:00.000Z'),
    ids: sequentialIds(),
    appVersion: 'test',
    ...(worker ? { importWorker: WORKER } : {}),
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
