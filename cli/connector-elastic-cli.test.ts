// `quell emulate elastic` and `quell connector …` against it, through runCli on a real database, as a responder
// trying Quell without an Elastic deployment would type them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { connector, emulator } from '../connectors/elastic/index.js';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';

const vendors = [{ connector, emulator }];

function cli(t: TestContext) {
  const home = tempDir(t);
  const env = { QUELL_HOME: home, QUELL_ANALYST: 'tester', QUELL_SECRET_KEY: 'a long test passphrase' };
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, untilStopped: Promise.resolve(), vendors });
    return { code, stdout, stderr };
  };
  return { run, home };
}

async function emulate(t: TestContext, ...args: string[]) {
  let stop!: () => void;
  const untilStopped = new Promise<void>((resolve) => (stop = resolve));
  let stdout = '';
  let stderr = '';
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  // An empty content folder: the shipped build has no recorded Elastic alerts (licence), so generated ones only.
  const content = tempDir(t);
  fs.writeFileSync(path.join(content, 'SOURCES.md'), '');
  const done = runCli(['emulate', 'elastic', ...args], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { QUELL_CONTENT_DIR: content },
    untilStopped,
    onReady: () => ready(),
    vendors,
  });
  t.after(async () => {
    stop();
    await done;
  });
  await Promise.race([isReady, done.then((code) => assert.fail(`emulate exited with ${code}: ${stderr}`))]);
  return { stdout };
}

describe('quell emulate elastic and quell connector', () => {
  test('emulate prints settings that add, test, pull and act against', async (t) => {
    const emu = await emulate(t, '--json', '--alerts', '120', '--faults', '503:0.1', '--seed', '3');
    const { url, settings } = JSON.parse(emu.stdout) as { url: string; settings: Record<string, unknown> };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(settings.url, url);
    assert.match(String(settings.esUrl), /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual([settings.auth, settings.space, settings.pageSize], ['apiKey', 'default', 500]);

    const { run, home } = cli(t);
    const kase = (await run('case', 'new', 'Elastic pull')).stdout.trim();
    const added = await run('connector', 'add', 'elastic', 'soc-elastic', '--settings', JSON.stringify({ ...settings, pageSize: 50 }));
    assert.deepEqual(added, { code: 0, stdout: 'Added connector soc-elastic (elastic). Check it with: quell connector test soc-elastic\n', stderr: '' });
    const listed = JSON.parse((await run('connector', 'list', '--json')).stdout) as { settings: Record<string, unknown> }[];
    assert.equal(listed[0]?.settings.apiKey, '<stored>');

    const tested = await run('connector', 'test', 'soc-elastic');
    assert.equal(tested.code, 0, tested.stdout + tested.stderr);
    assert.match(
      tested.stdout,
      /^OK: Kibana 8\.15\.0, user soc-bot \(API key quell-connector\), space default, 120 alerts visible; pulls with Elasticsearch point in time \+ search_after \(\d+ ms\)\n$/,
    );

    const pulled = await run('connector', 'pull', 'soc-elastic', '--case', kase, '--json');
    assert.equal(pulled.code, 0, pulled.stderr);
    const summary = JSON.parse(pulled.stdout) as { read: number; stored: number; duplicates: number; quarantined: number; caughtUp: boolean; files: { file: string; format: string }[] };
    assert.deepEqual(
      [summary.read, summary.stored, summary.duplicates, summary.quarantined, summary.caughtUp, summary.files[0]?.file, summary.files[0]?.format],
      [120, 120, 0, 0, true, 'connector:soc-elastic', 'elastic-alert'],
    );

    const acted = await run('connector', 'action', 'soc-elastic', 'isolate-host', '--input', '{"endpointIds":["agent-7"]}', '--key', 'k-1', '--case', kase);
    assert.deepEqual(acted, {
      code: 0,
      stdout:
        'isolate-host on soc-elastic: done\nkey k-1; impact: cuts the hosts off the network except for their connection to Elastic (Defend agent) (risk high, undo with release-host)\n',
      stderr: '',
    });
    const db = fs.readFileSync(path.join(home, 'quell.db'));
    assert.equal(db.indexOf(String(settings.apiKey)), -1, 'the API key is not in the database');
  });
});
