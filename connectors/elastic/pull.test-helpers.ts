// What the Elastic pull tests share: the fixtures the emulator serves, a client without real waits, and a loop that
// pages to the end as core would, collecting what the connector delivered.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openConnectorContext, type Cursor } from '../sdk/index.js';
import { connector } from './index.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
export const FAST = { sleep: () => Promise.resolve(), timeoutMs: 5_000, maxAttempts: 8 };

/** Pages until done (or `stopAfter` pages); every id the connector delivered, in order. */
export async function pullAll(settings: Record<string, unknown>, options: { stopAfter?: number; cursor?: Cursor | null } = {}) {
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
  }
}

export function assertExactlyOnce(ids: string[], expected: string[]) {
  assert.equal(new Set(ids).size, ids.length, 'no alert delivered twice');
  assert.deepEqual([...ids].sort(), [...expected].sort());
}
