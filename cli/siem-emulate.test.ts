// `quell emulate splunk|wazuh` and `quell connector …` against them, through runCli on a real database, as a
// responder trying Quell without a SIEM would type them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import * as splunk from '../connectors/splunk/index.js';
import * as wazuh from '../connectors/wazuh/index.js';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';

const vendors = [splunk, wazuh];

function cli(t: TestContext) {
  const env = { QUELL_HOME: tempDir(t), QUELL_ANALYST: 'tester', QUELL_SECRET_KEY: 'a long test passphrase' };
  return async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, untilStopped: Promise.resolve(), vendors });
    return { code, stdout, stderr };
  };
}

/** `quell emulate VENDOR … --json` running until the test ends; its one line of output, parsed. */
async function emulate(t: TestContext, vendor: string, ...args: string[]) {
  let stop!: () => void;
  const untilStopped = new Promise<void>((resolve) => (stop = resolve));
  let stdout = '';
  let stderr = '';
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const done = runCli(['emulate', vendor, '--json', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, untilStopped, onReady: () => ready(), vendors });
  t.after(async () => {
    stop();
    await done;
  });
  await Promise.race([isReady, done.then((code) => assert.fail(`emulate exited with ${code}: ${stderr}`))]);
  assert.equal(stdout.split('\n').length, 2, 'one line of JSON');
  return JSON.parse(stdout) as { url: string; settings: Record<string, unknown> };
}

describe('quell emulate for the SIEMs', () => {
  test('splunk: emulate, add with its settings, test, pull 203 notables, resolve one', async (t) => {
    const { url, settings } = await emulate(t, 'splunk', '--alerts', '200', '--faults', '429:0.1,503:0.05', '--seed', '3');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(Object.keys(settings).sort(), ['app', 'authKind', 'earliestTime', 'owner', 'pageSize', 'password', 'query', 'timeoutMs', 'url', 'username']);
    const run = cli(t);
    const kase = (await run('case', 'new', 'Splunk pull')).stdout.trim();
    assert.equal((await run('connector', 'add', 'splunk', 'splunk-lab', '--settings', JSON.stringify({ ...settings, pageSize: 50 }))).code, 0);
    const tested = await run('connector', 'test', 'splunk-lab');
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /^OK: Splunk 9\.2\.1 on splunk-emulator, user admin \(roles admin, ess_admin\), app SplunkEnterpriseSecuritySuite \(\d+ ms\)\n$/);
    const pulled = await run('connector', 'pull', 'splunk-lab', '--case', kase, '--json');
    assert.equal(pulled.code, 0, pulled.stderr);
    const summary = JSON.parse(pulled.stdout) as { read: number; stored: number; duplicates: number; pages: number; caughtUp: boolean; byFormat: Record<string, number> };
    assert.deepEqual([summary.read, summary.stored, summary.duplicates, summary.pages, summary.caughtUp], [203, 203, 0, 5, true]);
    const listed = JSON.parse((await run('connector', 'list', '--json')).stdout) as { settings: Record<string, unknown> }[];
    assert.equal(listed[0]!.settings['password'], '<stored>');
    // The recorded ES notable, resolved with a comment.
    const eventId = '5E6DE97D-B137-47AB-8905-8C4F42998937@@notable@@e4f07602f507975e9f7ba47c4ae0c417';
    const acted = await run('connector', 'action', 'splunk-lab', 'updateNotable', '--input', JSON.stringify({ eventId, status: 'resolved', comment: 'known admin' }), '--json');
    assert.equal(acted.code, 0, acted.stderr);
    const out = JSON.parse(acted.stdout) as { status: string; outcome: { result: Record<string, unknown> } };
    assert.deepEqual([out.status, out.outcome.result['changes']], ['done', { status: '4', comment: 'known admin' }]);
  });

  test('wazuh: emulate (server API + indexer), add, test, pull, firewall-drop an address', async (t) => {
    const { url, settings } = await emulate(t, 'wazuh', '--alerts', '120', '--seed', '4');
    assert.equal(settings['url'], url);
    assert.match(String(settings['indexerUrl']), /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(settings['indexerUrl'], url);
    const run = cli(t);
    const kase = (await run('case', 'new', 'Wazuh pull')).stdout.trim();
    assert.equal((await run('connector', 'add', 'wazuh', 'wazuh-lab', '--settings', JSON.stringify(settings))).code, 0);
    const tested = await run('connector', 'test', 'wazuh-lab');
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /^OK: Wazuh 4\.14\.0 server API on wazuh-manager, user wazuh-wui; indexer user admin: 121 alerts in wazuh-alerts-\* over the last 10y \(\d+ ms\)\n$/);
    const pulled = await run('connector', 'pull', 'wazuh-lab', '--case', kase, '--json');
    assert.equal(pulled.code, 0, pulled.stderr);
    const summary = JSON.parse(pulled.stdout) as { read: number; stored: number; caughtUp: boolean };
    assert.deepEqual([summary.read, summary.stored, summary.caughtUp], [121, 121, true]);
    const acted = await run('connector', 'action', 'wazuh-lab', 'activeResponse', '--input', JSON.stringify({ agents: ['001'], srcip: '203.0.113.9' }), '--json');
    assert.equal(acted.code, 0, acted.stderr);
    const out = JSON.parse(acted.stdout) as { status: string; outcome: { result: { affected: string[] } } };
    assert.deepEqual([out.status, out.outcome.result.affected], ['done', ['001']]);
  });
});
