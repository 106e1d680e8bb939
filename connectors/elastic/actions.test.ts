import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openConnectorContext, parseFaults, type ActionOutcome, type RunningEmulator } from '../sdk/index.js';
import { EMULATOR_CREDENTIALS } from './emulator/index.js';
import { connector, emulator } from './index.js';

const FAST = { sleep: () => Promise.resolve(), timeoutMs: 5_000, maxAttempts: 8 };

function open(settings: Record<string, unknown>) {
  return openConnectorContext(connector, settings, { http: FAST, name: 'soc-elastic' });
}

async function withEmulator(options: Record<string, unknown>, fn: (em: RunningEmulator) => Promise<void>) {
  const em = await emulator.start(options);
  try {
    await fn(em);
  } finally {
    await em.close();
  }
}

async function pollToEnd(ctx: ReturnType<typeof open>['ctx'], action: string, first: ActionOutcome) {
  let outcome = first;
  let polls = 0;
  while (outcome.status === 'pending') {
    outcome = await connector.pollAction(ctx, action, outcome.poll);
    polls++;
  }
  return { outcome, polls };
}

describe('elastic actions against the emulator', () => {
  test('set-alert-status sends signal_ids/status/reason with kbn-xsrf, once, and the alert reads back closed', async () => {
    await withEmulator({ alerts: 20, seed: 2 }, async (em) => {
      const { ctx, close } = open(em.settings);
      try {
        const ids = em.alertIds().slice(0, 3);
        const outcome = await connector.runAction(ctx, 'set-alert-status', { alertIds: ids, status: 'closed', reason: 'false_positive' }, 'key-1');
        assert.deepEqual(outcome, { status: 'done', result: { total: 3, updated: 3, requested: 3, status: 'closed' } });
        const recorded = em.actions();
        assert.equal(recorded.length, 1);
        assert.equal(recorded[0]?.action, 'set-alert-status');
        assert.equal(recorded[0]?.method, 'POST');
        assert.equal(recorded[0]?.path, '/api/detection_engine/signals/status');
        assert.equal(recorded[0]?.headers['kbn-xsrf'], 'true');
        assert.equal(recorded[0]?.headers.authorization, '<redacted>');
        assert.deepEqual(recorded[0]?.body, { signal_ids: ids, status: 'closed', reason: 'false_positive' });
        // The pull sees the new workflow status.
        const page = await connector.pullAlerts(ctx, null);
        const closed = page.records.filter((r) => (r.raw._source as Record<string, unknown>)['kibana.alert.workflow_status'] === 'closed').map((r) => r.id);
        assert.deepEqual(closed.sort(), [...ids].sort());
      } finally {
        close();
      }
    });
  });

  test('set-alert-status on an unknown alert id is a failed outcome that says how many exist', async () => {
    await withEmulator({ alerts: 5, seed: 2 }, async (em) => {
      const { ctx, close } = open(em.settings);
      try {
        const outcome = await connector.runAction(ctx, 'set-alert-status', { alertIds: [em.alertIds()[0], 'no-such-alert'], status: 'acknowledged' }, 'key-2');
        assert.deepEqual(outcome, {
          status: 'failed',
          reason: 'only 1 of 2 alert(s) exist in space default; 1 updated',
          result: { total: 1, updated: 1, requested: 2, status: 'acknowledged' },
        });
      } finally {
        close();
      }
    });
  });

  test('isolate-host goes pending, is polled to successful, and reaches the emulator once with its key in the comment', async () => {
    await withEmulator({ alerts: 10, seed: 4 }, async (em) => {
      const { ctx, close } = open(em.settings);
      try {
        const pulled = await connector.pullAlerts(ctx, null);
        const agentId = ((pulled.records[0]?.raw._source as Record<string, unknown>).agent as { id: string }).id;
        const first = await connector.runAction(ctx, 'isolate-host', { endpointIds: [agentId], comment: 'ransomware on host', alertIds: [pulled.records[0]!.id] }, 'iso-1');
        assert.equal(first.status, 'pending');
        const { outcome, polls } = await pollToEnd(ctx, 'isolate-host', first);
        assert.equal(polls, 2);
        assert.equal(outcome.status, 'done');
        assert.equal(outcome.status === 'done' && outcome.result.command, 'isolate');
        // Asked again with the same key (a retry after a crash): the earlier action is found, nothing is re-sent.
        const again = await connector.runAction(ctx, 'isolate-host', { endpointIds: [agentId], comment: 'ransomware on host' }, 'iso-1');
        assert.equal(again.status, 'done');
        const recorded = em.actions();
        assert.equal(recorded.length, 1);
        assert.equal(recorded[0]?.path, '/api/endpoint/action/isolate');
        assert.deepEqual(recorded[0]?.body, { endpoint_ids: [agentId], comment: 'ransomware on host [quell:iso-1]', agent_type: 'endpoint', alert_ids: [pulled.records[0]!.id] });
        const release = await connector.runAction(ctx, 'release-host', { endpointIds: [agentId] }, 'rel-1');
        assert.equal((await pollToEnd(ctx, 'release-host', release)).outcome.status, 'done');
        assert.deepEqual(
          em.actions().map((a) => [a.action, a.path]),
          [
            ['isolate-host', '/api/endpoint/action/isolate'],
            ['release-host', '/api/endpoint/action/unisolate'],
          ],
        );
      } finally {
        close();
      }
    });
  });

  test('under faults each action still reaches the emulator exactly once per idempotency key', async () => {
    await withEmulator({ alerts: 10, seed: 9, faults: parseFaults('429:0.1,503:0.1,truncate:0.05') }, async (em) => {
      const { ctx, close } = open(em.settings);
      try {
        for (let i = 0; i < 12; i++) {
          const outcome = await connector.runAction(ctx, 'isolate-host', { endpointIds: [`agent-${i}`] }, `k-${i}`);
          await pollToEnd(ctx, 'isolate-host', outcome);
        }
        const keys = em.actions().map((a) => /\[quell:(k-\d+)\]/.exec(String((a.body as { comment?: string }).comment))?.[1]);
        assert.deepEqual([...keys].sort(), Array.from({ length: 12 }, (_, i) => `k-${i}`).sort());
        const faults = em.faultsInjected();
        assert.ok(faults['503'] + faults['429'] + faults.truncate > 0);
      } finally {
        close();
      }
    });
  });

  test('a missing kbn-xsrf header is refused with Kibana\'s exact 400', async () => {
    await withEmulator({ alerts: 1, seed: 1 }, async (em) => {
      const res = await fetch(`${em.url}/api/detection_engine/signals/status`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${String(em.settings.apiKey)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ signal_ids: ['x'], status: 'closed' }),
      });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { statusCode: 400, error: 'Bad Request', message: 'Request must contain a kbn-xsrf header.' });
      assert.equal(em.actions().length, 0);
    });
  });

  test('bad input is refused by Kibana in its own words (Boom for endpoint routes, status_code for signals)', async () => {
    await withEmulator({ alerts: 1, seed: 1 }, async (em) => {
      const { ctx, close } = open(em.settings);
      try {
        await assert.rejects(connector.runAction(ctx, 'set-alert-status', { alertIds: ['a'], status: 'closed', reason: 'bored' }, 'x'), /Invalid (enum value|option)/);
        const headers = { authorization: `ApiKey ${String(em.settings.apiKey)}`, 'content-type': 'application/json', 'kbn-xsrf': 'true' };
        const bad = await fetch(`${em.url}/api/detection_engine/signals/status`, { method: 'POST', headers, body: JSON.stringify({ signal_ids: ['a'], status: 'done' }) });
        assert.equal(bad.status, 400);
        assert.equal(((await bad.json()) as { status_code: number }).status_code, 400);
        const empty = await fetch(`${em.url}/api/endpoint/action/isolate`, { method: 'POST', headers, body: JSON.stringify({ endpoint_ids: [] }) });
        assert.deepEqual(await empty.json(), { statusCode: 400, error: 'Bad Request', message: '[request body.endpoint_ids]: array size is [0], but cannot be smaller than [1]' });
        const search = await fetch(`${em.url}/api/detection_engine/signals/search`, { method: 'POST', headers, body: JSON.stringify({ search_after: [1] }) });
        assert.deepEqual(await search.json(), { message: '"value" must have at least 1 children', status_code: 400 });
      } finally {
        close();
      }
    });
  });
});

