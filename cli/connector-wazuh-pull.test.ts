// Wazuh end to end on the real core: 10,001 alerts pulled with `connector.pull` from the emulated indexer into a case
// database with faults injected. Its own file: the import of 10,000 records takes a while.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../connectors/sdk/index.js';
import { connector as wazuh, startWazuhEmulator } from '../connectors/wazuh/index.js';
import { defer } from '../core/store/journal.test-helpers.js';
import { openTestCore } from './siem-connectors.test-helpers.js';

/** The Wazuh alert id of a stored record (the indexer hit as pulled). */
const alertId = (hit: Record<string, unknown>) => String((hit['_source'] as Record<string, unknown>)['id']);

describe('wazuh through core: a full pull under faults', () => {
  test('10,001 alerts under 429, 503 and truncated pages: each stored exactly once, normalised by the wazuh-alert reader', async (t) => {
    const emu = await startWazuhEmulator({ alerts: 10_000, seed: 15, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01'), retryAfterSeconds: 0 });
    defer(t, () => emu.close());
    const { call, originals } = openTestCore(t, [wazuh]);
    const kase = await call('case.create', { name: 'wazuh pull' });
    await call('connector.add', { vendor: 'wazuh', name: 'wazuh-lab', settings: { ...emu.settings, pageSize: 500 } });

    const out = await call('connector.pull', { name: 'wazuh-lab', caseId: kase.id });

    const ids = originals(kase.id).map(alertId);
    assert.equal(ids.length, 10_001);
    assert.equal(new Set(ids).size, 10_001);
    assert.deepEqual(ids, emu.alertIds());
    assert.deepEqual(emu.served(), emu.alertIds());
    const injected = emu.faultsInjected();
    assert.ok(injected['429'] > 0 && injected['503'] > 0 && injected.truncate > 0, JSON.stringify(injected));
    assert.deepEqual([out.totals.read, out.totals.stored, out.totals.duplicates, out.caughtUp, out.stopped], [10_001, 10_001, 0, true, false]);
    assert.deepEqual([out.files[0]!.file, out.files[0]!.format], ['connector:wazuh-lab', 'wazuh-alert']);
    assert.equal(out.pages, 21);

    const oldest = await call('event.list', { caseId: kase.id, limit: 1 });
    assert.equal(oldest.total, 10_001);
    assert.deepEqual(
      oldest.rows.map((r) => [r.ts, r.kind, r.format, r.title, r.host, r.level, r.risk, r.techniques]),
      [['2022-05-11T12:29:19.905Z', 'alert', 'wazuh-alert', 'sshd: brute force trying to get access to the system. Non existent user.', 'localhost.localdomain', 'medium', 67, ['T1110']]],
    );

    const again = await call('connector.pull', { name: 'wazuh-lab', caseId: kase.id });
    assert.deepEqual([again.totals.read, again.totals.stored, again.pages, again.caughtUp], [0, 0, 1, true]);
  });
});
