// The CrowdStrike connector on the real core, at volume: a real SQLite case database, real HTTP to the loopback Falcon
// emulator, faults from the emulator kit. Lives in cli/ because only a composition root may import both core and
// a vendor connector.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { connector, emulator } from '../connectors/crowdstrike/index.js';
import { parseFaults, type EmulatorOptions, type RunningEmulator } from '../connectors/sdk/index.js';
import { setup as setupCore } from '../core/connect/connect.test-helpers.js';
import { defer } from '../core/store/journal.test-helpers.js';

const setup = (t: TestContext) => setupCore(t, { connectors: [connector], timeoutMs: 5000 });

async function start(t: TestContext, options: EmulatorOptions) {
  const emu = (await emulator.start(options)) as RunningEmulator & { api: { devices: Map<string, { device_id: string; status: string }>; sessions: Map<string, string> } };
  defer(t, () => emu.close());
  return emu;
}

function storedIds(core: ReturnType<typeof setup>['core'], caseId: string): string[] {
  return (core.store.db.prepare("SELECT json_extract(original, '$.composite_id') AS id FROM events WHERE case_id = ? ORDER BY line").all(caseId) as { id: string }[]).map((r) => r.id);
}

describe('crowdstrike on core: a pull at volume', () => {
  test('10,000 alerts under 429, 503, truncated answers and expiring tokens: each stored exactly once, normalised', async (t) => {
    const emu = await start(t, { alerts: 10_000, seed: 22, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
    const { core, call } = setup(t);
    const kase = await call('case.create', { name: 'falcon pull' });
    await call('connector.add', { vendor: 'crowdstrike', name: 'falcon-lab', settings: { ...emu.settings, pageSize: 250 } });

    const out = await call('connector.pull', { name: 'falcon-lab', caseId: kase.id });

    const ids = storedIds(core, kase.id);
    assert.equal(ids.length, 10_002);
    assert.deepEqual(ids, emu.alertIds());
    assert.deepEqual([...new Set(emu.served())].sort(), [...ids].sort());
    const injected = emu.faultsInjected();
    assert.ok(injected['429'] > 0 && injected['503'] > 0 && injected.truncate > 0 && injected.expire > 0, JSON.stringify(injected));
    assert.deepEqual([out.totals.read, out.totals.stored, out.totals.duplicates, out.totals.quarantined], [10_002, 10_002, 0, 0]);
    assert.deepEqual([out.files[0]!.file, out.files[0]!.format, out.caughtUp], ['connector:falcon-lab', 'crowdstrike-alert', true]);

    // Normalised through crowdstrike-alert: the two recorded cloud alerts, then a generated endpoint detection.
    const rows = core.store.db.prepare('SELECT format, title, host, level, risk FROM events WHERE case_id = ? ORDER BY line LIMIT 3').all(kase.id) as { format: string; title: string; host: string | null; level: string; risk: number }[];
    assert.deepEqual(rows[0], { format: 'crowdstrike-alert', title: 'EC2 security group modified with new ingress rule allowing traffic from the public internet', host: null, level: 'high', risk: 70 });
    assert.deepEqual(rows[1], { format: 'crowdstrike-alert', title: 'Another IOA', host: null, level: 'low', risk: 30 });
    assert.match(rows[2]!.host ?? '', /^FIN-WS-\d{3}$/);

    const again = await call('connector.pull', { name: 'falcon-lab', caseId: kase.id });
    assert.deepEqual([again.totals.read, again.totals.stored, again.caughtUp], [0, 0, true]);
  });
});
