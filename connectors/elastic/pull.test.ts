import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { openConnectorContext, parseFaults, type Cursor, type RunningEmulator } from '../sdk/index.js';
import { startElasticEmulator } from './emulator/index.js';
import { connector } from './index.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const FAST = { sleep: () => Promise.resolve(), timeoutMs: 5_000, maxAttempts: 8 };

/** Pages until done; every id the connector delivered, in order. */
async function pullAll(em: RunningEmulator, settings: Record<string, unknown>, options: { stopAfter?: number; cursor?: Cursor | null } = {}) {
  const opened = openConnectorContext(connector, settings, { http: FAST });
  const ids: string[] = [];
  const raws: Record<string, unknown>[] = [];
  let cursor = options.cursor ?? null;
  let pages = 0;
  try {
    for (;;) {
      const page = await connector.pullAlerts(opened.ctx, cursor);
      ids.push(...page.records.map((r) => r.id));
      raws.push(...page.records.map((r) => r.raw));
      cursor = page.cursor;
      pages++;
      if (page.done || (options.stopAfter !== undefined && pages >= options.stopAfter)) return { ids, raws, cursor, pages, done: page.done };
    }
  } finally {
    opened.close();
    void em;
  }
}

function assertExactlyOnce(ids: string[], expected: string[]) {
  assert.equal(new Set(ids).size, ids.length, 'no alert delivered twice');
  assert.deepEqual([...ids].sort(), [...expected].sort());
}

describe('elastic pull against the emulator', () => {
  test('PIT + search_after delivers 10,002 alerts exactly once, in stream order', async () => {
    const em = await startElasticEmulator({ alerts: 10_000, contentDir: FIXTURES, seed: 7 });
    try {
      const { ids, pages } = await pullAll(em, { ...em.settings, pageSize: 1000 });
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
      const { ids } = await pullAll(em, { ...kibanaOnly, pageSize: 250 });
      assert.deepEqual(ids, em.alertIds());
    } finally {
      await em.close();
    }
  });

  test('a pull stopped part-way resumes from its cursor (the PIT it held is gone) without skipping or repeating', async () => {
    const em = await startElasticEmulator({ alerts: 2_500, contentDir: FIXTURES, seed: 5 });
    try {
      const settings = { ...em.settings, pageSize: 400 };
      const first = await pullAll(em, settings, { stopAfter: 3 });
      assert.equal(first.ids.length, 1200);
      assert.equal(first.done, false);
      // A cursor stored by an earlier process: its PIT id is stale now.
      const stale = { ...first.cursor, pit: { id: 'ZXhwaXJlZA', searchAfter: (first.cursor as { pit: { searchAfter: unknown[] } }).pit.searchAfter } };
      const rest = await pullAll(em, settings, { cursor: stale });
      assertExactlyOnce([...first.ids, ...rest.ids], em.alertIds());
    } finally {
      await em.close();
    }
  });
});
