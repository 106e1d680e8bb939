// The Defender connector on the real core, at volume: a real SQLite case database, real HTTP to the loopback Defender
// emulator, faults from the emulator kit. Lives in cli/ because only a composition root may import both core and
// a vendor connector.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { connector, emulator } from '../connectors/defender/index.js';
import { parseFaults, type EmulatorOptions, type RunningEmulator } from '../connectors/sdk/index.js';
import { setup as setupCore, storedIds } from '../core/connect/connect.test-helpers.js';
import { defer } from '../core/store/journal.test-helpers.js';

const setup = (t: TestContext) => setupCore(t, { connectors: [connector], timeoutMs: 5000 });

async function start(t: TestContext, options: EmulatorOptions) {
  const emu = (await emulator.start(options)) as RunningEmulator & { api: { machines: Map<string, { id: string }> } };
  defer(t, () => emu.close());
  return emu;
}

describe('defender on core: a pull at volume', () => {
  test('10,000 alerts under 429, 503, truncated pages and expiring tokens: each stored exactly once, normalised', async (t) => {
    const emu = await start(t, { alerts: 10_000, seed: 15, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
    const { core, call } = setup(t);
    const kase = await call('case.create', { name: 'mde pull' });
    await call('connector.add', { vendor: 'defender', name: 'mde-lab', settings: { ...emu.settings, pageSize: 250 } });

    const out = await call('connector.pull', { name: 'mde-lab', caseId: kase.id });

    const ids = storedIds(core, kase.id);
    assert.equal(ids.length, 10_003);
    assert.deepEqual(ids, emu.alertIds());
    assert.deepEqual([...new Set(emu.served())].sort(), [...ids].sort());
    const injected = emu.faultsInjected();
    assert.ok(injected['429'] > 0 && injected['503'] > 0 && injected.truncate > 0 && injected.expire > 0, JSON.stringify(injected));
    assert.deepEqual([out.totals.read, out.totals.stored, out.totals.duplicates, out.totals.quarantined], [10_003, 10_003, 0, 0]);
    assert.deepEqual([out.files[0]!.file, out.files[0]!.format, out.caughtUp], ['connector:mde-lab', 'defender-alert', true]);

    // Normalised through defender-alert: the recorded (2019) alert and a generated one with evidence.
    const rows = core.store.db.prepare("SELECT format, title, host, user_name AS user, level FROM events WHERE case_id = ? ORDER BY line LIMIT 4").all(kase.id);
    assert.deepEqual(rows[0], { format: 'defender-alert', title: 'test alert', host: null, user: null, level: 'low' });
    const generated = rows[3] as { format: string; host: string; user: string };
    assert.equal(generated.format, 'defender-alert');
    assert.match(generated.host, /^ws-\d{4}\.contoso\.com$/);
    assert.match(generated.user, /^CONTOSO\\/);

    const again = await call('connector.pull', { name: 'mde-lab', caseId: kase.id });
    assert.deepEqual([again.totals.read, again.totals.stored, again.caughtUp], [0, 0, true]);
  });
});
