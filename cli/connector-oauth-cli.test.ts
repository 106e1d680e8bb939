// quell emulate defender|crowdstrike and quell connector … through runCli with the built-in registry, on a real
// database, as a responder would try Quell without a real tenant.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';

function cli(t: TestContext) {
  const env = { QUELL_HOME: tempDir(t), QUELL_ANALYST: 'tester', QUELL_SECRET_KEY: 'a long test passphrase' };
  return async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, untilStopped: Promise.resolve() });
    return { code, stdout, stderr };
  };
}

/** `quell emulate VENDOR … --json` running until the test ends: its URL and settings. */
async function emulate(t: TestContext, vendor: string, ...args: string[]) {
  let stop!: () => void;
  const untilStopped = new Promise<void>((resolve) => (stop = resolve));
  let stdout = '';
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const done = runCli(['emulate', vendor, '--json', ...args], { stdout: (s) => (stdout += s), stderr: () => {}, env: {}, untilStopped, onReady: () => ready() });
  t.after(async () => {
    stop();
    await done;
  });
  await Promise.race([isReady, done.then((code) => assert.fail(`emulate exited with ${code}`))]);
  return JSON.parse(stdout) as { url: string; settings: Record<string, unknown> };
}

describe('quell emulate and quell connector with the OAuth2 vendors', () => {
  test('defender: emulate, add, test, pull and isolate', async (t) => {
    const { url, settings } = await emulate(t, 'defender', '--alerts', '300', '--faults', '429:0.1,503:0.05', '--seed', '4');
    assert.equal(settings['url'], url);
    assert.equal(settings['loginUrl'], url);
    const run = cli(t);
    const kase = (await run('case', 'new', 'MDE trial')).stdout.trim();
    assert.equal((await run('connector', 'add', 'defender', 'mde', '--settings', JSON.stringify({ ...settings, pageSize: 50 }))).code, 0);
    const listed = JSON.parse((await run('connector', 'list', '--json')).stdout) as { settings: Record<string, unknown> }[];
    assert.equal(listed[0]!.settings['clientSecret'], '<stored>');
    const tested = await run('connector', 'test', 'mde');
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /^OK: Defender for Endpoint API 127\.0\.0\.1:\d+: signed in to tenant /);
    const pulled = await run('connector', 'pull', 'mde', '--case', kase, '--json');
    assert.equal(pulled.code, 0, pulled.stderr);
    const summary = JSON.parse(pulled.stdout) as { read: number; stored: number; duplicates: number; caughtUp: boolean; byFormat: Record<string, number> };
    assert.deepEqual([summary.read, summary.stored, summary.duplicates, summary.caughtUp, summary.byFormat], [303, 303, 0, true, { 'defender-alert': 303 }]);

    const action = await run('connector', 'action', 'mde', 'isolate', '--input', JSON.stringify({ machineId: '43df73d1dac43593d1275e20422f44a949f6dfc3', comment: 'trial' }), '--key', 'trial-1', '--case', kase);
    assert.equal(action.code, 0, action.stdout + action.stderr);
    assert.equal(action.stdout, 'isolate on mde: done\nkey trial-1; impact: cuts the machine off the network except for the Defender service (risk high, undo with unisolate)\n');
  });

  test('crowdstrike: emulate, add, test, pull; a wrong secret is refused clearly', async (t) => {
    const { url, settings } = await emulate(t, 'crowdstrike', '--alerts', '300', '--faults', '429:0.1,503:0.05', '--seed', '4');
    assert.equal(settings['url'], url);
    const run = cli(t);
    const kase = (await run('case', 'new', 'Falcon trial')).stdout.trim();
    assert.equal((await run('connector', 'add', 'crowdstrike', 'falcon', '--settings', JSON.stringify({ ...settings, pageSize: 50 }))).code, 0);
    const tested = await run('connector', 'test', 'falcon');
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(tested.stdout, /^OK: CrowdStrike Falcon API 127\.0\.0\.1:\d+: signed in as API client [0-9a-f]{32}; alerts readable \(302 in view\)/);
    const pulled = await run('connector', 'pull', 'falcon', '--case', kase, '--json');
    assert.equal(pulled.code, 0, pulled.stderr);
    const summary = JSON.parse(pulled.stdout) as { read: number; stored: number; duplicates: number; caughtUp: boolean; byFormat: Record<string, number> };
    assert.deepEqual([summary.read, summary.stored, summary.duplicates, summary.caughtUp, summary.byFormat], [302, 302, 0, true, { 'crowdstrike-alert': 302 }]);
    const wrong = await run('connector', 'add', 'crowdstrike', 'falcon-bad', '--settings', JSON.stringify({ ...settings, clientSecret: 'nope' }));
    assert.equal(wrong.code, 0);
    const refused = await run('connector', 'test', 'falcon-bad');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stdout + refused.stderr, /connector falcon-bad: POST \/oauth2\/token: HTTP 401: access denied, invalid client credentials/);
  });
});
