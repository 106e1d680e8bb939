// The Defender connector on the real core: a real SQLite case database, real HTTP to the loopback Defender
// emulator, faults from the emulator kit. Lives in cli/ because only a composition root may import both core and
// a vendor connector.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { connector, emulator } from '../connectors/defender/index.js';
import { openConnectorContext, parseFaults, type EmulatorOptions, type RunningEmulator } from '../connectors/sdk/index.js';
import { instant, setup as setupCore, storedIds } from '../core/connect/connect.test-helpers.js';
import { alice, defer } from '../core/store/journal.test-helpers.js';

const setup = (t: TestContext) => setupCore(t, { connectors: [connector], timeoutMs: 5000 });

async function start(t: TestContext, options: EmulatorOptions) {
  const emu = (await emulator.start(options)) as RunningEmulator & { api: { machines: Map<string, { id: string }> } };
  defer(t, () => emu.close());
  return emu;
}

describe('defender on core: pulls', () => {
  test('a pull stopped after 3 pages, then resumed, stores the rest exactly once', async (t) => {
    const emu = await start(t, { alerts: 1000, seed: 5, faults: parseFaults('429:0.05,truncate:0.05') });
    const { core, call } = setup(t);
    const kase = await call('case.create', { name: 'resume' });
    await call('connector.add', { vendor: 'defender', name: 'mde-lab', settings: { ...emu.settings, pageSize: 100 } });
    const off = core.router.subscribe('connector.progress', (p) => {
      if (p.pages === 3) void core.router.invoke('connector.stop', { name: 'mde-lab' }, alice);
    });
    const first = await call('connector.pull', { name: 'mde-lab', caseId: kase.id });
    off();
    assert.deepEqual([first.pages, first.totals.stored, first.stopped, first.caughtUp], [3, 300, true, false]);
    assert.deepEqual(storedIds(core, kase.id), emu.alertIds().slice(0, 300));
    const second = await call('connector.pull', { name: 'mde-lab', caseId: kase.id });
    assert.deepEqual([second.totals.stored, second.totals.duplicates, second.caughtUp], [703, 0, true]);
    assert.deepEqual(storedIds(core, kase.id), emu.alertIds());
  });

  test('a bad client secret gives a clear error on test and on pull', async (t) => {
    const emu = await start(t, { alerts: 3 });
    const { call, fail } = setup(t);
    const kase = await call('case.create', { name: 'creds' });
    await call('connector.add', { vendor: 'defender', name: 'mde-bad', settings: { ...emu.settings, clientSecret: 'not-the-secret' } });
    const expected = `connector mde-bad: POST /${String(emu.settings['tenantId'])}/oauth2/v2.0/token: HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${String(emu.settings['clientId'])}'.`;
    const tested = await call('connector.test', { name: 'mde-bad' });
    assert.deepEqual([tested.ok, tested.message], [false, expected]);
    const pulled = await fail('connector.pull', { name: 'mde-bad', caseId: kase.id });
    assert.deepEqual([pulled.code, pulled.message], ['unavailable', expected]);
  });
});

describe('defender on core: actions', () => {
  test('isolate reaches Defender once per key with the right body, is polled to Succeeded, and is journaled', async (t) => {
    const emu = await start(t, { alerts: 3 });
    const { call } = setup(t);
    const kase = await call('case.create', { name: 'respond' });
    await call('connector.add', { vendor: 'defender', name: 'mde-lab', settings: emu.settings });
    const machineId = [...emu.api.machines.values()][1]!.id;
    const input = { machineId, comment: 'Case respond: isolate ws-0001' };

    const done = await call('connector.action', { name: 'mde-lab', action: 'isolate', input, key: 'case-1-isolate', caseId: kase.id });
    assert.deepEqual([done.status, done.polls, done.replayed], ['done', 2, false]);
    assert.deepEqual(done.impact, { changes: 'cuts the machine off the network except for the Defender service', reversible: true, undo: 'unisolate', risk: 'high' });
    const result = (done.outcome as { result: Record<string, unknown> }).result;
    assert.deepEqual([result['type'], result['status'], result['machineId']], ['Isolate', 'Succeeded', machineId]);
    const again = await call('connector.action', { name: 'mde-lab', action: 'isolate', input, key: 'case-1-isolate', caseId: kase.id });
    assert.deepEqual([again.replayed, again.status], [true, 'done']);

    const scan = await call('connector.action', { name: 'mde-lab', action: 'run_av_scan', input: { machineId, comment: 'sweep' }, key: 'case-1-scan', caseId: kase.id });
    assert.equal(scan.status, 'done');

    assert.deepEqual(emu.actions().map((a) => [a.action, a.method, a.path, a.body, a.headers['authorization']]), [
      ['Isolate', 'POST', `/api/machines/${machineId}/isolate`, { Comment: 'Case respond: isolate ws-0001 [quell:case-1-isolate]', IsolationType: 'Full' }, '<redacted>'],
      ['RunAntiVirusScan', 'POST', `/api/machines/${machineId}/runAntiVirusScan`, { Comment: 'sweep [quell:case-1-scan]', ScanType: 'Quick' }, '<redacted>'],
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
      ['POST', `/${String(emu.settings['tenantId'])}/oauth2/v2.0/token`, 200],
      ['GET', '/api/machineactions', 200],
      ['POST', `/api/machines/${machineId}/isolate`, 201],
    ]);
    assert.ok(!JSON.stringify(journal).includes(String(emu.settings['clientSecret'])), 'no secret in the journal');
  });

  test('an isolate sent just before a crash (no outcome stored) is not sent again when core retries its key', async (t) => {
    const emu = await start(t, { alerts: 3 });
    const { call } = setup(t);
    await call('connector.add', { vendor: 'defender', name: 'mde-lab', settings: emu.settings });
    const machineId = [...emu.api.machines.values()][2]!.id;
    const input = { machineId, comment: 'Case crash: isolate' };
    // The first attempt reached Defender, then Quell died before storing anything.
    const first = openConnectorContext(connector, emu.settings, { http: { sleep: instant } });
    assert.equal((await connector.runAction(first.ctx, 'isolate', input, 'crash-key')).status, 'pending');
    first.close();
    const retried = await call('connector.action', { name: 'mde-lab', action: 'isolate', input, key: 'crash-key' });
    assert.deepEqual([retried.status, retried.replayed], ['done', false]);
    assert.equal(emu.actions().length, 1, 'one Isolate request for the key');
  });
});
