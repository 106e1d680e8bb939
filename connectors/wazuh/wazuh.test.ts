// The Wazuh connector against its emulator (server API + indexer) over real loopback HTTP.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openConnectorContext, parseFaults, type Cursor } from '../sdk/index.js';
import { connector, startWazuhEmulator } from './index.js';

const FAST = { backoff: { baseMs: 5, maxMs: 40 } };
const open = (settings: Record<string, unknown>) => openConnectorContext(connector, settings, { http: FAST });

async function pullAll(ctx: Parameters<typeof connector.pullAlerts>[0], cursor: Cursor | null, maxPages = Infinity) {
  const ids: string[] = [];
  let pages = 0;
  for (;;) {
    const page = await connector.pullAlerts(ctx, cursor);
    ids.push(...page.records.map((r) => r.id));
    cursor = page.cursor;
    pages++;
    if (page.done || pages >= maxPages) return { ids, cursor, done: page.done, pages };
  }
}

describe('wazuh connector: pulling alerts from the indexer', () => {
  test('10,000 generated alerts plus the recorded one, each exactly once, in (timestamp, id) order', async () => {
    const emu = await startWazuhEmulator({ alerts: 10_000, seed: 7 });
    const { ctx, close } = open(emu.settings);
    try {
      const { ids, pages } = await pullAll(ctx, null);
      assert.equal(ids.length, 10_001);
      assert.equal(new Set(ids).size, 10_001);
      assert.deepEqual(ids, emu.alertIds());
      assert.deepEqual(emu.served(), emu.alertIds());
      assert.equal(pages, 21);
      assert.equal(ids[0], '1652272159.1549653');
      // The pull never needs the server API's token.
      assert.equal(emu.logins(), 0);
    } finally {
      close();
      await emu.close();
    }
  });

  test('under 429, 503 and truncated pages, still each exactly once', async () => {
    const emu = await startWazuhEmulator({ alerts: 10_000, seed: 13, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01'), retryAfterSeconds: 0 });
    const { ctx, close } = open({ ...emu.settings, pageSize: 100 });
    try {
      const { ids } = await pullAll(ctx, null);
      assert.equal(ids.length, 10_001);
      assert.deepEqual(ids, emu.alertIds());
      const faults = emu.faultsInjected();
      for (const kind of ['429', '503', 'truncate'] as const) assert.ok(faults[kind] > 0, `no ${kind} fault was injected: ${JSON.stringify(faults)}`);
      // `expire` only revokes server-API tokens; the indexer's basic credentials cannot expire.
      assert.equal(faults.expire, 0);
      assert.deepEqual(emu.served(), emu.alertIds());
    } finally {
      close();
      await emu.close();
    }
  });

  test('responses held past the client timeout and 500s are retried too: still each exactly once', async () => {
    const emu = await startWazuhEmulator({ alerts: 1_000, seed: 21, faults: parseFaults('slow:0.1,500:0.1'), slowMs: 1_500 });
    const { ctx, close } = open({ ...emu.settings, pageSize: 100, timeoutMs: 1_000 });
    try {
      const { ids } = await pullAll(ctx, null);
      assert.deepEqual(ids, emu.alertIds());
      assert.equal(ids.length, 1001);
      const faults = emu.faultsInjected();
      assert.ok(faults.slow > 0 && faults['500'] > 0, JSON.stringify(faults));
    } finally {
      close();
      await emu.close();
    }
  });

  test('a pull stopped after 4 pages resumes after its last sort values, and a caught-up pull finds nothing', async () => {
    const emu = await startWazuhEmulator({ alerts: 3_000, seed: 3 });
    const { ctx, close } = open({ ...emu.settings, pageSize: 400 });
    try {
      const first = await pullAll(ctx, null, 4);
      assert.deepEqual([first.ids.length, first.done], [1_600, false]);
      const rest = await pullAll(ctx, JSON.parse(JSON.stringify(first.cursor)) as Cursor);
      assert.deepEqual([...first.ids, ...rest.ids], emu.alertIds());
      const again = await connector.pullAlerts(ctx, rest.cursor);
      assert.deepEqual([again.records.length, again.done, again.cursor], [0, true, rest.cursor]);
    } finally {
      close();
      await emu.close();
    }
  });

  test('each record is the indexer hit, whose _source is the alert as alerts.json has it', async () => {
    const emu = await startWazuhEmulator({ alerts: 2, seed: 1 });
    const { ctx, close } = open(emu.settings);
    try {
      const page = await connector.pullAlerts(ctx, null);
      const hit = page.records[0]!.raw as { _index: string; _source: Record<string, unknown>; sort: unknown[] };
      assert.equal(hit._index, 'wazuh-alerts-4.x-2022.05.11');
      assert.equal(hit._source['id'], '1652272159.1549653');
      assert.deepEqual(hit.sort, [1652272159905, '1652272159.1549653']);
      assert.deepEqual(page.cursor, { after: (page.records[2]!.raw as { sort: unknown[] }).sort });
    } finally {
      close();
      await emu.close();
    }
  });
  test('settle leaves the newest alerts for the next pull, which stores them once', async () => {
    const emu = await startWazuhEmulator({ alerts: 200, seed: 8 });
    try {
      let o = open({ ...emu.settings, settle: '3h' });
      const held = await pullAll(o.ctx, null);
      o.close();
      // The generated alerts all lie within the last few minutes; only the recorded 2022 alert is older than 3 h.
      assert.deepEqual(held.ids, ['1652272159.1549653']);
      o = open(emu.settings);
      const rest = await pullAll(o.ctx, held.cursor);
      o.close();
      assert.deepEqual([...held.ids, ...rest.ids], emu.alertIds());
    } finally {
      await emu.close();
    }
  });
});

describe('wazuh connector: actions', () => {
  test('activeResponse: firewall-drop with the source address reaches the manager once, as PUT /active-response', async () => {
    const emu = await startWazuhEmulator({ alerts: 0 });
    const { ctx, close } = open(emu.settings);
    try {
      const outcome = await connector.runAction(ctx, 'activeResponse', { agents: ['001', '002'], srcip: '203.0.113.7' }, 'k1');
      assert.deepEqual(outcome, { status: 'done', result: { message: 'AR command was sent to all agents', affected: ['001', '002'], failed: [] } });
      const [a, ...more] = emu.actions();
      assert.equal(more.length, 0);
      assert.deepEqual([a!.action, a!.method, a!.path], ['activeResponse', 'PUT', '/active-response?agents_list=001%2C002']);
      assert.deepEqual(a!.body, { command: '!firewall-drop', alert: { data: { srcip: '203.0.113.7' } } });
      assert.equal(a!.headers['authorization'], '<redacted>');
    } finally {
      close();
      await emu.close();
    }
  });

  test('activeResponse to a disconnected and an unknown agent: failed with Wazuh\'s per-agent reasons', async () => {
    const emu = await startWazuhEmulator({ alerts: 0 });
    const { ctx, close } = open(emu.settings);
    try {
      const outcome = await connector.runAction(ctx, 'activeResponse', { agents: ['001', '010', '099'], command: '!firewall-drop', srcip: '198.51.100.2' }, 'k2');
      assert.deepEqual(outcome, {
        status: 'failed',
        reason: 'AR command was not sent to some agents (010: 1707 Cannot send request, agent is not active; 099: 1701 Agent does not exist)',
        result: {
          message: 'AR command was not sent to some agents',
          affected: ['001'],
          failed: [
            { agents: ['010'], code: 1707, message: 'Cannot send request, agent is not active' },
            { agents: ['099'], code: 1701, message: 'Agent does not exist' },
          ],
        },
      });
    } finally {
      close();
      await emu.close();
    }
  });

  test('restartAgents: PUT /agents/restart once; the manager itself cannot be restarted this way', async () => {
    const emu = await startWazuhEmulator({ alerts: 0 });
    const { ctx, close } = open(emu.settings);
    try {
      assert.deepEqual(await connector.runAction(ctx, 'restartAgents', { agents: ['003'] }, 'k3'), {
        status: 'done',
        result: { message: 'Restart command was sent to all agents', affected: ['003'], failed: [] },
      });
      assert.deepEqual(await connector.runAction(ctx, 'restartAgents', { agents: ['000'] }, 'k4'), {
        status: 'failed',
        reason: 'Restart command was not sent to any agent (000: 1703 Action not available for Manager (agent 000))',
        result: { message: 'Restart command was not sent to any agent', affected: [], failed: [{ agents: ['000'], code: 1703, message: 'Action not available for Manager (agent 000)' }] },
      });
      assert.deepEqual(
        emu.actions().map((a) => [a.action, a.method, a.path, a.body]),
        [
          ['restartAgents', 'PUT', '/agents/restart?agents_list=003', null],
          ['restartAgents', 'PUT', '/agents/restart?agents_list=000', null],
        ],
      );
      await assert.rejects(connector.runAction(ctx, 'restartAgents', { agents: ['web-1'] }, 'k5'), /an agent id such as 001/);
      assert.equal(emu.actions().length, 2);
    } finally {
      close();
      await emu.close();
    }
  });

  test('an expired JWT is answered 401, the connector logs in again and the action is sent once', async () => {
    const emu = await startWazuhEmulator({ alerts: 0, tokenTtlSeconds: 1 });
    const { ctx, close } = open(emu.settings);
    try {
      assert.equal((await connector.runAction(ctx, 'restartAgents', { agents: ['001'] }, 'k6')).status, 'done');
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await connector.runAction(ctx, 'restartAgents', { agents: ['002'] }, 'k7')).status, 'done');
      assert.equal(emu.logins(), 2);
      // The request refused with 401 is recorded by nobody: actions are recorded after authentication.
      assert.deepEqual(emu.actions().map((a) => a.path), ['/agents/restart?agents_list=001', '/agents/restart?agents_list=002']);
    } finally {
      close();
      await emu.close();
    }
  });
});

