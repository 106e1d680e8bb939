// The CrowdStrike connector on the real core: a real SQLite case database, real HTTP to the loopback Falcon
// emulator, faults from the emulator kit. Lives in cli/ because only a composition root may import both core and
// a vendor connector.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { connector, emulator } from '../connectors/crowdstrike/index.js';
import { openConnectorContext, parseFaults, type EmulatorOptions, type RunningEmulator } from '../connectors/sdk/index.js';
import { instant, setup as setupCore } from '../core/connect/connect.test-helpers.js';
import { alice, defer } from '../core/store/journal.test-helpers.js';

const setup = (t: TestContext) => setupCore(t, { connectors: [connector], timeoutMs: 5000 });

async function start(t: TestContext, options: EmulatorOptions) {
  const emu = (await emulator.start(options)) as RunningEmulator & { api: { devices: Map<string, { device_id: string; status: string }>; sessions: Map<string, string> } };
  defer(t, () => emu.close());
  return emu;
}

function storedIds(core: ReturnType<typeof setup>['core'], caseId: string): string[] {
  return (core.store.db.prepare("SELECT json_extract(original, '$.composite_id') AS id FROM events WHERE case_id = ? ORDER BY line").all(caseId) as { id: string }[]).map((r) => r.id);
}

describe('crowdstrike on core: pulls', () => {
  test('a pull stopped after 3 pages, then resumed, stores the rest exactly once', async (t) => {
    const emu = await start(t, { alerts: 1000, seed: 5, faults: parseFaults('429:0.05,truncate:0.05') });
    const { core, call } = setup(t);
    const kase = await call('case.create', { name: 'resume' });
    await call('connector.add', { vendor: 'crowdstrike', name: 'falcon-lab', settings: { ...emu.settings, pageSize: 100 } });
    const off = core.router.subscribe('connector.progress', (p) => {
      if (p.pages === 3) void core.router.invoke('connector.stop', { name: 'falcon-lab' }, alice);
    });
    const first = await call('connector.pull', { name: 'falcon-lab', caseId: kase.id });
    off();
    assert.deepEqual([first.pages, first.totals.stored, first.stopped, first.caughtUp], [3, 300, true, false]);
    assert.deepEqual(storedIds(core, kase.id), emu.alertIds().slice(0, 300));
    const second = await call('connector.pull', { name: 'falcon-lab', caseId: kase.id });
    assert.deepEqual([second.totals.stored, second.totals.duplicates, second.caughtUp], [702, 0, true]);
    assert.deepEqual(storedIds(core, kase.id), emu.alertIds());
  });

  test('a bad client secret gives a clear error on test and on pull', async (t) => {
    const emu = await start(t, { alerts: 3 });
    const { call, fail } = setup(t);
    const kase = await call('case.create', { name: 'creds' });
    await call('connector.add', { vendor: 'crowdstrike', name: 'falcon-bad', settings: { ...emu.settings, clientSecret: 'not-the-secret' } });
    const tested = await call('connector.test', { name: 'falcon-bad' });
    assert.equal(tested.ok, false);
    assert.match(tested.message, /^connector falcon-bad: POST \/oauth2\/token: HTTP 401: access denied, invalid client credentials \(trace emu-trace-\d+\)$/);
    const pulled = await fail('connector.pull', { name: 'falcon-bad', caseId: kase.id });
    assert.equal(pulled.code, 'unavailable');
    assert.match(pulled.message, /^connector falcon-bad: POST \/oauth2\/token: HTTP 401: access denied, invalid client credentials \(trace emu-trace-\d+\)$/);
  });
});

