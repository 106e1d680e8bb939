// A connector driven through the SDK alone (no core): the test-only Acme connector against its emulator, with every
// fault kind injected, pages until caught up and sees every alert the emulator served.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cursor } from './contract.js';
import { openConnectorContext } from './context.js';
import { parseFaults } from './faults.js';
import { connector, startAcmeEmulator } from './testing/index.js';

const fast = { sleep: async () => {}, timeoutMs: 300 };

test('a pull through openConnectorContext survives every fault kind and sees each served alert', async (t) => {
  const emu = await startAcmeEmulator({ alerts: 2000, seed: 7, faults: parseFaults('429:0.1,500:0.05,503:0.05,slow:0.02,truncate:0.05,expire:0.05'), slowMs: 1000 });
  t.after(() => emu.close());
  const opened = openConnectorContext(connector, { ...emu.settings, pageSize: 50 }, { name: 'acme-test', http: fast });
  t.after(() => opened.close());
  const seen: string[] = [];
  let cursor: Cursor | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await connector.pullAlerts(opened.ctx, cursor);
    seen.push(...page.records.map((r) => r.id));
    cursor = page.cursor;
    if (page.done) break;
  }
  assert.deepEqual(seen, emu.alertIds());
  assert.deepEqual([...new Set(emu.served())].sort(), [...seen].sort());
  const injected = emu.faultsInjected();
  for (const kind of ['429', '500', '503', 'truncate', 'expire'] as const) assert.ok(injected[kind] > 0, `${kind} injected`);
});

test('wrong credentials and bad settings give clear errors', async (t) => {
  const emu = await startAcmeEmulator({ alerts: 1 });
  t.after(() => emu.close());
  const wrong = openConnectorContext(connector, { ...emu.settings, clientSecret: 'nope' }, { name: 'acme-prod' });
  t.after(() => wrong.close());
  assert.deepEqual(await connector.test(wrong.ctx), {
    ok: false,
    message: 'connector acme-prod: POST /oauth/token: the token request was refused (HTTP 401): client authentication failed',
  });
  const right = openConnectorContext(connector, emu.settings, { name: 'acme-prod' });
  t.after(() => right.close());
  assert.deepEqual(await connector.test(right.ctx), { ok: true, message: `Acme API at ${emu.url}, client quell-test-client, tenant acme-test` });
  assert.throws(() => openConnectorContext(connector, { url: 'not a url', clientId: '' }, { name: 'acme-prod' }), {
    kind: 'config',
    message: 'connector acme-prod: invalid settings: url: Invalid URL; clientId: Too small: expected string to have >=1 characters; clientSecret: Invalid input: expected string, received undefined',
  });
});
