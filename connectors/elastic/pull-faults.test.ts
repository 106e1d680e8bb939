import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { openConnectorContext, parseFaults, type Cursor, type RunningEmulator } from '../sdk/index.js';
import { connector, emulator } from './index.js';
import type { ElasticSettings } from './settings.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/elastic');
const FAST = { sleep: () => Promise.resolve(), timeoutMs: 5_000, maxAttempts: 8 };

/** Pages until done; every id the connector delivered, in order. */
async function pullAll(em: RunningEmulator, settings: Record<string, unknown>, options: { stopAfter?: number; cursor?: Cursor | null } = {}) {
  const opened = openConnectorContext<ElasticSettings>(connector, settings, { http: FAST });
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
    const em = await emulator.start({ alerts: 10_000, dataDir: FIXTURES, seed: 11, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') } as Parameters<
      typeof emulator.start
    >[0]);
    try {
      const { ids } = await pullAll(em, { ...em.settings, pageSize: 500 });
      assertExactlyOnce(ids, em.alertIds());
      const faults = em.faultsInjected();
      assert.ok(faults['429'] > 0 && faults['503'] > 0, `faults were injected: ${JSON.stringify(faults)}`);
    } finally {
      await em.close();
    }
  });

});
