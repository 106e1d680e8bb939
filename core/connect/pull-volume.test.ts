// The volume test of the connector pull runner: 10,000 alerts through every fault the issue names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFaults } from '../../connectors/sdk/index.js';
import { startAcmeEmulator } from '../../connectors/sdk/testing/index.js';
import { defer } from '../store/journal.test-helpers.js';
import { setup, storedIds } from './connect.test-helpers.js';

test('10,000 alerts under 429, 503, truncated pages and expiring tokens: each stored exactly once', async (t) => {
  const emu = await startAcmeEmulator({ alerts: 10_000, seed: 11, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
  defer(t, () => emu.close());
  const { core, call } = setup(t);
  const kase = await call('case.create', { name: 'pull' });
  await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: { ...emu.settings, pageSize: 100 } });
  const progress: number[] = [];
  core.router.subscribe('connector.progress', (p) => progress.push(p.pages));

  const out = await call('connector.pull', { name: 'acme-lab', caseId: kase.id });

  const ids = storedIds(core, kase.id);
  assert.equal(ids.length, 10_000);
  assert.equal(new Set(ids).size, 10_000);
  assert.deepEqual(ids, emu.alertIds(), 'stored in stream order, running line numbers');
  assert.deepEqual([...new Set(emu.served())].sort(), [...ids].sort(), 'exactly what the emulator served');
  const injected = emu.faultsInjected();
  assert.ok(injected['429'] > 0 && injected['503'] > 0 && injected.truncate > 0 && injected.expire > 0, JSON.stringify(injected));
  assert.equal(out.totals.read, 10_000);
  assert.equal(out.totals.stored, 10_000);
  assert.equal(out.totals.duplicates, 0);
  assert.equal(out.files[0]!.file, 'connector:acme-lab');
  assert.equal(out.files[0]!.format, 'wazuh-alert');
  assert.equal(out.pages, 100);
  assert.equal(out.caughtUp, true);
  assert.equal(out.stopped, false);
  // Every retried fault is one retry; an expired token is answered 401 and retried after a refresh.
  assert.equal(out.retries, injected['429'] + injected['503'] + injected.truncate + injected.expire);
  assert.deepEqual(progress, Array.from({ length: 100 }, (_, i) => i + 1));

  const journal = await call('journal.list', { caseId: kase.id, limit: 1000 });
  const pages = journal.entries.filter((e) => e.action === 'connector.pull.page');
  assert.equal(pages.length, 100);
  const first = pages[0]!.payload as { records: number; stored: number; calls: { method: string; path: string; status: number; attempts: number }[] };
  assert.equal(first.records, 100);
  assert.ok(first.calls.some((c) => c.method === 'GET' && c.path === '/api/v1/alerts' && c.status === 200));
  assert.ok(first.calls.some((c) => c.method === 'POST' && c.path === '/oauth/token'), 'the token request is journaled too');
  const finished = journal.entries.find((e) => e.action === 'connector.pull.finished')!.payload as { stored: number };
  assert.equal(finished.stored, 10_000);

  // Caught up: pulling again asks once from the stored cursor and stores nothing new.
  const again = await call('connector.pull', { name: 'acme-lab', caseId: kase.id });
  assert.deepEqual([again.totals.read, again.totals.stored, again.pages, again.caughtUp], [0, 0, 1, true]);
  const listed = await call('connector.list', {});
  assert.deepEqual(listed.connectors[0]!.cursors.map((c) => [c.caseId, c.pages, c.records]), [[kase.id, 101, 10_000]]);
  assert.equal(listed.connectors[0]!.lastPull.status, 'done');
});
