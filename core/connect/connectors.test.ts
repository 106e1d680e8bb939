// Connectors end to end on the real core: a real SQLite file, real HTTP to the loopback emulator of the test-only
// Acme vendor (connectors/sdk/testing), faults injected by the emulator kit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseFaults } from '../../connectors/sdk/index.js';
import { ACME_CLIENT_SECRET, ACME_POLLS_TO_DONE, startAcmeEmulator } from '../../connectors/sdk/testing/index.js';
import { alice, defer } from '../store/journal.test-helpers.js';
import { PASSPHRASE, setup, storedIds } from './connect.test-helpers.js';
import { EncryptedFileSecretStore } from './secrets.js';
import { startConnectorScheduler } from './scheduler.js';

describe('connector pulls', () => {
  test('a pull stopped after 3 pages, then resumed, stores the rest exactly once', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 1000, seed: 5, faults: parseFaults('429:0.05,truncate:0.05') });
    defer(t, () => emu.close());
    const { core, call } = setup(t);
    const kase = await call('case.create', { name: 'resume' });
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: { ...emu.settings, pageSize: 100 } });
    const off = core.router.subscribe('connector.progress', (p) => {
      if (p.pages === 3) void core.router.invoke('connector.stop', { name: 'acme-lab' }, alice);
    });
    const first = await call('connector.pull', { name: 'acme-lab', caseId: kase.id });
    off();
    assert.deepEqual([first.pages, first.totals.stored, first.stopped, first.caughtUp], [3, 300, true, false]);
    assert.deepEqual(storedIds(core, kase.id), emu.alertIds().slice(0, 300));
    assert.equal((await call('connector.list', {})).connectors[0]!.lastPull.status, 'stopped');

    const second = await call('connector.pull', { name: 'acme-lab', caseId: kase.id });
    assert.deepEqual([second.pages, second.totals.stored, second.totals.duplicates, second.caughtUp], [7, 700, 0, true]);
    const ids = storedIds(core, kase.id);
    assert.deepEqual(ids, emu.alertIds());
    const lines = core.store.db.prepare("SELECT line FROM events WHERE case_id = ? AND file = 'connector:acme-lab' ORDER BY line").all(kase.id) as { line: number }[];
    assert.deepEqual(lines.map((l) => l.line), Array.from({ length: 1000 }, (_, i) => i + 1));
    const journal = await call('journal.list', { caseId: kase.id, limit: 1000 });
    assert.deepEqual(
      journal.entries.filter((e) => e.action.startsWith('connector.pull.') && e.action !== 'connector.pull.page').map((e) => e.action),
      ['connector.pull.started', 'connector.pull.stopped', 'connector.pull.started', 'connector.pull.finished'],
    );
  });

  test('two pullers of one cursor: the second to commit a page is refused, nothing is stored twice', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 300, seed: 2 });
    defer(t, () => emu.close());
    const { core, call, fail } = setup(t);
    const kase = await call('case.create', { name: 'race' });
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: { ...emu.settings, pageSize: 100 } });
    // Another process (simulated on the same file) commits a page of its own after our first page.
    const off = core.router.subscribe('connector.progress', (p) => {
      if (p.pages === 1) core.store.db.prepare("UPDATE connector_cursors SET cursor = '{\"next\":\"c200\"}' WHERE connector = 'acme-lab'").run();
    });
    const refused = await fail('connector.pull', { name: 'acme-lab', caseId: kase.id });
    off();
    assert.deepEqual([refused.code, refused.message], [
      'conflict',
      `Another pull of connector acme-lab into case ${kase.id} moved its cursor meanwhile (a second Quell process?); this page was not stored. Pull again.`,
    ]);
    assert.deepEqual(storedIds(core, kase.id), emu.alertIds().slice(0, 100));
    const listed = (await call('connector.list', {})).connectors[0]!;
    assert.deepEqual([listed.lastPull.status, listed.lastPull.error], ['failed', refused.message]);
  });

  test('a pull killed mid-page (request in flight) commits nothing of that page; the rerun fetches it', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 500, seed: 9, faults: parseFaults('slow:0.3'), slowMs: 1500 });
    defer(t, () => emu.close());
    const { core, call } = setup(t);
    const kase = await call('case.create', { name: 'kill' });
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: { ...emu.settings, pageSize: 50, timeoutMs: 60_000 } });
    // Stop while a slow request is held by the emulator: the abort cancels the request itself.
    const pulling = call('connector.pull', { name: 'acme-lab', caseId: kase.id });
    await new Promise<void>((resolve) => {
      const wait = setInterval(() => {
        if (emu.faultsInjected().slow > 0) {
          clearInterval(wait);
          resolve();
        }
      }, 5);
    });
    await call('connector.stop', { name: 'acme-lab' });
    const first = await pulling;
    assert.equal(first.stopped, true);
    const committed = storedIds(core, kase.id);
    assert.deepEqual(committed, emu.alertIds().slice(0, first.pages * 50));
    const fast = await startAcmeEmulator({ alerts: 500, seed: 9 });
    defer(t, () => fast.close());
    await call('connector.update', { name: 'acme-lab', settings: { url: fast.url } });
    const second = await call('connector.pull', { name: 'acme-lab', caseId: kase.id });
    assert.equal(second.totals.stored, 500 - committed.length);
    assert.equal(second.totals.duplicates, 0);
    assert.deepEqual(storedIds(core, kase.id), emu.alertIds());
  });
});

