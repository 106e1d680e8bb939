// The CrowdStrike connector on the real core, at volume: a real SQLite case database, real HTTP to the loopback Falcon
// emulator, faults from the emulator kit. Lives in cli/ because only a composition root may import both core and
// a vendor connector.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { connector, emulator } from '../connectors/crowdstrike/index.js';
import { parseFaults, type EmulatorOptions, type RunningEmulator } from '../connectors/sdk/index.js';
import type { CommandName, CommandOutput } from '../core/api/index.js';
import { openCore } from '../core/app.js';
import { EncryptedFileSecretStore } from '../core/connect/secrets.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { alice, defer, tempDir } from '../core/store/journal.test-helpers.js';

const instant = async () => {};

function setup(t: TestContext) {
  const dir = tempDir(t);
  const core = openCore({
    dbPath: path.join(dir, 'quell.db'),
    createDir: false,
    clock: systemClock,
    ids: sequentialIds(),
    appVersion: 'test',
    connectors: [connector],
    secrets: new EncryptedFileSecretStore(path.join(dir, 'secrets.enc'), 'correct horse battery'),
    connect: { http: { sleep: instant, timeoutMs: 5000, maxAttempts: 8 }, sleep: instant, pollIntervalMs: 5 },
  });
  defer(t, () => core.close());
  const call = async <N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>> => {
    const r = await core.router.invoke(name, input, alice);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { api: r.error });
    return r.value as CommandOutput<N>;
  };
  const fail = async (name: CommandName, input: unknown) => {
    const r = await core.router.invoke(name, input, alice);
    assert.equal(r.ok, false, `${name} should fail`);
    return (r as { ok: false; error: { code: string; message: string } }).error;
  };
  return { core, call, fail };
}

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
