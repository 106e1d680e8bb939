// `quell` across a real process boundary: bin/quell.mjs (the bundle in dist/ when built, else the sources through
// tsx) and cli/bin.ts from source, checking that exit codes 0, 1 and 2 reach the shell.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { tempDir } from '../core/store/journal.test-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function quellProcess(t: TestContext, entry: string[]) {
  const home = tempDir(t);
  return (...argv: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [...entry, ...argv], {
        cwd: root,
        env: { ...process.env, QUELL_HOME: home, QUELL_ANALYST: 'tester', NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 20_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
}

describe('quell as a process', () => {
  test('bin/quell.mjs exits 0 on success, 1 on a failed command, 2 on a usage mistake', async (t) => {
    const quell = quellProcess(t, ['bin/quell.mjs']);
    const created = await quell('case', 'new', 'Beaconing from PRD01');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^case_[0-9a-f]{32}\n$/);
    assert.deepEqual(await quell('audit', 'verify'), {
      code: 0,
      stdout: 'journal intact: 1 entry in 1 chain checked, head at entry 1\n',
      stderr: '',
    });
    assert.deepEqual(await quell('case', 'new', ''), {
      code: 1,
      stdout: '',
      stderr: 'quell: Invalid input for case.create.\n  input.name: a case needs a name\n',
    });
    assert.deepEqual(await quell('frobnicate'), {
      code: 2,
      stdout: '',
      stderr: 'quell: unknown command "frobnicate"\nRun "quell --help" for usage.\n',
    });
  });

  test('cli/bin.ts from source passes exit codes through as well', async (t) => {
    const quell = quellProcess(t, ['--import', 'tsx', 'cli/bin.ts']);
    const [ok, usage] = await Promise.all([quell('case', 'list'), quell('case', 'new')]);
    assert.deepEqual(ok, { code: 0, stdout: 'No cases yet. Create one with: quell case new NAME\n', stderr: '' });
    assert.deepEqual(usage, { code: 2, stdout: '', stderr: 'quell: missing NAME\nRun "quell case new --help" for usage.\n' });
  });
});
