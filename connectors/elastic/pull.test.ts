import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startElasticEmulator } from './emulator/index.js';
import { assertExactlyOnce, FIXTURES, pullAll } from './pull.test-helpers.js';

describe('elastic pull against the emulator', () => {
  test('PIT + search_after delivers 10,002 alerts exactly once, in stream order', async () => {
    const em = await startElasticEmulator({ alerts: 10_000, contentDir: FIXTURES, seed: 7 });
    try {
      const { ids, pages } = await pullAll({ ...em.settings, pageSize: 1000 });
      assert.equal(em.alertIds().length, 10_002);
      assert.deepEqual(ids, em.alertIds());
      assert.equal(pages, 11);
      assert.deepEqual(em.served(), ids);
    } finally {
      await em.close();
    }
  });

  test('Kibana signals/search (no Elasticsearch URL) narrows the range and still delivers each alert once', async () => {
    const em = await startElasticEmulator({ alerts: 3_000, contentDir: FIXTURES, seed: 3 });
    try {
      const { esUrl: _es, ...kibanaOnly } = em.settings;
      const { ids } = await pullAll({ ...kibanaOnly, pageSize: 250 });
      assert.deepEqual(ids, em.alertIds());
    } finally {
      await em.close();
    }
  });

  test('a pull stopped part-way resumes from its cursor (the PIT it held is gone) without skipping or repeating', async () => {
    const em = await startElasticEmulator({ alerts: 2_500, contentDir: FIXTURES, seed: 5 });
    try {
      const settings = { ...em.settings, pageSize: 400 };
      const first = await pullAll(settings, { stopAfter: 3 });
      assert.equal(first.ids.length, 1200);
      assert.equal(first.done, false);
      // A cursor stored by an earlier process: its PIT id is stale now.
      const stale = { ...first.cursor, pit: { id: 'ZXhwaXJlZA', searchAfter: (first.cursor as { pit: { searchAfter: unknown[] } }).pit.searchAfter } };
      const rest = await pullAll(settings, { cursor: stale });
      assertExactlyOnce([...first.ids, ...rest.ids], em.alertIds());
    } finally {
      await em.close();
    }
  });
});
