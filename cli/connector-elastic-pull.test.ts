// The Elastic connector's full pull under faults on the real core (its own file: the longest test): a real SQLite file, the secret store, real HTTP to the
// loopback Kibana + Elasticsearch emulator. Lives in cli/ because core never imports a vendor; cli composes them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../connectors/sdk/index.js';
import { setup, startEmulator } from './connector-elastic.test-helpers.js';

describe('elastic connector through core: volume', () => {
  test('10,002 alerts by PIT + search_after under 429/503/truncate/expire: each stored exactly once', async (t) => {
    const em = await startEmulator(t, { alerts: 10_000, seed: 14, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
    const { call, storedIds } = setup(t);
    const kase = await call('case.create', { name: 'elastic pull' });
    await call('connector.add', { vendor: 'elastic', name: 'soc-elastic', settings: { ...em.settings, pageSize: 250 } });

    const out = await call('connector.pull', { name: 'soc-elastic', caseId: kase.id });

    const ids = storedIds(kase.id);
    assert.equal(ids.length, 10_002);
    assert.deepEqual(ids, em.alertIds(), 'each alert once, in stream order');
    assert.deepEqual([...new Set(em.served())].sort(), [...ids].sort(), 'exactly what the emulator served');
    const injected = em.faultsInjected();
    for (const kind of ['429', '503', 'truncate', 'expire'] as const) assert.ok(injected[kind] > 0, `${kind} injected: ${JSON.stringify(injected)}`);
    assert.deepEqual([out.totals.read, out.totals.stored, out.totals.duplicates, out.caughtUp], [10_002, 10_002, 0, true]);
    assert.equal(out.files[0]?.format, 'elastic-alert');
    assert.equal(out.totals.quarantined ?? 0, 0);

    // Caught up: the next pull opens a new PIT after the last alert and finds nothing.
    const again = await call('connector.pull', { name: 'soc-elastic', caseId: kase.id });
    assert.deepEqual([again.totals.read, again.totals.stored, again.caughtUp], [0, 0, true]);
  });
});
