// The Elastic connector end to end on the real core: a real SQLite file, the secret store, real HTTP to the
// loopback Kibana + Elasticsearch emulator. Lives in cli/ because core never imports a vendor; cli composes them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../connectors/sdk/index.js';
import { alice } from '../core/store/journal.test-helpers.js';
import { setup, startEmulator } from './connector-elastic.test-helpers.js';

describe('elastic connector through core', () => {
  test('a Kibana-only pull stopped after 3 pages, then resumed, stores the rest exactly once', async (t) => {
    const em = await startEmulator(t, { alerts: 1_000, seed: 5, faults: parseFaults('429:0.05,503:0.05,truncate:0.05') });
    const { core, call, storedIds } = setup(t);
    const kase = await call('case.create', { name: 'resume' });
    const { esUrl: _es, ...kibanaOnly } = em.settings;
    await call('connector.add', { vendor: 'elastic', name: 'kibana-only', settings: { ...kibanaOnly, pageSize: 100 } });
    const off = core.router.subscribe('connector.progress', (p) => {
      if (p.pages === 3) void core.router.invoke('connector.stop', { name: 'kibana-only' }, alice);
    });
    const first = await call('connector.pull', { name: 'kibana-only', caseId: kase.id });
    off();
    assert.deepEqual([first.pages, first.totals.stored, first.stopped, first.caughtUp], [3, 300, true, false]);
    assert.deepEqual(storedIds(kase.id), em.alertIds().slice(0, 300));
    const second = await call('connector.pull', { name: 'kibana-only', caseId: kase.id });
    assert.deepEqual([second.totals.stored, second.totals.duplicates, second.caughtUp], [702, 0, true]);
    assert.deepEqual(storedIds(kase.id), em.alertIds());
  });

  test('a PIT pull stopped part-way resumes inside its PIT and stores the rest exactly once', async (t) => {
    const em = await startEmulator(t, { alerts: 1_500, seed: 6 });
    const { core, call, storedIds } = setup(t);
    const kase = await call('case.create', { name: 'resume pit' });
    await call('connector.add', { vendor: 'elastic', name: 'soc-elastic', settings: { ...em.settings, pageSize: 200 } });
    const off = core.router.subscribe('connector.progress', (p) => {
      if (p.pages === 2) void core.router.invoke('connector.stop', { name: 'soc-elastic' }, alice);
    });
    const first = await call('connector.pull', { name: 'soc-elastic', caseId: kase.id });
    off();
    assert.deepEqual([first.totals.stored, first.stopped], [400, true]);
    const second = await call('connector.pull', { name: 'soc-elastic', caseId: kase.id });
    assert.deepEqual([second.totals.stored, second.totals.duplicates, second.caughtUp], [1_102, 0, true]);
    assert.deepEqual(storedIds(kase.id), em.alertIds());
  });

  test('actions reach the emulator once per idempotency key with the right body; outcomes journaled', async (t) => {
    const em = await startEmulator(t, { alerts: 10, seed: 8 });
    const { core, call, storedIds } = setup(t);
    const kase = await call('case.create', { name: 'respond' });
    await call('connector.add', { vendor: 'elastic', name: 'soc-elastic', settings: em.settings });
    await call('connector.pull', { name: 'soc-elastic', caseId: kase.id });
    const [firstAlert, secondAlert] = storedIds(kase.id).slice(2);
    assert.ok(firstAlert && secondAlert);
    // The pulled hits went through the elastic-alert format: the recorded alerts first, then their replicas.
    const rows = core.store.db.prepare('SELECT format, title, host FROM events WHERE case_id = ? ORDER BY line').all(kase.id) as { format: string; title: string; host: string }[];
    const generic = (r: { format: string; title: string; host: string }) => `${r.format} | ${r.title} | ${r.host.replace(/^ws-\d{3}\.corp\.example$/, 'ws-NNN')}`;
    assert.deepEqual(rows.slice(0, 2).map(generic), ['elastic-alert | threat-match-rule | security-linux-1', 'elastic-alert | Endpoint Security | Host-fwarau82er']);
    // Generated alerts share milliseconds and order by uuid there, so their template order is not fixed: count them.
    const counts: Record<string, number> = {};
    for (const r of rows.slice(2)) counts[generic(r)] = (counts[generic(r)] ?? 0) + 1;
    assert.deepEqual(counts, { 'elastic-alert | threat-match-rule | ws-NNN': 5, 'elastic-alert | Endpoint Security | ws-NNN': 5 });

    const closed = await call('connector.action', {
      name: 'soc-elastic',
      action: 'set-alert-status',
      input: { alertIds: [firstAlert, secondAlert], status: 'closed', reason: 'false_positive' },
      key: 'case-1-close',
      caseId: kase.id,
    });
    assert.deepEqual([closed.status, closed.outcome], ['done', { status: 'done', result: { total: 2, updated: 2, requested: 2, status: 'closed' } }]);

    const agent = 'agent-under-test';
    const isolated = await call('connector.action', { name: 'soc-elastic', action: 'isolate-host', input: { endpointIds: [agent], comment: 'C2 beacon' }, key: 'case-1-isolate', caseId: kase.id });
    assert.deepEqual([isolated.status, isolated.polls], ['done', 2]);
    assert.deepEqual(isolated.impact, { changes: 'cuts the hosts off the network except for their connection to Elastic (Defend agent)', reversible: true, undo: 'release-host', risk: 'high' });
    const replay = await call('connector.action', { name: 'soc-elastic', action: 'isolate-host', input: { endpointIds: [agent], comment: 'C2 beacon' }, key: 'case-1-isolate', caseId: kase.id });
    assert.equal(replay.replayed, true);

    assert.deepEqual(
      em.actions().map((a) => [a.action, a.method, a.path, a.body, a.headers['kbn-xsrf'], a.headers.authorization]),
      [
        ['set-alert-status', 'POST', '/api/detection_engine/signals/status', { signal_ids: [firstAlert, secondAlert], status: 'closed', reason: 'false_positive' }, 'true', '<redacted>'],
        ['isolate-host', 'POST', '/api/endpoint/action/isolate', { endpoint_ids: [agent], comment: 'C2 beacon [quell:case-1-isolate]', agent_type: 'endpoint' }, 'true', '<redacted>'],
      ],
    );
    const journal = await call('journal.list', { caseId: kase.id, limit: 1000 });
    const actions = journal.entries.filter((e) => e.action.startsWith('connector.action.')).map((e) => [e.action, (e.payload as { outcome?: { status: string } }).outcome?.status ?? null]);
    assert.deepEqual(actions, [
      ['connector.action.requested', null],
      ['connector.action.outcome', 'done'],
      ['connector.action.requested', null],
      ['connector.action.outcome', 'pending'],
      ['connector.action.polled', 'pending'],
      ['connector.action.polled', 'done'],
      ['connector.action.replayed', null],
    ]);
  });

  test('wrong credentials: test and pull name the connector and what Elastic said', async (t) => {
    const em = await startEmulator(t, { alerts: 3, seed: 1 });
    const { call, fail } = setup(t);
    const kase = await call('case.create', { name: 'creds' });
    await call('connector.add', { vendor: 'elastic', name: 'bad-elastic', settings: { ...em.settings, apiKey: Buffer.from('id:wrong').toString('base64') } });
    const tested = await call('connector.test', { name: 'bad-elastic' });
    assert.deepEqual([tested.ok, tested.message], [false, 'connector bad-elastic: GET /api/status: HTTP 401: Elastic refused the API key: Unauthorized']);
    const pulled = await fail('connector.pull', { name: 'bad-elastic', caseId: kase.id });
    assert.equal(
      pulled.message,
      'connector bad-elastic: POST /.alerts-security.alerts-default/_pit: HTTP 401: Elastic refused the API key: security_exception: unable to authenticate with provided credentials for REST request [/.alerts-security.alerts-default/_pit]',
    );
    const listed = await call('connector.list', {});
    assert.equal(listed.connectors[0]?.settings.apiKey, '<stored>');
  });
});
