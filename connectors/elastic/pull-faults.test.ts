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

describe('elastic pull under injected faults', () => {
  test('under 429/503/truncate/expire faults every alert arrives exactly once', async () => {
    const em = await startElasticEmulator({ alerts: 10_000, contentDir: FIXTURES, seed: 14, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
    try {
      const { ids } = await pullAll(em, { ...em.settings, pageSize: 250 });
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
