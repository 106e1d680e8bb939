import type { TestContext } from 'node:test';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';

/** `quell …` in-process on its own data folder (QUELL_HOME), output captured; `.home` is that folder. */
export function cliRunner(t: TestContext) {
  const home = tempDir(t);
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env: { QUELL_HOME: home, QUELL_ANALYST: 'tester' },
      untilStopped: Promise.resolve(),
    });
    return { code, stdout, stderr };
  };
  return Object.assign(run, { home });
}
