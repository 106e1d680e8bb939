// quell emulate and quell connector …, driven through runCli on a real database against the test-only Acme
// emulator, as a responder would type them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { ACME_CLIENT_SECRET, connector, emulator } from '../connectors/sdk/testing/index.js';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';

const vendors = [{ connector, emulator }];

function cli(t: TestContext, extraEnv: Record<string, string> = {}) {
  const home = tempDir(t);
  const env = { QUELL_HOME: home, QUELL_ANALYST: 'tester', QUELL_SECRET_KEY: 'a long test passphrase', ...extraEnv };
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, untilStopped: Promise.resolve(), vendors });
    return { code, stdout, stderr };
  };
  return { run, home, env };
}

/** `quell emulate … --json` running until the test ends; resolves with its one line of output. */
async function emulate(t: TestContext, ...args: string[]) {
  let stop!: () => void;
  const untilStopped = new Promise<void>((resolve) => (stop = resolve));
  let stdout = '';
  let stderr = '';
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const done = runCli(['emulate', 'acme', ...args], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
    untilStopped,
    onReady: () => ready(),
    vendors,
  });
  t.after(async () => {
    stop();
    await done;
  });
  await Promise.race([isReady, done.then((code) => assert.fail(`emulate exited with ${code}: ${stderr}`))]);
  return { stdout, stop: async () => (stop(), { code: await done, stderr }) };
}

