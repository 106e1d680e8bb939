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

describe('elastic pull under injected faults, Kibana only', () => {
  test('Kibana only (signals/search time windows): 10,002 alerts under 429/503/truncate, each exactly once', async () => {
    const em = await startElasticEmulator({ alerts: 10_000, contentDir: FIXTURES, seed: 22, faults: parseFaults('429:0.1,503:0.05,truncate:0.02') });
    try {
      const { esUrl: _es, ...kibanaOnly } = em.settings;
      const { ids } = await pullAll(em, { ...kibanaOnly, pageSize: 200 });
      const faults = em.faultsInjected();
      for (const kind of ['429', '503', 'truncate'] as const) assert.ok(faults[kind] > 0, `${kind} was injected: ${JSON.stringify(faults)}`);
      assert.deepEqual(ids, em.alertIds());
      assert.deepEqual(em.served(), ids);
    } finally {
      await em.close();
    }
  });
});
