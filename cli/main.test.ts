import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
// The attacker needs the database file directly; the one place allowed to open it is core/store, so it lives there.
import { tamper, tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';
import { VERSION } from './version.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `quell ARGV` in this process, with QUELL_HOME in a fresh temporary folder unless `env` says otherwise. */
function cli(t: TestContext, baseEnv: Record<string, string> = {}) {
  const home = tempDir(t);
  const env = { QUELL_HOME: home, QUELL_ANALYST: 'tester', ...baseEnv };
  const run = async (...argv: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env,
      untilStopped: Promise.resolve(),
    });
    return { code, stdout, stderr };
  };
  return { home, run, dbPath: path.join(home, 'quell.db') };
}

/** Table output as rows of cells (columns are separated by two or more spaces). */
const cells = (stdout: string) => stdout.trimEnd().split('\n').map((line) => line.split(/ {2,}/));

describe('quell: cases, notes and the journal', () => {
  test('case new prints just the id; case list and --json case list show the case', async (t) => {
    const { run } = cli(t);
    const created = await run('case', 'new', 'Beaconing from PRD01', '--description', 'Zeek saw it first');
    assert.deepEqual([created.code, created.stderr], [0, '']);
    assert.match(created.stdout, /^case_[0-9a-f]{32}\n$/);
    const id = created.stdout.trim();

    const json = await run('--json', 'case', 'list');
    assert.equal(json.code, 0);
    const cases = JSON.parse(json.stdout) as Record<string, string>[];
    assert.equal(cases.length, 1);
    const [only] = cases;
    assert.deepEqual(Object.keys(only!).sort(), ['createdAt', 'description', 'id', 'name', 'status', 'updatedAt']);
    assert.deepEqual([only!.id, only!.name, only!.description, only!.status], [id, 'Beaconing from PRD01', 'Zeek saw it first', 'open']);
    assert.equal(only!.createdAt, only!.updatedAt);

    const list = await run('case', 'list');
    assert.deepEqual([list.code, list.stderr], [0, '']);
    assert.deepEqual(cells(list.stdout), [
      ['ID', 'STATUS', 'CREATED', 'NAME'],
      [id, 'open', only!.createdAt!, 'Beaconing from PRD01'],
    ]);
  });

  test('an empty database says how to start', async (t) => {
    const { run } = cli(t);
    assert.deepEqual(await run('case', 'list'), { code: 0, stdout: 'No cases yet. Create one with: quell case new NAME\n', stderr: '' });
    assert.deepEqual(await run('audit', 'log'), { code: 0, stdout: 'No journal entries.\n', stderr: '' });
  });

  test('note add prints the note id; audit log lists the entries by the analyst from QUELL_ANALYST', async (t) => {
    const { run } = cli(t);
    const id = (await run('case', 'new', 'Phishing wave')).stdout.trim();
    const note = await run('note', 'add', id, 'mail gateway flagged 14 messages');
    assert.equal(note.code, 0);
    assert.match(note.stdout, /^note_[0-9a-f]{32}\n$/);

    const log = await run('audit', 'log');
    assert.equal(log.code, 0);
    const rows = cells(log.stdout);
    assert.deepEqual(rows.map((r) => [r[0], r[2], r[3], r[4]]), [
      ['SEQ', 'CASE', 'ACTOR', 'ACTION'],
      ['1', id, 'analyst:tester', 'case.created'],
      ['2', id, 'analyst:tester', 'note.added'],
    ]);
    assert.deepEqual((await run('audit', 'log', '--after', '1')).stdout.trimEnd().split('\n').length, 2);
  });

  test('audit verify: exit 0 with the intact line; after tampering exit 1 naming the bad entry', async (t) => {
    const { run, dbPath } = cli(t);
    const a = (await run('case', 'new', 'A')).stdout.trim();
    await run('note', 'add', a, 'first look');
    const b = (await run('case', 'new', 'B')).stdout.trim();

    assert.deepEqual(await run('audit', 'verify'), {
      code: 0,
      stdout: 'journal intact: 3 entries in 2 chains checked, head at entry 3\n',
      stderr: '',
    });
    assert.deepEqual(await run('audit', 'verify', '--case', b), {
      code: 0,
      stdout: `journal of case ${b} intact: 1 entry in 1 chain checked, head at entry 3\n`,
      stderr: '',
    });

    tamper(dbPath, (db) => db.prepare("UPDATE journal SET payload = '{}' WHERE seq = 2").run());
    const message = 'entry 2 was changed after it was written: its content no longer matches its hash';
    assert.deepEqual(await run('audit', 'verify'), { code: 1, stdout: `journal BROKEN at entry 2 (edited): ${message}\n`, stderr: '' });
    assert.deepEqual(await run('audit', 'verify', '--case', b), {
      code: 0,
      stdout: `journal of case ${b} intact: 1 entry in 1 chain checked, head at entry 3\n`,
      stderr: '',
    });
    const json = await run('audit', 'verify', '--json');
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      scope: 'all',
      entriesChecked: 1,
      chainsChecked: 1,
      headSeq: 1,
      firstBad: { seq: 2, reason: 'edited', message },
    });
  });

  test('--db overrides QUELL_HOME', async (t) => {
    const { run, home } = cli(t);
    const other = path.join(tempDir(t), 'ir-42.db');
    assert.equal((await run('--db', other, 'case', 'new', 'elsewhere')).code, 0);
    assert.equal(fs.existsSync(other), true);
    assert.deepEqual(fs.readdirSync(home), []);
    assert.equal(JSON.parse((await run('case', 'list', '--db', other, '--json')).stdout).length, 1);
    assert.equal(JSON.parse((await run('case', 'list', '--json')).stdout).length, 0);
  });
});