describe('elastic test() and credentials', () => {
  test('test() names the Kibana version, the user behind the API key, the space and the alert count', async () => {
    await withEmulator({ alerts: 42, seed: 1 }, async (em) => {
      const { ctx, close } = open(em.settings);
      try {
        assert.deepEqual(await connector.test(ctx), {
          ok: true,
          message: 'Kibana 8.15.0, user soc-bot (API key quell-connector), space default, 42 alerts visible; pulls with Elasticsearch point in time + search_after',
        });
      } finally {
        close();
      }
    });
  });

  test('basic auth without an Elasticsearch URL', async () => {
    await withEmulator({ alerts: 3, seed: 1 }, async (em) => {
      const { esUrl: _es, apiKey: _k, ...rest } = em.settings;
      const { ctx, close } = open({ ...rest, auth: 'basic', username: EMULATOR_CREDENTIALS.username, password: EMULATOR_CREDENTIALS.password });
      try {
        assert.deepEqual(await connector.test(ctx), { ok: true, message: 'Kibana 8.15.0, user soc-bot, space default, 3 alerts visible; pulls with Kibana signals/search (time windows)' });
      } finally {
        close();
      }
    });
  });

  test('wrong credentials: test() says so, and a pull fails with an auth error naming the connector and the request', async () => {
    await withEmulator({ alerts: 3, seed: 1 }, async (em) => {
      const { ctx, close } = open({ ...em.settings, apiKey: Buffer.from('nope:wrong').toString('base64') });
      try {
        assert.deepEqual(await connector.test(ctx), {
          ok: false,
          message: 'connector soc-elastic: GET /api/status: HTTP 401: Elastic refused the API key: Unauthorized',
        });
        await assert.rejects(connector.pullAlerts(ctx, null), (e: Error & { kind?: string }) => {
          assert.equal(e.kind, 'auth');
          assert.equal(
            e.message,
            'connector soc-elastic: POST /.alerts-security.alerts-default/_pit: HTTP 401: Elastic refused the API key: security_exception: unable to authenticate with provided credentials for REST request [/.alerts-security.alerts-default/_pit]',
          );
          return true;
        });
      } finally {
        close();
      }
    });
  });

  test('settings: auth needs its secret; unknown space refused by test()', async () => {
    const parsed = connector.manifest.settings.safeParse({ url: 'https://kibana.example:5601', auth: 'basic', username: 'x' });
    assert.equal(parsed.success, false);
    assert.deepEqual(
      parsed.error?.issues.map((i) => [i.path.join('.'), i.message]),
      [['password', 'auth "basic" needs username and password']],
    );
    assert.deepEqual(connector.manifest.secretFields, ['apiKey', 'password']);
    await withEmulator({ alerts: 1, seed: 1 }, async (em) => {
      const { ctx, close } = open({ ...em.settings, space: 'soc' });
      try {
        assert.deepEqual(await connector.test(ctx), { ok: false, message: 'connector soc-elastic: GET /s/soc/api/status: HTTP 404: Not Found' });
      } finally {
        close();
      }
    });
  });
});
