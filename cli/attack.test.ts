import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { fixture } from '../core/ingest/import.test-helpers.js';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';

/** `quell ARGV` in this process against a fresh QUELL_HOME. */
function cli(t: TestContext) {
  const env = { QUELL_HOME: tempDir(t), QUELL_ANALYST: 'tester' };
  return async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, untilStopped: Promise.resolve() });
    return { code, stdout, stderr };
  };
}

describe('quell attack', () => {
  test('lookup of a revoked id shows the replacement and how it got there', async (t) => {
    const run = cli(t);
    assert.deepEqual(await run('attack', 'lookup', 't1086'), {
      code: 0,
      stderr: '',
      stdout:
        'T1059.001  Command and Scripting Interpreter: PowerShell\n' +
        '  revoked: T1086 → T1059.001 (ATT&CK 18.1 replaced T1086 with T1059.001)\n' +
        '  tactics: TA0002 Execution\n' +
        '  platforms: Windows\n' +
        '  https://attack.mitre.org/techniques/T1059/001\n',
    });
  });

  test('lookup of a tactic by id, shortname or display name prints the same tactic', async (t) => {
    const run = cli(t);
    const line = 'TA0006  credential-access  Credential Access  (tactic, column 8 of the matrix)\n  https://attack.mitre.org/tactics/TA0006\n';
    for (const q of ['TA0006', 'credential-access', 'Credential Access']) assert.deepEqual(await run('attack', 'lookup', q), { code: 0, stderr: '', stdout: line });
  });

  test('lookup by part of a name lists the techniques; --json gives the whole answer', async (t) => {
    const run = cli(t);
    assert.deepEqual(await run('attack', 'lookup', 'kerberoast'), {
      code: 0,
      stderr: '',
      stdout: '1 technique of ATT&CK 18.1 with "kerberoast" in the name:\n  T1558.003  Steal or Forge Kerberos Tickets: Kerberoasting  (credential-access)\n',
    });
    const json = await run('--json', 'attack', 'lookup', 'T1574.002');
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.stdout) as { matchedBy: string; techniques: { id: string; name: string; redirectedFrom: string[]; tactics: { shortname: string }[] }[] };
    assert.deepEqual(
      [parsed.matchedBy, parsed.techniques.map((x) => [x.id, x.name, x.redirectedFrom, x.tactics.map((y) => y.shortname)])],
      ['technique-id', [['T1574.001', 'DLL', ['T1574.002'], ['persistence', 'privilege-escalation', 'defense-evasion']]]],
    );
  });

  test('an unknown id exits 1 with the reason', async (t) => {
    const run = cli(t);
    assert.deepEqual(await run('attack', 'lookup', 'T9999'), { code: 1, stdout: '', stderr: 'quell: ATT&CK 18.1 has no technique T9999.\n' });
  });

  test('matrix prints the techniques of an imported Wazuh alert under their tactic', async (t) => {
    const run = cli(t);
    const caseId = (await run('case', 'new', 'Brute force')).stdout.trim();
    assert.equal((await run('import', '--case', caseId, fixture('wazuh/alerts-json-sample.ndjson'))).code, 0);
    assert.deepEqual(await run('attack', 'matrix', '--case', caseId), {
      code: 0,
      stderr: '',
      stdout: 'Credential Access (TA0006)\n  T1110           1  Brute Force\n1 alert carries ATT&CK techniques (ATT&CK 18.1).\n',
    });
    const empty = (await run('case', 'new', 'Nothing yet')).stdout.trim();
    assert.deepEqual(await run('attack', 'matrix', '--case', empty), { code: 0, stderr: '', stdout: 'No alert in this case carries an ATT&CK technique.\n' });
  });
});