describe('quell: mistakes and failures', () => {
  test('usage mistakes exit 2 and point at the help', async (t) => {
    const { run, home } = cli(t);
    assert.deepEqual(await run('frobnicate'), {
      code: 2,
      stdout: '',
      stderr: 'quell: unknown command "frobnicate"\nRun "quell --help" for usage.\n',
    });
    assert.deepEqual(await run('help', 'frobnicate'), {
      code: 2,
      stdout: '',
      stderr: 'quell: no command "frobnicate" to show help for\nRun "quell --help" for usage.\n',
    });
    assert.deepEqual(await run('case', 'list', '--bogus'), {
      code: 2,
      stdout: '',
      stderr: 'quell: unknown option --bogus\nRun "quell case list --help" for usage.\n',
    });
    assert.deepEqual(await run('case', 'new'), {
      code: 2,
      stdout: '',
      stderr: 'quell: missing NAME\nRun "quell case new --help" for usage.\n',
    });
    assert.deepEqual(await run('case', 'new', 'a', 'b'), {
      code: 2,
      stdout: '',
      stderr: 'quell: unexpected argument "b"\nRun "quell case new --help" for usage.\n',
    });
    assert.deepEqual(await run('case', 'list', '-v'), {
      code: 2,
      stdout: '',
      stderr: 'quell: unknown option -v (options are spelled --name)\nRun "quell case list --help" for usage.\n',
    });
    assert.deepEqual(await run('serve', '--port', 'http'), {
      code: 2,
      stdout: '',
      stderr: 'quell: --port must be a whole number from 0 to 65535, not "http"\nRun "quell serve --help" for usage.\n',
    });
    const bare = await run();
    assert.equal(bare.code, 2);
    assert.match(bare.stdout, /^Quell: an offline-first workbench/);
    assert.deepEqual(fs.readdirSync(home), [], 'usage mistakes never open the database');
  });

  test('an empty name exits 1 with the issue; --json also prints the error as JSON', async (t) => {
    const { run } = cli(t);
    assert.deepEqual(await run('case', 'new', ''), {
      code: 1,
      stdout: '',
      stderr: 'quell: Invalid input for case.create.\n  input.name: a case needs a name\n',
    });
    const json = await run('--json', 'case', 'new', ' ');
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      error: { code: 'invalid_input', message: 'Invalid input for case.create.', issues: [{ path: 'input.name', message: 'a case needs a name' }] },
    });
  });

  test('a note for a case that does not exist exits 1', async (t) => {
    const { run } = cli(t);
    assert.deepEqual(await run('note', 'add', 'case_nope', 'text'), { code: 1, stdout: '', stderr: 'quell: No case with id case_nope.\n' });
  });

  test('--db in a folder that does not exist exits 1 naming the folder, and creates nothing', async (t) => {
    const { run } = cli(t);
    const missing = path.join(tempDir(t), 'typo');
    const dbPath = path.join(missing, 'quell.db');
    assert.deepEqual(await run('--db', dbPath, 'case', 'list'), {
      code: 1,
      stdout: '',
      stderr: `quell: Cannot open case database ${dbPath}: folder ${missing} does not exist.\n`,
    });
    assert.equal(fs.existsSync(missing), false);
  });

  // Regression: the case was committed, then reported as "nothing was changed", and audit log broke for good.
  test('an over-long QUELL_ANALYST is refused before anything is written', async (t) => {
    const good = cli(t);
    const bad = cli(t, { QUELL_HOME: good.home, QUELL_ANALYST: 'a'.repeat(201) });
    assert.deepEqual(await bad.run('case', 'new', 'x'), {
      code: 1,
      stdout: '',
      stderr: 'quell: Invalid actor for case.create.\n  actor.id: Too big: expected string to have <=200 characters\n',
    });
    assert.deepEqual(await good.run('case', 'list', '--json'), { code: 0, stdout: '[]\n', stderr: '' });
    assert.deepEqual(await good.run('audit', 'log'), { code: 0, stdout: 'No journal entries.\n', stderr: '' });
  });
});