describe('connector actions', () => {
  test('one request per idempotency key reaches the vendor; pending is polled to done; outcome journaled', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 1 });
    defer(t, () => emu.close());
    const { call, fail } = setup(t);
    const kase = await call('case.create', { name: 'respond' });
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: emu.settings });

    const done = await call('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { hostId: 'ws-017', comment: 'LSASS dump' }, key: 'case-1-isolate', caseId: kase.id });
    assert.deepEqual(
      { status: done.status, outcome: done.outcome, replayed: done.replayed, polls: done.polls, key: done.key },
      { status: 'done', outcome: { status: 'done', result: { actionId: 'act-1' } }, replayed: false, polls: ACME_POLLS_TO_DONE, key: 'case-1-isolate' },
    );
    assert.deepEqual(done.impact, { changes: 'cuts the host off the network except for the Acme agent', reversible: true, undo: 'release_host', risk: 'high' });
    const again = await call('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { hostId: 'ws-017', comment: 'LSASS dump' }, key: 'case-1-isolate', caseId: kase.id });
    assert.equal(again.replayed, true);
    assert.equal(again.status, 'done');
    const recorded = emu.actions();
    assert.equal(recorded.length, 1, 'the second request with the same key never left Quell');
    assert.deepEqual(
      [recorded[0]!.action, recorded[0]!.method, recorded[0]!.path, recorded[0]!.body, recorded[0]!.headers['idempotency-key'], recorded[0]!.headers.authorization],
      ['isolate', 'POST', '/api/v1/hosts/ws-017/isolate', { comment: 'LSASS dump' }, 'case-1-isolate', '<redacted>'],
    );

    // Without a key, one is derived from connector, action and input: the same request twice is one action.
    const derived = await call('connector.action', { name: 'acme-lab', action: 'release_host', input: { hostId: 'ws-017' } });
    const derivedAgain = await call('connector.action', { name: 'acme-lab', action: 'release_host', input: { hostId: 'ws-017' } });
    assert.equal(derived.key, derivedAgain.key);
    assert.match(derived.key, /^qk-[0-9a-f]{32}$/);
    assert.deepEqual([derived.replayed, derivedAgain.replayed], [false, true]);
    assert.equal(emu.actions().length, 2);

    const conflict = await fail('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { hostId: 'ws-099' }, key: 'case-1-isolate' });
    assert.deepEqual([conflict.code, conflict.message], [
      'conflict',
      'Idempotency key case-1-isolate of connector acme-lab was already used for isolate_host with other input; use a new key for a new request.',
    ]);
    const badInput = await fail('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { host: 'ws-1' } });
    assert.deepEqual([badInput.code, badInput.message, badInput.issues], [
      'invalid_input',
      'Invalid input for action isolate_host of connector acme-lab.',
      [{ path: 'input.hostId', message: 'Invalid input: expected string, received undefined' }],
    ]);
    const unknown = await fail('connector.action', { name: 'acme-lab', action: 'wipe_host', input: {} });
    assert.equal(unknown.message, 'Connector acme-lab (acme) has no action wipe_host (actions: isolate_host, release_host).');

    const journal = await call('journal.list', { caseId: kase.id, limit: 100 });
    const actions = journal.entries.filter((e) => e.action.startsWith('connector.action.')).map((e) => [e.action, (e.payload as { outcome?: { status: string } }).outcome?.status ?? null]);
    assert.deepEqual(actions, [
      ['connector.action.requested', null],
      ['connector.action.outcome', 'pending'],
      ['connector.action.polled', 'pending'],
      ['connector.action.polled', 'done'],
      ['connector.action.replayed', null],
    ]);
    const outcome = journal.entries.find((e) => e.action === 'connector.action.outcome')!.payload as Record<string, unknown>;
    assert.deepEqual(outcome.impact, done.impact);
    assert.deepEqual(outcome.calls, [
      { method: 'POST', path: '/oauth/token', status: 200, error: null, attempts: 1, durationMs: (outcome.calls as { durationMs: number }[])[0]!.durationMs },
      { method: 'POST', path: '/api/v1/hosts/ws-017/isolate', status: 202, error: null, attempts: 1, durationMs: (outcome.calls as { durationMs: number }[])[1]!.durationMs },
    ]);
    const history = await call('connector.actions', { name: 'acme-lab' });
    assert.deepEqual(history.actions.map((a) => [a.action, a.key === 'case-1-isolate', a.status, a.polls]), [
      ['release_host', false, 'done', ACME_POLLS_TO_DONE],
      ['isolate_host', true, 'done', ACME_POLLS_TO_DONE],
    ]);
  });

  test('a pending action past the wait stays pending with its handle; asking again polls it to done', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 1 });
    defer(t, () => emu.close());
    const { call } = setup(t);
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: emu.settings });
    const pending = await call('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { hostId: 'srv-1' }, key: 'k1', waitSeconds: 0 });
    assert.deepEqual([pending.status, pending.outcome, pending.polls], ['pending', { status: 'pending', poll: { actionId: 'act-1' }, message: 'action act-1 is pending' }, 0]);
    assert.deepEqual((await call('connector.actions', {})).actions.map((a) => [a.status, a.poll]), [['pending', { actionId: 'act-1' }]]);
    const finished = await call('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { hostId: 'srv-1' }, key: 'k1' });
    assert.deepEqual([finished.status, finished.polls, finished.replayed], ['done', ACME_POLLS_TO_DONE, false]);
    assert.equal(emu.actions().length, 1);
  });
  test('an action the vendor never confirmed is sent again with the same key; the failure is journaled', async (t) => {
    const down = await startAcmeEmulator({ alerts: 1, faults: parseFaults('503:1') });
    defer(t, () => down.close());
    const { call, fail } = setup(t);
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: down.settings });
    const failed = await fail('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { hostId: 'ws-2' }, key: 'iso-ws-2' });
    assert.deepEqual([failed.code, failed.message], [
      'unavailable',
      'connector acme-lab: POST /api/v1/hosts/ws-2/isolate: HTTP 503 (after 5 attempts): Service unavailable (injected)',
    ]);
    const [row] = (await call('connector.actions', {})).actions;
    assert.deepEqual([row!.status, row!.lastError], ['running', failed.message]);
    const up = await startAcmeEmulator({ alerts: 1 });
    defer(t, () => up.close());
    await call('connector.update', { name: 'acme-lab', settings: { url: up.url } });
    const done = await call('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { hostId: 'ws-2' }, key: 'iso-ws-2' });
    assert.deepEqual([done.status, done.replayed], ['done', false]);
    assert.deepEqual(up.actions().map((a) => a.headers['idempotency-key']), ['iso-ws-2']);
    const journal = (await call('journal.list', { limit: 100 })).entries.filter((e) => e.action.startsWith('connector.action.')).map((e) => e.action);
    assert.deepEqual(journal, ['connector.action.requested', 'connector.action.error', 'connector.action.outcome', 'connector.action.polled', 'connector.action.polled']);
  });
});

