// The Defender connector against its emulator over loopback HTTP, through the SDK alone: OAuth2 sign-in, OData
// paging by @odata.nextLink, the time+id cursor, and the faults a real tenant produces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openConnectorContext, parseFaults, type Cursor } from '../sdk/index.js';
import { connector } from './connector.js';
import { startDefenderEmulator, type DefenderEmulator } from './emulator/index.js';

const fast = { sleep: async () => {}, timeoutMs: 5_000 };

async function pullAll(emu: DefenderEmulator, settings: Record<string, unknown> = {}, from: Cursor | null = null) {
  const opened = openConnectorContext(connector, { ...emu.settings, ...settings }, { name: 'mde-test', http: fast });
  try {
    const ids: string[] = [];
    let cursor = from;
    let pages = 0;
    for (;;) {
      const page = await connector.pullAlerts(opened.ctx, cursor);
      pages++;
      ids.push(...page.records.map((r) => r.id));
      cursor = page.cursor;
      if (page.done) return { ids, cursor, pages };
      assert.ok(pages < 1000, 'the pull never caught up');
    }
  } finally {
    opened.close();
  }
}

test('10,000 generated alerts plus the recorded ones are pulled exactly once, in pages of 500', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 10_000, seed: 11 });
  t.after(() => emu.close());
  const { ids, cursor, pages } = await pullAll(emu, { pageSize: 500 });
  assert.equal(ids.length, 10_003);
  assert.deepEqual(ids, emu.alertIds());
  assert.deepEqual(emu.served(), emu.alertIds());
  assert.equal(pages, 21);
  // Caught up: the next pull from the returned cursor yields nothing new.
  const again = await pullAll(emu, { pageSize: 500 }, cursor);
  assert.deepEqual(again.ids, []);
});

test('under 429, 503, truncated pages and expired tokens every alert still arrives exactly once', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 10_000, seed: 15, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
  t.after(() => emu.close());
  const { ids } = await pullAll(emu, { pageSize: 100 });
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids, emu.alertIds());
  assert.deepEqual([...new Set(emu.served())].sort(), [...ids].sort());
  const injected = emu.faultsInjected();
  for (const kind of ['429', '503', 'truncate', 'expire'] as const) assert.ok(injected[kind] > 0, `${kind} was injected`);
});

test('a pull resumed from a committed cursor yields the rest exactly once; new alerts at the boundary instant are not lost', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 1_000, seed: 13 });
  t.after(() => emu.close());
  const opened = openConnectorContext(connector, { ...emu.settings, pageSize: 100 }, { name: 'mde-test', http: fast });
  t.after(() => opened.close());
  const first: string[] = [];
  let cursor: Cursor | null = null;
  for (let i = 0; i < 4; i++) {
    const page = await connector.pullAlerts(opened.ctx, cursor);
    first.push(...page.records.map((r) => r.id));
    cursor = page.cursor;
  }
  assert.equal(first.length, 400);
  // "Restart": a new context (no cached token) from the JSON round trip of the stored cursor.
  const rest = await pullAll(emu, { pageSize: 100 }, JSON.parse(JSON.stringify(cursor)) as Cursor);
  assert.deepEqual([...first, ...rest.ids], emu.alertIds());

  // An alert created at exactly the last instant seen arrives on the next sweep, the ones already seen do not.
  const last = emu.api.alerts.at(-1)!;
  emu.api.alerts.push({ ...last, id: 'da000000000000000001_1' });
  const after = await pullAll(emu, { pageSize: 100 }, rest.cursor);
  assert.deepEqual(after.ids, ['da000000000000000001_1']);
});

test('the sign-in and the API answer with clear errors', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 5 });
  t.after(() => emu.close());
  const check = async (settings: Record<string, unknown>) => {
    const opened = openConnectorContext(connector, { ...emu.settings, ...settings }, { name: 'mde-prod', http: fast });
    try {
      return await connector.test(opened.ctx);
    } finally {
      opened.close();
    }
  };
  const tenant = String(emu.settings['tenantId']);
  assert.deepEqual(await check({ clientSecret: 'wrong-secret' }), {
    ok: false,
    message: `connector mde-prod: POST /${tenant}/oauth2/v2.0/token: HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${String(emu.settings['clientId'])}'.`,
  });
  assert.deepEqual(await check({ tenantId: 'contoso.example' }), {
    ok: false,
    message: "connector mde-prod: POST /contoso.example/oauth2/v2.0/token: HTTP 400: invalid_request: AADSTS90002: Tenant 'contoso.example' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
  });
  assert.deepEqual(await check({}), {
    ok: true,
    message: `Defender for Endpoint API 127.0.0.1:${new URL(emu.url).port}: signed in to tenant ${tenant} as app ${String(emu.settings['clientId'])}; alerts readable (latest alert returned)`,
  });
  // The secret never appears in what the emulator recorded or in an error.
  const wrong = await check({ clientSecret: 'wrong-secret' });
  assert.ok(!wrong.message.includes('wrong-secret'));
});

test('a nextLink to another origin is refused, not followed with the token', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 5 });
  t.after(() => emu.close());
  const opened = openConnectorContext(connector, emu.settings, { name: 'mde-test', http: fast });
  t.after(() => opened.close());
  const cursor = { since: '2019-01-01T00:00:00Z', sinceIds: [], next: { link: 'https://evil.example/api/alerts?$skip=5' }, maxTime: '2019-01-01T00:00:00Z', maxIds: [] };
  await assert.rejects(connector.pullAlerts(opened.ctx, cursor), {
    kind: 'protocol',
    message: `connector mde-test: GET /api/alerts: @odata.nextLink points to https://evil.example, not the configured ${emu.url}; not followed`,
  });
});

test('answers held past the client timeout (slow) are retried; every alert still arrives exactly once', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 600, seed: 16, faults: parseFaults('slow:0.1,500:0.05'), slowMs: 1_000 });
  t.after(() => emu.close());
  const opened = openConnectorContext(connector, { ...emu.settings, pageSize: 50 }, { name: 'mde-test', http: { sleep: async () => {}, timeoutMs: 250, maxAttempts: 8 } });
  t.after(() => opened.close());
  const ids: string[] = [];
  let cursor: Cursor | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await connector.pullAlerts(opened.ctx, cursor);
    ids.push(...page.records.map((r) => r.id));
    cursor = page.cursor;
    if (page.done) break;
  }
  assert.deepEqual(ids, emu.alertIds());
  assert.ok(emu.faultsInjected().slow > 0, JSON.stringify(emu.faultsInjected()));
});
