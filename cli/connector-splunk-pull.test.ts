// Splunk end to end on the real core: 10,003 notables pulled with `connector.pull` into a case database over real
// HTTP to the loopback splunkd emulator with faults injected. Its own file: the import of 10,000 records takes a while.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../connectors/sdk/index.js';
import { connector as splunk, startSplunkEmulator } from '../connectors/splunk/index.js';
import { defer } from '../core/store/journal.test-helpers.js';
import { openTestCore } from './siem-connectors.test-helpers.js';

/** The id the emulator and the connector give a row: a notable's event_id, else bucket, offset and time. */
const rowId = (r: Record<string, unknown>) => (typeof r['event_id'] === 'string' ? r['event_id'] : `${String(r['_bkt'] ?? '')}/${String(r['_cd'])}@${String(r['_time'])}`);

describe('splunk through core: a full pull under faults', () => {
  test('10,003 notables under 429, 503, truncated pages and expired session keys: each stored exactly once, normalised', async (t) => {
    const emu = await startSplunkEmulator({ alerts: 10_000, seed: 15, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01'), retryAfterSeconds: 0 });
    defer(t, () => emu.close());
    const { call, originals } = openTestCore(t, [splunk]);
    const kase = await call('case.create', { name: 'splunk pull' });
    await call('connector.add', { vendor: 'splunk', name: 'splunk-lab', settings: { ...emu.settings, pageSize: 500 } });

    const out = await call('connector.pull', { name: 'splunk-lab', caseId: kase.id });

    const ids = originals(kase.id).map(rowId);
    assert.equal(ids.length, 10_003);
    assert.equal(new Set(ids).size, 10_003);
    assert.deepEqual(ids, emu.alertIds());
    assert.deepEqual(emu.served(), emu.alertIds(), 'served once each: truncated pages are not served');
    const injected = emu.faultsInjected();
    assert.ok(injected['429'] > 0 && injected['503'] > 0 && injected.truncate > 0 && injected.expire > 0, JSON.stringify(injected));
    assert.deepEqual([out.totals.read, out.totals.stored, out.totals.duplicates, out.caughtUp, out.stopped], [10_003, 10_003, 0, true, false]);
    assert.deepEqual([out.files[0]!.file, out.files[0]!.format], ['connector:splunk-lab', 'splunk-notable']);
    assert.equal(out.pages, 21);

    // Normalised by core's splunk-notable reader: the oldest rows are the recorded ones.
    const oldest = await call('event.list', { caseId: kase.id, format: 'splunk-notable', limit: 3 });
    assert.equal(oldest.total, 10_003);
    assert.deepEqual(
      oldest.rows.map((r) => [r.ts, r.kind, r.title, r.host, r.level]),
      [
        ['2020-08-24T19:10:17.000Z', 'alert', 'Endpoint - Recurring Malware Infection - Rule', 'ACME-workstation-012', 'low'],
        ['2020-08-24T20:30:17.000Z', 'alert', 'Endpoint - Recurring Malware Infection - Rule', 'ACME-workstation-012', 'low'],
        ['2024-06-05T09:15:24.000Z', 'alert', 'Root user use', null, 'informational'],
      ],
    );
    // Every fourth generated notable is a brute-force rule annotated with T1110.
    assert.equal((await call('event.list', { caseId: kase.id, technique: 'T1110', limit: 1 })).total, 2_500);

    // Caught up: one more pull dispatches one job from the high-water mark and stores nothing.
    const again = await call('connector.pull', { name: 'splunk-lab', caseId: kase.id });
    assert.deepEqual([again.totals.read, again.totals.stored, again.pages, again.caughtUp], [0, 0, 1, true]);
  });
});
