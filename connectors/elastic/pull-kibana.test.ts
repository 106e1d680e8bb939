import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../sdk/index.js';
import { startElasticEmulator } from './emulator/index.js';
import { FIXTURES, pullAll } from './pull.test-helpers.js';

describe('elastic pull under injected faults, Kibana only', () => {
  test('Kibana only (signals/search time windows): 10,002 alerts under 429/503/truncate, each exactly once', async () => {
    const em = await startElasticEmulator({ alerts: 10_000, contentDir: FIXTURES, seed: 22, faults: parseFaults('429:0.1,503:0.05,truncate:0.02') });
    try {
      const { esUrl: _es, ...kibanaOnly } = em.settings;
      const { ids } = await pullAll({ ...kibanaOnly, pageSize: 200 });
      const faults = em.faultsInjected();
      for (const kind of ['429', '503', 'truncate'] as const) assert.ok(faults[kind] > 0, `${kind} was injected: ${JSON.stringify(faults)}`);
      assert.deepEqual(ids, em.alertIds());
      assert.deepEqual(em.served(), ids);
    } finally {
      await em.close();
    }
  });
});