describe('quell: help and version', () => {
  test('--help lists every command with its usage and summary', async (t) => {
    const { run } = cli(t);
    const help = await run('--help');
    assert.deepEqual([help.code, help.stderr], [0, '']);
    for (const [usage, summary] of [
      ['case new NAME [--description TEXT]', 'Open a new case and print its id'],
      ['case list', 'List cases, newest first'],
      ['note add CASE_ID TEXT', 'Add a note to a case'],
      ['audit log [--case ID] [--after SEQ] [--limit N]', 'Print journal entries, oldest first'],
      ['audit verify [--case ID]', 'Check the journal hash chain; exit 1 naming the first bad entry'],
      ['serve [--port N] [--open] [--seed-demo]', 'Serve the Quell UI and API on 127.0.0.1 with a per-launch token (browser mode)'],
      ['help [COMMAND]', 'Show help for a command'],
    ]) {
      const line = help.stdout.split('\n').find((l) => l.startsWith(`  ${usage} `));
      assert.ok(line, `help lists ${usage}`);
      assert.equal(line.trim().replace(/ {2,}/, '|'), `${usage}|${summary}`);
    }
    assert.equal((await run('help')).stdout, help.stdout);
  });

  test('help for one command, by "help COMMAND" and by "COMMAND --help"', async (t) => {
    const { run } = cli(t);
    const expected =
      'Open a new case and print its id.\n\nUsage: quell case new NAME [--description TEXT]\n\nOptions:\n' +
      '  --description TEXT what the case is about\n\nGlobal options:\n';
    const viaHelp = await run('help', 'case', 'new');
    assert.equal(viaHelp.code, 0);
    assert.ok(viaHelp.stdout.startsWith(expected), viaHelp.stdout);
    assert.deepEqual(await run('case', 'new', '--help'), viaHelp);
    assert.deepEqual(await run('case', 'new', '-h'), viaHelp);
  });

  test('version matches package.json', async (t) => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
    const { run } = cli(t);
    assert.deepEqual(await run('--version'), { code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});