describe('wazuh connector: connection test and credentials', () => {
  test('test() names the API version, manager, users and the alert count', async () => {
    const emu = await startWazuhEmulator({ alerts: 25 });
    const { ctx, close } = open(emu.settings);
    try {
      assert.deepEqual(await connector.test(ctx), {
        ok: true,
        message: 'Wazuh 4.14.0 server API on wazuh-manager, user wazuh-wui; indexer user admin: 26 alerts in wazuh-alerts-* over the last 10y',
      });
    } finally {
      close();
      await emu.close();
    }
  });

  test('a wrong server password and a wrong indexer password each give a clear error', async () => {
    const emu = await startWazuhEmulator({ alerts: 5 });
    try {
      let o = open({ ...emu.settings, password: 'wrong' });
      assert.deepEqual(await connector.test(o.ctx), {
        ok: false,
        message: 'connector wazuh: POST /security/user/authenticate: HTTP 401: the Wazuh server API refused the login of user wazuh-wui: Unauthorized: Invalid credentials',
      });
      await assert.rejects(connector.runAction(o.ctx, 'restartAgents', { agents: ['001'] }, 'k8'), { kind: 'auth' });
      o.close();
      o = open({ ...emu.settings, indexerPassword: 'wrong' });
      const expected = 'connector wazuh: POST /wazuh-alerts-*/_search: HTTP 401: the Wazuh indexer did not accept user admin (check indexerUsername and indexerPassword): Unauthorized';
      assert.deepEqual(await connector.test(o.ctx), { ok: false, message: expected });
      await assert.rejects(connector.pullAlerts(o.ctx, null), { message: expected });
      o.close();
      assert.equal(emu.actions().length, 0);
    } finally {
      await emu.close();
    }
  });

  test('50 failed logins block the address with 403; the connector says so', async () => {
    const emu = await startWazuhEmulator({ alerts: 0 });
    const { ctx, close } = open({ ...emu.settings, password: 'wrong' });
    try {
      for (let i = 0; i < 50; i++) assert.equal((await connector.test(ctx)).ok, false);
      assert.deepEqual(await connector.test(ctx), {
        ok: false,
        message:
          'connector wazuh: POST /security/user/authenticate: HTTP 403: the Wazuh server API refused the login of user wazuh-wui: Permission Denied: Limit of login attempts reached. The current IP has been blocked due to a high number of login attempts',
      });
    } finally {
      close();
      await emu.close();
    }
  });

  test('over max_request_per_minute the server API answers 429 code 6001 (no Retry-After); the client backs off and gives up', async () => {
    const emu = await startWazuhEmulator({ alerts: 0, maxRequestsPerMinute: 3 });
    const { ctx, close } = openConnectorContext(connector, emu.settings, { http: { ...FAST, maxAttempts: 2 } });
    try {
      // Login, then two actions: the third request of the minute is the last one allowed.
      assert.equal((await connector.runAction(ctx, 'restartAgents', { agents: ['001'] }, 'a')).status, 'done');
      assert.equal((await connector.runAction(ctx, 'restartAgents', { agents: ['002'] }, 'b')).status, 'done');
      await assert.rejects(connector.runAction(ctx, 'restartAgents', { agents: ['003'] }, 'c'), {
        message: 'connector wazuh: PUT /agents/restart: HTTP 429: Maximum number of requests per minute reached',
      });
      assert.deepEqual(emu.actions().map((a) => a.path), ['/agents/restart?agents_list=001', '/agents/restart?agents_list=002']);
    } finally {
      close();
      await emu.close();
    }
  });

  test('an index pattern that matches no index is a 404 with OpenSearch\'s reason', async () => {
    const emu = await startWazuhEmulator({ alerts: 5 });
    const { ctx, close } = open({ ...emu.settings, indexPattern: 'wazuh-alerts-4.x-1999.01.01' });
    try {
      await assert.rejects(connector.pullAlerts(ctx, null), {
        message: 'connector wazuh: POST /wazuh-alerts-4.x-1999.01.01/_search: HTTP 404: index_not_found_exception: no such index [wazuh-alerts-4.x-1999.01.01]',
      });
    } finally {
      close();
      await emu.close();
    }
  });
});