describe('connector configuration and secrets', () => {
  test('wrong credentials give a clear error on test and pull; unknown names and bad settings are named', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 3 });
    defer(t, () => emu.close());
    const { call, fail } = setup(t);
    const kase = await call('case.create', { name: 'creds' });
    await call('connector.add', { vendor: 'acme', name: 'acme-bad', settings: { ...emu.settings, clientSecret: 'wrong-secret' } });
    const tested = await call('connector.test', { name: 'acme-bad' });
    assert.deepEqual([tested.ok, tested.message], [false, 'connector acme-bad: POST /oauth/token: the token request was refused (HTTP 401): client authentication failed']);
    const pulled = await fail('connector.pull', { name: 'acme-bad', caseId: kase.id });
    assert.deepEqual([pulled.code, pulled.message], ['unavailable', 'connector acme-bad: POST /oauth/token: the token request was refused (HTTP 401): client authentication failed']);
    const listed = (await call('connector.list', {})).connectors[0]!;
    assert.deepEqual([listed.lastPull.status, listed.lastPull.error], ['failed', pulled.message]);

    await call('connector.update', { name: 'acme-bad', settings: { caFile: '/nonexistent/ca.pem' } });
    for (let i = 0; i < 2; i++) {
      const noCa = await fail('connector.pull', { name: 'acme-bad', caseId: kase.id });
      assert.deepEqual([noCa.code, noCa.message], ['invalid_input', 'connector acme-bad: cannot read the CA file /nonexistent/ca.pem: ENOENT'], 'refused the same way twice: nothing left running');
    }
    await call('connector.update', { name: 'acme-bad', settings: { clientSecret: ACME_CLIENT_SECRET, caFile: null } });
    const fixed = await call('connector.test', { name: 'acme-bad' });
    assert.deepEqual([fixed.ok, fixed.message], [true, `Acme API at ${emu.url}, client quell-test-client, tenant acme-test`]);

    const missing = await fail('connector.test', { name: 'nope' });
    assert.deepEqual([missing.code, missing.message], ['not_found', 'No connector named nope (configured: acme-bad).']);
    const vendor = await fail('connector.add', { vendor: 'splonk', name: 'x', settings: {} });
    assert.equal(vendor.message, 'No connector vendor "splonk" (known: acme).');
    const bad = await fail('connector.add', { vendor: 'acme', name: 'acme-2', settings: { url: 'ftp//nope', clientId: 'a', clientSecret: 'b', pageSize: 0 } });
    assert.deepEqual([bad.code, bad.message, bad.issues], [
      'invalid_input',
      'Invalid settings for acme connector acme-2: url: Invalid URL; pageSize: Too small: expected number to be >=1',
      [
        { path: 'settings.url', message: 'Invalid URL' },
        { path: 'settings.pageSize', message: 'Too small: expected number to be >=1' },
      ],
    ]);
    const dup = await fail('connector.add', { vendor: 'acme', name: 'acme-bad', settings: emu.settings });
    assert.deepEqual([dup.code, dup.message], ['conflict', 'A connector named acme-bad already exists.']);
  });

  test('secrets never reach the database file, the journal or list output', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 20 });
    defer(t, () => emu.close());
    const { core, call, dbPath, secretsFile } = setup(t);
    const kase = await call('case.create', { name: 'secrets' });
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: emu.settings, schedule: { caseId: kase.id, everyMinutes: 15 } });
    await call('connector.pull', { name: 'acme-lab', caseId: kase.id });
    await call('connector.test', { name: 'acme-lab' });
    await call('connector.action', { name: 'acme-lab', action: 'isolate_host', input: { hostId: 'ws-001' } });
    const listed = await call('connector.list', {});
    assert.deepEqual(listed.connectors[0]!.settings, { url: emu.url, clientId: 'quell-test-client', clientSecret: '<stored>' });
    assert.deepEqual(listed.connectors[0]!.schedule, { caseId: kase.id, everyMinutes: 15 });
    const vendors = await call('connector.vendors', {});
    assert.deepEqual(
      vendors.vendors[0]!.settings.map((f) => [f.name, f.type, f.required, f.secret]),
      [
        ['url', 'string', true, false],
        ['clientId', 'string', true, false],
        ['clientSecret', 'string', true, true],
        ['pageSize', 'integer', false, false],
        ['timeoutMs', 'integer', false, false],
        ['caFile', 'string', false, false],
        ['allowSelfSigned', 'boolean', false, false],
      ],
    );
    assert.deepEqual(vendors.vendors[0]!.actions.map((a) => [a.name, a.impact.risk, a.impact.undo]), [['isolate_host', 'high', 'release_host'], ['release_host', 'medium', 'isolate_host']]);

    const journal = await call('journal.list', { limit: 1000 });
    const everything = JSON.stringify([journal, listed, vendors]);
    assert.ok(!everything.includes(ACME_CLIENT_SECRET), 'secret in API output');
    assert.ok(!everything.includes('tok-'), 'access token in API output');
    core.close();
    for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file);
      assert.equal(bytes.indexOf(ACME_CLIENT_SECRET), -1, `secret in ${path.basename(file)}`);
      assert.equal(bytes.indexOf(Buffer.from(ACME_CLIENT_SECRET, 'utf16le')), -1);
    }
    const sealed = fs.readFileSync(secretsFile);
    assert.equal(sealed.indexOf(ACME_CLIENT_SECRET), -1, 'the secret store is encrypted');
    assert.equal(new EncryptedFileSecretStore(secretsFile, PASSPHRASE).get('acme-lab', 'clientSecret'), ACME_CLIENT_SECRET);
    assert.throws(() => new EncryptedFileSecretStore(secretsFile, 'wrong passphrase!').get('acme-lab', 'clientSecret'), {
      message: `The secret store ${secretsFile} cannot be opened with this passphrase (QUELL_SECRET_KEY), or it was altered.`,
    });
  });

  test('remove forgets cursors and secrets; disabled connectors do not pull', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 5 });
    defer(t, () => emu.close());
    const { call, fail, secretsFile } = setup(t);
    const kase = await call('case.create', { name: 'rm' });
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: emu.settings, enabled: false });
    const disabled = await fail('connector.pull', { name: 'acme-lab', caseId: kase.id });
    assert.deepEqual([disabled.code, disabled.message], ['conflict', 'Connector acme-lab is disabled; enable it first (connector.update).']);
    await call('connector.update', { name: 'acme-lab', enabled: true });
    assert.equal((await call('connector.pull', { name: 'acme-lab', caseId: kase.id })).totals.stored, 5);
    assert.deepEqual(await call('connector.remove', { name: 'acme-lab' }), { removed: 'acme-lab' });
    assert.deepEqual((await call('connector.list', {})).connectors, []);
    assert.equal(new EncryptedFileSecretStore(secretsFile, PASSPHRASE).get('acme-lab', 'clientSecret'), undefined);
    assert.equal((await call('event.list', { caseId: kase.id })).total, 5, 'pulled records stay');
  });

  test('the scheduler pulls enabled connectors when due, one at a time, and stores the last error', async (t) => {
    const emu = await startAcmeEmulator({ alerts: 40 });
    defer(t, () => emu.close());
    const { core, call } = setup(t);
    const kase = await call('case.create', { name: 'sched' });
    await call('connector.add', { vendor: 'acme', name: 'acme-lab', settings: { ...emu.settings, pageSize: 10 }, schedule: { caseId: kase.id, everyMinutes: 5 } });
    await call('connector.add', { vendor: 'acme', name: 'acme-off', settings: emu.settings, enabled: false, schedule: { caseId: kase.id, everyMinutes: 5 } });
    await call('connector.add', { vendor: 'acme', name: 'acme-broken', settings: { ...emu.settings, url: 'http://127.0.0.1:1' }, schedule: { caseId: kase.id, everyMinutes: 5 } });
    let now = Date.now();
    const scheduler = startConnectorScheduler(core, { now: () => now, tickMs: 3_600_000 });
    defer(t, () => scheduler.stop());
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    let listed = (await call('connector.list', {})).connectors;
    const byName = Object.fromEntries(listed.map((c) => [c.name, c]));
    assert.equal(byName['acme-lab']!.lastPull.status, 'done');
    assert.equal((byName['acme-lab']!.lastPull.summary as { stored: number }).stored, 40);
    assert.equal(byName['acme-off']!.lastPull.status, null);
    assert.equal(byName['acme-broken']!.lastPull.status, 'failed');
    assert.equal(byName['acme-broken']!.lastPull.error, 'connector acme-broken: POST /oauth/token: nothing is listening at 127.0.0.1:1 (connection refused) (after 5 attempts)');
    const pulls = (await call('journal.list', { caseId: kase.id, limit: 1000 })).entries.filter((e) => e.action === 'connector.pull.started');
    assert.equal(pulls.length, 2, 'two due connectors, each pulled once although ticked twice');
    await scheduler.tick();
    assert.equal((await call('journal.list', { caseId: kase.id, limit: 1000 })).entries.filter((e) => e.action === 'connector.pull.started').length, 2, 'not due yet');
    now += 6 * 60_000; // past the interval since the pulls started (stamped by the core's clock)
    await scheduler.tick();
    assert.equal((await call('journal.list', { caseId: kase.id, limit: 1000 })).entries.filter((e) => e.action === 'connector.pull.started').length, 4);
    listed = (await call('connector.list', {})).connectors;
    assert.equal(listed.find((c) => c.name === 'acme-lab')!.cursors[0]!.records, 40, 'the second scheduled pull found nothing new');
  });
});