describe('quell emulate and quell connector', () => {
  test('emulate prints its URL and settings; add, list, test, pull, action use them', async (t) => {
    const emu = await emulate(t, '--json', '--alerts', '250', '--faults', '429:0.1,503:0.05', '--seed', '3', '--retry-after', '0');
    assert.equal(emu.stdout.split('\n').length, 2, 'one line of JSON');
    const { url, settings } = JSON.parse(emu.stdout) as { url: string; settings: Record<string, unknown> };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(settings, { url, clientId: 'quell-test-client', clientSecret: ACME_CLIENT_SECRET });

    const { run, home } = cli(t);
    const kase = (await run('case', 'new', 'Acme pull')).stdout.trim();
    const added = await run('connector', 'add', 'acme', 'acme-lab', '--settings', JSON.stringify({ ...settings, pageSize: 40 }));
    assert.deepEqual(added, { code: 0, stdout: 'Added connector acme-lab (acme). Check it with: quell connector test acme-lab\n', stderr: '' });

    const listed = await run('connector', 'list', '--json');
    const [row] = JSON.parse(listed.stdout) as { name: string; settings: Record<string, unknown> }[];
    assert.deepEqual(row!.settings, { url, clientId: 'quell-test-client', pageSize: 40, clientSecret: '<stored>' });
    const text = await run('connector', 'list');
    assert.ok(text.stdout.includes(`acme-lab settings: {"url":"${url}","clientId":"quell-test-client","pageSize":40,"clientSecret":"<stored>"}`), text.stdout);

    const tested = await run('connector', 'test', 'acme-lab');
    assert.equal(tested.code, 0);
    assert.match(tested.stdout, new RegExp(`^OK: Acme API at ${url}, client quell-test-client, tenant acme-test \\(\\d+ ms\\)\\n$`));

    const pulled = await run('connector', 'pull', 'acme-lab', '--case', kase, '--json');
    assert.equal(pulled.code, 0, pulled.stderr);
    const summary = JSON.parse(pulled.stdout) as Record<string, unknown> & { files: { file: string; stored: number }[] };
    assert.deepEqual(
      [summary.read, summary.stored, summary.duplicates, summary.quarantined, summary.skipped, summary.pages, summary.caughtUp, summary.files[0]!.file],
      [250, 250, 0, 0, 0, 7, true, 'connector:acme-lab'],
    );
    assert.deepEqual(Object.keys(summary).sort(), ['byFormat', 'caughtUp', 'duplicates', 'files', 'incidents', 'pages', 'quarantined', 'read', 'requests', 'retries', 'skipped', 'stopped', 'stored']);
    const again = await run('connector', 'pull', 'acme-lab', '--case', kase);
    assert.match(again.stdout, /^FILE\s+FORMAT\s+READ\s+STORED/);
    assert.match(again.stdout, /connector:acme-lab\s+wazuh-alert\s+0\s+0\s+0\s+0\s+0\n/);
    // A new CLI process fetches a token first: two requests (faults are injected, so retries may come on top).
    assert.match(again.stdout, /1 page, 2 requests, \d+ retr(y|ies); caught up\.\n$/);

    const acted = await run('connector', 'action', 'acme-lab', 'isolate_host', '--input', '{"hostId":"ws-004"}', '--key', 'k-1', '--case', kase);
    assert.deepEqual(acted, {
      code: 0,
      stdout: 'isolate_host on acme-lab: done\nkey k-1; impact: cuts the host off the network except for the Acme agent (risk high, undo with release_host)\n',
      stderr: '',
    });
    const replay = await run('connector', 'action', 'acme-lab', 'isolate_host', '--input', '{"hostId":"ws-004"}', '--key', 'k-1');
    assert.equal(replay.stdout.split('\n')[0], 'isolate_host on acme-lab: done (already done earlier with this key; not sent again)');
    const history = await run('connector', 'actions', '--json');
    assert.deepEqual((JSON.parse(history.stdout) as { action: string; key: string; status: string }[]).map((a) => [a.action, a.key, a.status]), [['isolate_host', 'k-1', 'done']]);

    const stopped = await emu.stop();
    assert.equal(stopped.code, 0);
    // The secret is in the encrypted store beside the database, not in the database.
    const db = fs.readFileSync(path.join(home, 'quell.db'));
    assert.equal(db.indexOf(ACME_CLIENT_SECRET), -1);
    assert.ok(fs.existsSync(path.join(home, 'secrets.enc')));
  });

  test('without a passphrase secrets come from QUELL_SECRET_* variables, and the CLI says which one', async (t) => {
    const emu = await emulate(t, '--json');
    const { settings } = JSON.parse(emu.stdout) as { settings: Record<string, unknown> };
    const noKey = cli(t, { QUELL_SECRET_KEY: '' });
    const refused = await noKey.run('connector', 'add', 'acme', 'acme-lab', '--settings', JSON.stringify(settings));
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      'quell: Cannot store the secret clientSecret of connector acme-lab: secrets are read from the environment here. Set QUELL_SECRET_ACME_LAB_CLIENT_SECRET instead, or give a passphrase in QUELL_SECRET_KEY to keep secrets in an encrypted file.\n',
    );
    const withEnv = cli(t, { QUELL_SECRET_KEY: '', QUELL_SECRET_ACME_LAB_CLIENT_SECRET: ACME_CLIENT_SECRET });
    const { clientSecret: _omitted, ...plain } = settings;
    assert.equal((await withEnv.run('connector', 'add', 'acme', 'acme-lab', '--settings', JSON.stringify(plain))).code, 0);
    const tested = await withEnv.run('connector', 'test', 'acme-lab', '--json');
    assert.equal((JSON.parse(tested.stdout) as { ok: boolean }).ok, true);
  });

  test('wrong credentials, unknown vendors and bad options are reported plainly', async (t) => {
    const emu = await emulate(t, '--json');
    const { settings } = JSON.parse(emu.stdout) as { settings: Record<string, unknown> };
    const { run } = cli(t);
    await run('connector', 'add', 'acme', 'acme-bad', '--settings', JSON.stringify({ ...settings, clientSecret: 'nope' }));
    const tested = await run('connector', 'test', 'acme-bad');
    assert.equal(tested.code, 1);
    assert.match(tested.stdout, /^FAILED: connector acme-bad: POST \/oauth\/token: the token request was refused \(HTTP 401\): client authentication failed \(\d+ ms\)\n$/);
    const kase = (await run('case', 'new', 'x')).stdout.trim();
    const pulled = await run('connector', 'pull', 'acme-bad', '--case', kase);
    assert.deepEqual([pulled.code, pulled.stderr], [1, 'quell: connector acme-bad: POST /oauth/token: the token request was refused (HTTP 401): client authentication failed\n']);
    const unknown = await run('emulate', 'splonk');
    assert.deepEqual([unknown.code, unknown.stderr], [2, 'quell: no emulator for vendor "splonk" (vendors: acme)\nRun "quell emulate --help" for usage.\n']);
    const faults = await run('emulate', 'acme', '--faults', '429:2');
    assert.deepEqual([faults.code, faults.stderr.split('\n')[0]], [2, 'quell: --faults: fault "429:2": rate must be a number greater than 0 and at most 1, not "2"']);
    const badJson = await run('connector', 'add', 'acme', 'y', '--settings', '{url:');
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, /^quell: --settings is not valid JSON: /);
    const badSettings = await run('connector', 'add', 'acme', 'z', '--settings', '{"url":"nope","clientId":"a","clientSecret":"b"}');
    assert.deepEqual([badSettings.code, badSettings.stderr.split('\n')[0]], [1, 'quell: Invalid settings for acme connector z: url: Invalid URL']);
  });

  test('emulate prints a readable banner and a summary when stopped', async (t) => {
    const emu = await emulate(t, '--alerts', '5');
    assert.match(emu.stdout, /^Acme Alerts \(test-only\) emulator at http:\/\/127\.0\.0\.1:\d+ \(5 alerts\)\.\n/);
    assert.match(emu.stdout, /Add it with: quell connector add acme acme-emulator --settings '\{"url":"http:\/\/127\.0\.0\.1:\d+","clientId":"quell-test-client","clientSecret":"s3cr3t-acme-Zq8v1"\}'\n/);
    const stopped = await emu.stop();
    assert.deepEqual(stopped, { code: 0, stderr: 'Served 0 alerts, received 0 actions.\n' });
  });
});
