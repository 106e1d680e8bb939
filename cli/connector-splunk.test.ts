// Splunk end to end on the real core: a pull stopped and resumed, actions journaled once per idempotency key over
// real HTTP to the loopback splunkd emulator, and bad credentials. The 10,000-alert pull is connector-splunk-pull.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../connectors/sdk/index.js';
import { connector as splunk, startSplunkEmulator } from '../connectors/splunk/index.js';
import { alice, defer } from '../core/store/journal.test-helpers.js';
import { openTestCore } from './siem-connectors.test-helpers.js';

/** The id the emulator and the connector give a row: a notable's event_id, else bucket, offset and time. */
const rowId = (r: Record<string, unknown>) => (typeof r['event_id'] === 'string' ? r['event_id'] : `${String(r['_bkt'] ?? '')}/${String(r['_cd'])}@${String(r['_time'])}`);

describe('splunk through core', () => {
  test('a pull stopped after 3 pages, then resumed, stores the rest exactly once', async (t) => {
    const emu = await startSplunkEmulator({ alerts: 1_500, seed: 5, faults: parseFaults('429:0.05,truncate:0.05'), retryAfterSeconds: 0 });
    defer(t, () => emu.close());
    const { core, call, originals } = openTestCore(t, [splunk]);
    const kase = await call('case.create', { name: 'resume' });
    await call('connector.add', { vendor: 'splunk', name: 'splunk-lab', settings: { ...emu.settings, pageSize: 200 } });
    const off = core.router.subscribe('connector.progress', (p) => {
      if (p.pages === 3) void core.router.invoke('connector.stop', { name: 'splunk-lab' }, alice);
    });
    const first = await call('connector.pull', { name: 'splunk-lab', caseId: kase.id });
    off();
    assert.deepEqual([first.pages, first.totals.stored, first.stopped, first.caughtUp], [3, 600, true, false]);
    assert.deepEqual(originals(kase.id).map(rowId), emu.alertIds().slice(0, 600));
    const second = await call('connector.pull', { name: 'splunk-lab', caseId: kase.id });
    assert.deepEqual([second.totals.stored, second.totals.duplicates, second.caughtUp], [903, 0, true]);
    assert.deepEqual(originals(kase.id).map(rowId), emu.alertIds());
  });
});

describe('splunk actions through core', () => {
  test('updateNotable reaches Splunk once per idempotency key with the form body, and its outcome is journaled', async (t) => {
    const emu = await startSplunkEmulator({ alerts: 10, seed: 2 });
    defer(t, () => emu.close());
    const { call } = openTestCore(t, [splunk]);
    const kase = await call('case.create', { name: 'triage' });
    await call('connector.add', { vendor: 'splunk', name: 'splunk-lab', settings: emu.settings });
    const eventId = emu.alertIds().at(-1)!;
    const input = { eventId, status: 'resolved', comment: 'benign: patch window' };
    const done = await call('connector.action', { name: 'splunk-lab', action: 'updateNotable', input, key: 'case-1-resolve', caseId: kase.id });
    assert.deepEqual([done.status, done.replayed, done.polls], ['done', false, 0]);
    assert.deepEqual(done.outcome, { status: 'done', result: { eventId, changes: { status: '4', comment: 'benign: patch window' }, message: '1 event updated successfully', failureCount: 0 } });
    assert.deepEqual(done.impact, { changes: "changes the notable event's review status, urgency, owner or disposition in Splunk ES (and adds a comment)", reversible: true, undo: 'updateNotable', risk: 'low' });
    const again = await call('connector.action', { name: 'splunk-lab', action: 'updateNotable', input, key: 'case-1-resolve', caseId: kase.id });
    assert.deepEqual([again.status, again.replayed], ['done', true]);
    assert.deepEqual(
      emu.actions().map((a) => [a.action, a.method, a.path, a.body]),
      [['updateNotable', 'POST', '/services/notable_update?output_mode=json', { ruleUIDs: eventId, status: '4', comment: 'benign: patch window' }]],
    );
    assert.equal(emu.notable(eventId)?.['status'], '4');
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
  });

  test('runSavedSearch is pending while the job runs and is polled to DONE; journaled with each poll', async (t) => {
    const emu = await startSplunkEmulator({ alerts: 40, seed: 5 });
    defer(t, () => emu.close());
    const { call } = openTestCore(t, [splunk]);
    const kase = await call('case.create', { name: 'hunt' });
    await call('connector.add', { vendor: 'splunk', name: 'splunk-lab', settings: emu.settings });
    const name = 'Access - Brute Force Access Behavior Detected - Rule';
    const done = await call('connector.action', { name: 'splunk-lab', action: 'runSavedSearch', input: { name }, key: 'hunt-1', caseId: kase.id });
    assert.deepEqual([done.status, done.polls], ['done', 4]);
    const result = (done.outcome as { result: Record<string, unknown> }).result;
    assert.deepEqual([result['dispatchState'], result['resultCount']], ['DONE', 10]);
    assert.equal(emu.actions().length, 1);
    const journal = await call('journal.list', { caseId: kase.id, limit: 100 });
    assert.deepEqual(
      journal.entries.filter((e) => e.action.startsWith('connector.action.')).map((e) => [e.action, (e.payload as { outcome?: { status: string } }).outcome?.status ?? null]),
      [
        ['connector.action.requested', null],
        ['connector.action.outcome', 'pending'],
        ['connector.action.polled', 'pending'],
        ['connector.action.polled', 'pending'],
        ['connector.action.polled', 'pending'],
        ['connector.action.polled', 'done'],
      ],
    );
  });

  test('a wrong password gives a clear error on test, pull and action; nothing reaches the action endpoints', async (t) => {
    const emu = await startSplunkEmulator({ alerts: 5 });
    defer(t, () => emu.close());
    const { call, fail } = openTestCore(t, [splunk]);
    const kase = await call('case.create', { name: 'creds' });
    await call('connector.add', { vendor: 'splunk', name: 'splunk-bad', settings: { ...emu.settings, password: 'wrong' } });
    const message = 'connector splunk-bad: POST /services/auth/login: HTTP 401: Splunk refused the login of user admin: WARN Login failed';
    const tested = await call('connector.test', { name: 'splunk-bad' });
    assert.deepEqual([tested.ok, tested.message], [false, message]);
    const pulled = await fail('connector.pull', { name: 'splunk-bad', caseId: kase.id });
    assert.deepEqual([pulled.code, pulled.message], ['unavailable', message]);
    const acted = await fail('connector.action', { name: 'splunk-bad', action: 'updateNotable', input: { eventId: emu.alertIds()[0], status: 'closed' } });
    assert.deepEqual([acted.code, acted.message], ['unavailable', message]);
    assert.equal(emu.actions().length, 0);
  });
});
