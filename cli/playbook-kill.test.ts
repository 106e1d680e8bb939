// A playbook run killed with SIGKILL mid-run resumes where it stopped: the steps it had committed are not run again,
// the wait it was in keeps its deadline, and the journal stays intact.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { openCore } from '../core/app.js';
import type { RunView } from '../core/model/index.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { defer, tempDir } from '../core/store/journal.test-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));

test('SIGKILL during a wait step; quell run resume finishes the run without repeating a step', async (t) => {
  const home = tempDir(t);
  const env = { ...process.env, QUELL_HOME: home, QUELL_ANALYST: 'tester' };
  const quell = (...argv: string[]) => spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', ...argv], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = (child: ReturnType<typeof quell>) =>
    new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve) => {
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
    });
  const caseId = (await output(quell('case', 'new', 'kill test'))).stdout.trim();
  const file = path.join(home, 'slow.yaml');
  fs.writeFileSync(
    file,
    [
      'id: slow',
      'name: Slow',
      'steps:',
      '  - { id: before, type: action, action: case.note, with: { text: before the wait } }',
      '  - { id: pause, type: wait, duration: 2s }',
      '  - { id: after, type: action, action: case.note, with: { text: after the wait } }',
      '  - { id: fin, type: end, outcome: finished }',
    ].join('\n'),
  );

  const running = quell('playbook', 'run', file, '--case', caseId);
  const exited = output(running);
  // Kill it once the run is in its wait step, as the database shows.
  const dbPath = path.join(home, 'quell.db');
  const peek = () => {
    const core = openCore({ dbPath, createDir: false, clock: systemClock, ids: sequentialIds(), appVersion: 'test' });
    try {
      return core.store.db.prepare("SELECT id, status, wait FROM runs WHERE playbook_id = 'slow'").get() as { id: string; status: string; wait: string | null } | undefined;
    } finally {
      core.close();
    }
  };
  let row = undefined as ReturnType<typeof peek>;
  for (let i = 0; i < 200 && row?.status !== 'waiting'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    if (fs.existsSync(dbPath)) row = peek();
  }
  assert.equal(row?.status, 'waiting', 'the run reached its wait step');
  running.kill('SIGKILL');
  assert.equal((await exited).signal, 'SIGKILL');
  const deadline = (JSON.parse(row!.wait!) as { deadline: string }).deadline;

  const resumed = await output(quell('run', 'resume', row!.id, '--json'));
  assert.equal(resumed.code, 0, resumed.stdout);
  const run = JSON.parse(resumed.stdout) as RunView;
  assert.deepEqual([run.status, run.outcome], ['completed', 'finished']);
  assert.deepEqual(run.steps.map((s) => `${s.key}:${s.status}`), ['before:done', 'pause:done', 'after:done', 'fin:done']);
  assert.equal(Date.now() >= Date.parse(deadline), true, 'the resumed wait kept its deadline');

  const core = openCore({ dbPath, createDir: false, clock: systemClock, ids: sequentialIds(), appVersion: 'test' });
  defer(t, () => core.close());
  const notes = await core.router.invoke('note.list', { caseId }, { kind: 'analyst', id: 'tester' });
  assert.ok(notes.ok);
  assert.deepEqual(notes.value.notes.map((n) => n.body), ['before the wait', 'after the wait'], 'no step ran twice');
  const verify = await core.router.invoke('audit.verify', {}, { kind: 'analyst', id: 'tester' });
  assert.ok(verify.ok && verify.value.ok);
  assert.equal(core.store.db.pragma('integrity_check', { simple: true }), 'ok');
});
