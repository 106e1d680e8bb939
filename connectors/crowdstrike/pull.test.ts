// The CrowdStrike connector against its emulator over loopback HTTP, through the SDK alone: OAuth2 tokens, the
// two-step alerts v2 pull (ids, then entities) with its time+id cursor, the MSA envelope and the faults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openConnectorContext, parseFaults, type Cursor } from '../sdk/index.js';
import { connector } from './connector.js';
import { startCrowdStrikeEmulator, type CrowdStrikeEmulator } from './emulator/index.js';

const fast = { sleep: async () => {}, timeoutMs: 5_000 };

async function pullAll(emu: CrowdStrikeEmulator, settings: Record<string, unknown> = {}, from: Cursor | null = null) {
  const opened = openConnectorContext(connector, { ...emu.settings, ...settings }, { name: 'falcon-test', http: fast });
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
      assert.ok(pages < 2000, 'the pull never caught up');
    }
  } finally {
    opened.close();
  }
}

test('10,000 generated alerts plus the recorded ones are pulled exactly once, in pages of 500', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 10_000, seed: 21 });
  t.after(() => emu.close());
  const { ids, cursor, pages } = await pullAll(emu, { pageSize: 500 });
  assert.equal(ids.length, 10_002);
  assert.deepEqual(ids, emu.alertIds());
  assert.deepEqual(emu.served(), emu.alertIds());
  assert.equal(pages, 21);
  const again = await pullAll(emu, { pageSize: 500 }, cursor);
  assert.deepEqual(again.ids, []);
});

test('under 429 (X-RateLimit-RetryAfter), 503, truncated answers and expired tokens every alert arrives exactly once', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 10_000, seed: 22, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
  t.after(() => emu.close());
  const { ids } = await pullAll(emu, { pageSize: 100 });
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids, emu.alertIds());
  assert.deepEqual([...new Set(emu.served())].sort(), [...ids].sort());
  const injected = emu.faultsInjected();
  for (const kind of ['429', '503', 'truncate', 'expire'] as const) assert.ok(injected[kind] > 0, `${kind} was injected`);
});

test('a resumed pull yields the rest exactly once; alerts sharing the boundary instant are neither lost nor repeated', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 1_000, seed: 23 });
  t.after(() => emu.close());
  // Twelve alerts created at one instant, more than a page: the cursor must step over the ones already yielded.
  const last = emu.api.alerts.at(-1)!;
  for (let i = 0; i < 12; i++) emu.api.alerts.push({ ...last, composite_id: `${last.composite_id}-tie${String(i).padStart(2, '0')}` });
  const opened = openConnectorContext(connector, { ...emu.settings, pageSize: 5 }, { name: 'falcon-test', http: fast });
  t.after(() => opened.close());
  const first: string[] = [];
  let cursor: Cursor | null = null;
  for (let i = 0; i < 7; i++) {
    const page = await connector.pullAlerts(opened.ctx, cursor);
    first.push(...page.records.map((r) => r.id));
    cursor = page.cursor;
  }
  const rest = await pullAll(emu, { pageSize: 5 }, JSON.parse(JSON.stringify(cursor)) as Cursor);
  const all = [...first, ...rest.ids];
  assert.equal(new Set(all).size, all.length);
  assert.deepEqual([...all].sort(), [...emu.alertIds()].sort());
});

test('an FQL filter narrows the pull', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 300, seed: 24 });
  t.after(() => emu.close());
  const { ids } = await pullAll(emu, { filter: "product:'epp'+severity:>=70", pageSize: 50 });
  const want = emu.api.alerts.filter((a) => a['product'] === 'epp' && Number(a['severity']) >= 70).map((a) => a.composite_id);
  assert.ok(want.length > 50);
  assert.deepEqual([...ids].sort(), [...want].sort());
});

test('wrong credentials and a good sign-in give clear test results', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 3 });
  t.after(() => emu.close());
  const check = async (settings: Record<string, unknown>) => {
    const opened = openConnectorContext(connector, { ...emu.settings, ...settings }, { name: 'falcon-prod', http: fast });
    try {
      return await connector.test(opened.ctx);
    } finally {
      opened.close();
    }
  };
  assert.deepEqual(await check({ clientSecret: 'not-the-secret' }), {
    ok: false,
    message: 'connector falcon-prod: POST /oauth2/token: HTTP 401: access denied, invalid client credentials (trace emu-trace-1)',
  });
  assert.deepEqual(await check({}), {
    ok: true,
    message: `CrowdStrike Falcon API 127.0.0.1:${new URL(emu.url).port}: signed in as API client ${String(emu.settings['clientId'])}; alerts readable (5 in view)`,
  });
});

test('answers held past the client timeout (slow) are retried; every alert still arrives exactly once', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 600, seed: 26, faults: parseFaults('slow:0.1,500:0.05'), slowMs: 1_000 });
  t.after(() => emu.close());
  const opened = openConnectorContext(connector, { ...emu.settings, pageSize: 50 }, { name: 'falcon-test', http: { sleep: async () => {}, timeoutMs: 250, maxAttempts: 8 } });
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