describe('crowdstrike on core: actions', () => {
  test('contain reaches Falcon once per key with the right body, is polled to contained, and is journaled; lift undoes it', async (t) => {
    const emu = await start(t, { alerts: 3 });
    const { call } = setup(t);
    const kase = await call('case.create', { name: 'respond' });
    await call('connector.add', { vendor: 'crowdstrike', name: 'falcon-lab', settings: emu.settings });
    const deviceId = [...emu.api.devices.values()][0]!.device_id;

    const done = await call('connector.action', { name: 'falcon-lab', action: 'contain', input: { deviceId }, key: 'case-1-contain', caseId: kase.id });
    assert.deepEqual([done.status, done.polls, done.replayed, done.outcome], ['done', 2, false, { status: 'done', result: { deviceId, status: 'contained' } }]);
    assert.deepEqual(done.impact, { changes: 'cuts the host off the network except for the Falcon cloud', reversible: true, undo: 'lift_containment', risk: 'high' });
    const again = await call('connector.action', { name: 'falcon-lab', action: 'contain', input: { deviceId }, key: 'case-1-contain', caseId: kase.id });
    assert.deepEqual([again.replayed, again.status], [true, 'done']);
    const lifted = await call('connector.action', { name: 'falcon-lab', action: 'lift_containment', input: { deviceId }, key: 'case-1-lift', caseId: kase.id });
    assert.deepEqual([lifted.status, emu.api.devices.get(deviceId)!.status], ['done', 'normal']);

    assert.deepEqual(emu.actions().map((a) => [a.action, a.method, a.path, a.body, a.headers['authorization']]), [
      ['contain', 'POST', '/devices/entities/devices-actions/v2?action_name=contain', { ids: [deviceId] }, '<redacted>'],
      ['lift_containment', 'POST', '/devices/entities/devices-actions/v2?action_name=lift_containment', { ids: [deviceId] }, '<redacted>'],
    ]);
    const journal = await call('journal.list', { caseId: kase.id, limit: 100 });
    const actions = journal.entries.filter((e) => e.action.startsWith('connector.action.')).map((e) => [e.action, (e.payload as { outcome?: { status: string } }).outcome?.status ?? null]);
    assert.deepEqual(actions.slice(0, 5), [
      ['connector.action.requested', null],
      ['connector.action.outcome', 'pending'],
      ['connector.action.polled', 'pending'],
      ['connector.action.polled', 'done'],
      ['connector.action.replayed', null],
    ]);
    const outcome = journal.entries.find((e) => e.action === 'connector.action.outcome')!.payload as { calls: { method: string; path: string; status: number }[] };
    assert.deepEqual(outcome.calls.map((c) => [c.method, c.path, c.status]), [
      ['POST', '/oauth2/token', 201],
      ['GET', '/devices/entities/devices/v2', 200],
      ['POST', '/devices/entities/devices-actions/v2', 202],
    ]);
    assert.ok(!JSON.stringify(journal).includes(String(emu.settings['clientSecret'])), 'no secret in the journal');
  });

  test('memory dump: RTR session, memdump and status polls; the command reaches the host once per key', async (t) => {
    const emu = await start(t, { alerts: 3 });
    const { call } = setup(t);
    const kase = await call('case.create', { name: 'dump' });
    await call('connector.add', { vendor: 'crowdstrike', name: 'falcon-lab', settings: emu.settings });
    const deviceId = [...emu.api.devices.values()][2]!.device_id;
    const input = { deviceId, pid: 812, path: 'C:\\IR\\lsass-812.dmp' };
    const done = await call('connector.action', { name: 'falcon-lab', action: 'memory_dump', input, key: 'case-2-dump', caseId: kase.id });
    assert.deepEqual([done.status, done.polls, done.impact.risk], ['done', 2, 'medium']);
    assert.equal((done.outcome as { result: { stdout: string } }).result.stdout, 'Process 812 memory dumped to C:\\IR\\lsass-812.dmp');
    const again = await call('connector.action', { name: 'falcon-lab', action: 'memory_dump', input, key: 'case-2-dump', caseId: kase.id });
    assert.equal(again.replayed, true);
    const [session] = [...emu.api.sessions.keys()];
    assert.deepEqual(emu.actions().map((a) => [a.action, a.path, a.body]), [
      ['rtr_session', '/real-time-response/entities/sessions/v1', { device_id: deviceId, origin: 'quell', queue_offline: false }],
      ['memdump', '/real-time-response/entities/active-responder-command/v1', {
        base_command: 'memdump', command_string: 'memdump 812 "C:\\IR\\lsass-812.dmp"', device_id: deviceId, session_id: session, persist: true,
      }],
    ]);
  });

  test('a contain sent just before a crash (no outcome stored) is not sent again when core retries its key', async (t) => {
    const emu = await start(t, { alerts: 3 });
    const { call } = setup(t);
    await call('connector.add', { vendor: 'crowdstrike', name: 'falcon-lab', settings: emu.settings });
    const deviceId = [...emu.api.devices.values()][5]!.device_id;
    const first = openConnectorContext(connector, emu.settings, { http: { sleep: instant } });
    assert.equal((await connector.runAction(first.ctx, 'contain', { deviceId }, 'crash-key')).status, 'pending');
    first.close();
    const retried = await call('connector.action', { name: 'falcon-lab', action: 'contain', input: { deviceId }, key: 'crash-key' });
    assert.deepEqual([retried.status, retried.replayed, emu.api.devices.get(deviceId)!.status], ['done', false, 'contained']);
    assert.equal(emu.actions().length, 1, 'one contain request for the key');
  });
});
