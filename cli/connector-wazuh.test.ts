// Wazuh end to end on the real core: a pull stopped and resumed, active response and agent restart journaled once per
// idempotency key, and bad credentials. The 10,000-alert pull is connector-wazuh-pull.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../connectors/sdk/index.js';
import { connector as wazuh, startWazuhEmulator } from '../connectors/wazuh/index.js';
import { alice, defer } from '../core/store/journal.test-helpers.js';
import { openTestCore } from './siem-connectors.test-helpers.js';

/** The Wazuh alert id of a stored record (the indexer hit as pulled). */
const alertId = (hit: Record<string, unknown>) => String((hit['_source'] as Record<string, unknown>)['id']);

describe('wazuh through core', () => {
  test('a pull stopped after 3 pages, then resumed, stores the rest exactly once', async (t) => {
    const emu = await startWazuhEmulator({ alerts: 1_500, seed: 5, faults: parseFaults('429:0.05,truncate:0.05'), retryAfterSeconds: 0 });
    defer(t, () => emu.close());
    const { core, call, originals } = openTestCore(t, [wazuh]);
    const kase = await call('case.create', { name: 'resume' });
    await call('connector.add', { vendor: 'wazuh', name: 'wazuh-lab', settings: { ...emu.settings, pageSize: 200 } });
    const off = core.router.subscribe('connector.progress', (p) => {
      if (p.pages === 3) void core.router.invoke('connector.stop', { name: 'wazuh-lab' }, alice);
    });
    const first = await call('connector.pull', { name: 'wazuh-lab', caseId: kase.id });
    off();
    assert.deepEqual([first.pages, first.totals.stored, first.stopped, first.caughtUp], [3, 600, true, false]);
    assert.deepEqual(originals(kase.id).map(alertId), emu.alertIds().slice(0, 600));
    const second = await call('connector.pull', { name: 'wazuh-lab', caseId: kase.id });
    assert.deepEqual([second.totals.stored, second.totals.duplicates, second.caughtUp], [901, 0, true]);
    assert.deepEqual(originals(kase.id).map(alertId), emu.alertIds());
  });
});

describe('wazuh actions through core', () => {
  test('firewall-drop reaches the manager once per idempotency key with the right body, and its outcome is journaled', async (t) => {
    const emu = await startWazuhEmulator({ alerts: 0 });
    defer(t, () => emu.close());
    const { call } = openTestCore(t, [wazuh]);
    const kase = await call('case.create', { name: 'contain' });
    await call('connector.add', { vendor: 'wazuh', name: 'wazuh-lab', settings: emu.settings });
    const input = { agents: ['001', '003'], command: '!firewall-drop', srcip: '203.0.113.7' };
    const done = await call('connector.action', { name: 'wazuh-lab', action: 'activeResponse', input, key: 'case-1-block', caseId: kase.id });
    assert.deepEqual([done.status, done.replayed, done.polls], ['done', false, 0]);
    assert.deepEqual(done.outcome, { status: 'done', result: { message: 'AR command was sent to all agents', affected: ['001', '003'], failed: [] } });
    const again = await call('connector.action', { name: 'wazuh-lab', action: 'activeResponse', input, key: 'case-1-block', caseId: kase.id });
    assert.deepEqual([again.status, again.replayed], ['done', true]);
    assert.deepEqual(
      emu.actions().map((a) => [a.action, a.method, a.path, a.body]),
      [['activeResponse', 'PUT', '/active-response?agents_list=001%2C003', { command: '!firewall-drop', alert: { data: { srcip: '203.0.113.7' } } }]],
    );
    const journal = await call('journal.list', { caseId: kase.id, limit: 100 });
    assert.ok(!JSON.stringify(journal).includes(String(emu.settings['password'])), 'no password in the journal');
    assert.deepEqual(
      journal.entries.filter((e) => e.action.startsWith('connector.action.')).map((e) => [e.action, (e.payload as { outcome?: { status: string } }).outcome?.status ?? null]),
      [
        ['connector.action.requested', null],
        ['connector.action.outcome', 'done'],
        ['connector.action.replayed', null],
      ],
    );
    const outcome = journal.entries.find((e) => e.action === 'connector.action.outcome')!.payload as { calls: { method: string; path: string; status: number }[] };
    assert.deepEqual(outcome.calls.map((c) => [c.method, c.path, c.status]), [['POST', '/security/user/authenticate', 200], ['PUT', '/active-response', 200]]);
  });

  test('restarting a disconnected agent is a failed outcome with Wazuh\'s reason, journaled, sent once', async (t) => {
    const emu = await startWazuhEmulator({ alerts: 0 });
    defer(t, () => emu.close());
    const { call } = openTestCore(t, [wazuh]);
    await call('connector.add', { vendor: 'wazuh', name: 'wazuh-lab', settings: emu.settings });
    const failed = await call('connector.action', { name: 'wazuh-lab', action: 'restartAgents', input: { agents: ['010'] }, key: 'restart-010' });
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.outcome, {
      status: 'failed',
      reason: 'Restart command was not sent to any agent (010: 1707 Cannot send request, agent is not active)',
      result: { message: 'Restart command was not sent to any agent', affected: [], failed: [{ agents: ['010'], code: 1707, message: 'Cannot send request, agent is not active' }] },
    });
    assert.deepEqual(emu.actions().map((a) => [a.action, a.path]), [['restartAgents', '/agents/restart?agents_list=010']]);
  });

  test('wrong server and indexer passwords give clear errors on test, pull and action', async (t) => {
    const emu = await startWazuhEmulator({ alerts: 5 });
    defer(t, () => emu.close());
    const { call, fail } = openTestCore(t, [wazuh]);
    const kase = await call('case.create', { name: 'creds' });
    await call('connector.add', { vendor: 'wazuh', name: 'wazuh-bad', settings: { ...emu.settings, password: 'wrong', indexerPassword: 'wrong' } });
    const tested = await call('connector.test', { name: 'wazuh-bad' });
    assert.deepEqual([tested.ok, tested.message], [false, 'connector wazuh-bad: POST /security/user/authenticate: HTTP 401: the Wazuh server API refused the login of user wazuh-wui: Unauthorized: Invalid credentials']);
    const pulled = await fail('connector.pull', { name: 'wazuh-bad', caseId: kase.id });
    assert.deepEqual([pulled.code, pulled.message], [
      'unavailable',
      'connector wazuh-bad: POST /wazuh-alerts-*/_search: HTTP 401: the Wazuh indexer did not accept user admin (check indexerUsername and indexerPassword): Unauthorized',
    ]);
    assert.equal(emu.actions().length, 0);
  });
});
