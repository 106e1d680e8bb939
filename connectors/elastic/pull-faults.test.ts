import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../sdk/index.js';
import { startElasticEmulator } from './emulator/index.js';
import { assertExactlyOnce, FIXTURES, pullAll } from './pull.test-helpers.js';

describe('elastic pull under injected faults', () => {
  test('under 429/503/truncate/expire faults every alert arrives exactly once', async () => {
    const em = await startElasticEmulator({ alerts: 10_000, contentDir: FIXTURES, seed: 14, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
    try {
      const { ids } = await pullAll({ ...em.settings, pageSize: 250 });
      assertExactlyOnce(ids, em.alertIds());
      const faults = em.faultsInjected();
      for (const kind of ['429', '503', 'truncate', 'expire'] as const) assert.ok(faults[kind] > 0, `${kind} was injected: ${JSON.stringify(faults)}`);
      // Faulted answers served nothing; every page that arrived whole was delivered once, in stream order.
      assert.deepEqual(em.served(), ids);
      assert.deepEqual(ids, em.alertIds());
    } finally {
      await em.close();
    }
  });

});
