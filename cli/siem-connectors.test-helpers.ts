// Shared by the Splunk and Wazuh end-to-end tests: core's connector test setup (a real core on a temporary SQLite
// file, an encrypted secret file, instant waits) with these vendors registered, plus the stored originals.
import type { TestContext } from 'node:test';
import type { Connector } from '../connectors/sdk/index.js';
import { setup } from '../core/connect/connect.test-helpers.js';

export function openTestCore(t: TestContext, connectors: Connector[]) {
  const s = setup(t, { connectors, timeoutMs: 5000 });
  /** The raw original of every stored record of the case, in line order. */
  const originals = (caseId: string) =>
    (s.core.store.db.prepare('SELECT original FROM events WHERE case_id = ? ORDER BY line').all(caseId) as { original: string }[]).map((r) => JSON.parse(r.original) as Record<string, unknown>);
  return { ...s, originals };
}
