import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import type { PlaybookSource, RunView } from '../model/index.js';
import { steppingClock } from '../runtime.js';
import { openEngineCore, trail } from './engine.test-helpers.js';

const notes: PlaybookSource = {
  id: 'notes',
  name: 'Notes',
  variables: { who: 'nobody' },
  steps: [
    { id: 'a', type: 'set', vars: { who: 'alice' } },
    { id: 'b', type: 'set', vars: { count: 1 }, save: { seen: '{{ output.count }}' } },
    { id: 'note', type: 'action', action: 'case.note', with: { text: 'checked by {{ vars.who }}' } },
    { id: 'done', type: 'end', outcome: '{{ vars.who }}' },
  ],
};

test('step-through: pause before every step; step, override, skip; edited variables apply to the paused step', async (t) => {
  const core = await openEngineCore(t);
  const started = await core.call<RunView>('run.start', { caseId: core.caseId, playbook: notes, mode: 'step' });
  let run = await core.settle(started.id);
  assert.equal(run.status, 'paused');
  assert.deepEqual([run.wait?.kind, run.wait?.key], ['step', 'a']);
  await core.call('run.control', { runId: run.id, command: 'step' });
  run = await core.settle(run.id);
  assert.deepEqual([run.wait?.key, trail(run)], ['b', ['a:done']]);
  await core.call('run.control', { runId: run.id, command: 'override', output: { count: 7 } });
  run = await core.settle(run.id);
  assert.deepEqual(trail(run), ['a:done', 'b:overridden']);
  assert.equal(run.vars.seen, 7, 'an overridden output is saved like a real one');
  assert.deepEqual(run.wait?.input, { text: 'checked by alice' }, 'the paused view shows what the step would send');
  await core.call('run.setVars', { runId: run.id, vars: { who: 'bob' } });
  await core.call('run.control', { runId: run.id, command: 'step' });
  run = await core.settle(run.id);
  assert.equal(run.wait?.key, 'done');
  const { notes: written } = await core.call<{ notes: { body: string; author: string }[] }>('note.list', { caseId: core.caseId });
  assert.deepEqual(written.map((n) => [n.body, n.author]), [['checked by bob', 'notes']]);
  await core.call('run.control', { runId: run.id, command: 'skip' });
  run = await core.settle(run.id);
  assert.equal(run.status, 'completed');
  assert.equal(run.outcome, null, 'the end step was skipped, so the run finished without an outcome');
  assert.deepEqual(trail(run), ['a:done', 'b:overridden', 'note:done', 'done:skipped']);
  const refused = await core.fail('run.control', { runId: run.id, command: 'step' });
  assert.deepEqual([refused.code, refused.message], ['conflict', `Run ${run.id} has completed.`]);
});

test('breakpoints and continue; pause and resume; cancel while waiting', async (t) => {
  const core = await openEngineCore(t);
  let run = await core.call<RunView>('run.start', { caseId: core.caseId, playbook: notes, breakpoints: ['note'], wait: true });
  assert.deepEqual([run.status, run.wait?.kind, run.wait?.key, trail(run)], ['paused', 'breakpoint', 'note', ['a:done', 'b:done']]);
  const wrong = await core.fail('run.approve', { runId: run.id, key: 'note', decision: 'approve' });
  assert.equal(wrong.message, 'The run waits for the next command at the breakpoint on "note"; "approve" does not apply.');
  await core.call('run.control', { runId: run.id, command: 'cancel' });
  run = await core.settle(run.id);
  assert.deepEqual([run.status, trail(run)], ['cancelled', ['a:done', 'b:done']]);
  const badBreakpoint = await core.fail('run.start', { caseId: core.caseId, playbook: notes, breakpoints: ['nope'] });
  assert.equal(badBreakpoint.message, 'Breakpoints name steps that are not in playbook "notes": nope.');
});

test('risk gate: a high-impact action waits for approval with its risk; refused → fallback skip; timeout → escalation task', async (t) => {
  const core = await openEngineCore(t);
  const gated: PlaybookSource = {
    id: 'gated',
    name: 'Gated',
    riskThreshold: 30,
    steps: [
      { id: 'low', type: 'action', action: 'case.status', with: { status: 'open', reason: 'triage' } },
      { id: 'close', type: 'action', action: 'case.status', impact: 'high', target: 'web-01', with: { status: 'closed', reason: 'contained' }, gate: { fallback: 'skip' } },
      { id: 'late', type: 'action', action: 'case.tag', impact: 'medium', with: { tags: ['x'], eventId: 'evt_none' }, gate: { timeout: '30ms', fallback: 'escalate' } },
    ],
  };
  let run = await core.run(gated);
  assert.deepEqual([run.status, run.wait?.kind, run.wait?.key], ['waiting', 'approval', 'close']);
  assert.deepEqual(run.steps[0]?.risk?.parts, { impact: 20, blastRadius: 0, uncertainty: 10 });
  assert.equal(run.steps[0]?.risk?.gated, false, 'risk 30 is not above the threshold 30');
  const risk = run.wait!.risk!;
  assert.deepEqual([risk.risk, risk.gated, risk.parts], [80, true, { impact: 70, blastRadius: 0, uncertainty: 10 }]);
  assert.equal(risk.explanation, 'risk 80 = impact high (70) + web-01 is not in the dependency map (0) + confidence unknown (10); above the threshold 30: waits for approval');
  await core.call('run.approve', { runId: run.id, key: 'close', decision: 'reject', comment: 'not yet' });
  run = await core.settle(run.id);
  assert.deepEqual(run.steps[1]?.output, { gate: 'refused by alice (not yet)', fallback: 'skip' });
  run = await core.settle(run.id);
  assert.deepEqual([run.wait?.key, run.wait?.risk?.risk], ['late', 55], 'the medium action (45 + 10) waits too');
  await core.engine.drivers.get(run.id)?.finished; // and its 30 ms pass
  run = await core.call<RunView>('run.get', { runId: run.id });
  assert.equal(run.status, 'completed');
  assert.deepEqual(trail(run), ['low:done', 'close:skipped', 'late:escalated']);
  const { tasks } = await core.call<{ tasks: { title: string }[] }>('task.list', { caseId: core.caseId });
  assert.deepEqual(tasks.map((x) => x.title), ['Decide: case.tag (no approval within 30ms)']);
  const c = await core.call<{ status: string }>('case.get', { caseId: core.caseId });
  assert.equal(c.status, 'open', 'the refused close never ran');
});

test('manual step: the form is checked (required, types, choices, unknown fields) and its values become the output', async (t) => {
  const core = await openEngineCore(t);
  const pb: PlaybookSource = {
    id: 'form',
    name: 'Form',
    steps: [
      {
        id: 'ask',
        type: 'manual',
        title: 'Classify',
        assignee: 'tier2',
        form: { verdict: { type: 'choice', required: true, choices: ['benign', 'malicious'] }, hosts: { type: 'number' } },
        save: { verdict: '{{ output.verdict }}' },
      },
      { id: 'end', type: 'end', outcome: '{{ vars.verdict }}' },
    ],
  };
  let run = await core.run(pb);
  assert.deepEqual([run.wait?.kind, run.wait?.assignee, Object.keys(run.wait?.form ?? {})], ['manual', 'tier2', ['verdict', 'hosts']]);
  const bad = await core.fail('run.submit', { runId: run.id, key: 'ask', values: { verdict: 'maybe', hosts: 'two', extra: 1 } });
  assert.equal(bad.message, 'The form was not accepted: verdict must be one of benign, malicious; hosts must be a number; the form has no field "extra".');
  const missing = await core.fail('run.submit', { runId: run.id, key: 'ask', values: {} });
  assert.equal(missing.message, 'The form was not accepted: verdict is required.');
  await core.call('run.submit', { runId: run.id, key: 'ask', values: { verdict: 'malicious', hosts: 2 } });
  run = await core.settle(run.id);
  assert.deepEqual([run.status, run.outcome, run.steps[0]?.output], ['completed', 'malicious', { verdict: 'malicious', hosts: 2, submittedBy: 'alice' }]);
});

test('durable: a run waiting for approval survives the host closing; the next start resumes it with the same deadline', async (t) => {
  const first = await openEngineCore(t);
  const pb: PlaybookSource = {
    id: 'durable',
    name: 'Durable',
    steps: [
      { id: 'count', type: 'for-each', items: '[1, 2, 3]', do: [{ id: 'add', type: 'action', action: 'case.note', with: { text: 'item {{ item }}' } }] },
      { id: 'ok', type: 'approval', prompt: 'Go on?', timeout: '2h' },
      { id: 'after', type: 'action', action: 'case.note', with: { text: 'after approval' } },
    ],
  };
  const run = await first.run(pb);
  assert.deepEqual([run.status, run.wait?.key], ['waiting', 'ok']);
  const deadline = run.wait!.deadline;
  first.close();

  const second = await openEngineCore(t, { dir: first.dir, clock: steppingClock('2026-01-02T00:00:00.000Z', 10) });
  const before = await second.call<RunView>('run.get', { runId: run.id });
  assert.equal(before.status, 'interrupted');
  assert.deepEqual(second.engine.resumeAll({ kind: 'system', id: 'test' }), [run.id]);
  let resumed = await second.settle(run.id);
  assert.deepEqual([resumed.status, resumed.wait?.key, resumed.wait?.deadline], ['waiting', 'ok', deadline]);
  await second.call('run.approve', { runId: run.id, key: 'ok', decision: 'approve' });
  resumed = await second.settle(run.id);
  assert.deepEqual(trail(resumed), ['add#0:done', 'add#1:done', 'add#2:done', 'count:done', 'ok:done', 'after:done']);
  const { notes: written } = await second.call<{ notes: { body: string }[] }>('note.list', { caseId: second.caseId });
  assert.deepEqual(written.map((n) => n.body), ['item 1', 'item 2', 'item 3', 'after approval'], 'nothing ran twice');
  const verify = await second.call<{ ok: boolean }>('audit.verify', {});
  assert.equal(verify.ok, true);
});

test('replay from a step reuses what came before it and runs the rest again', async (t) => {
  const core = await openEngineCore(t);
  const done = await core.run(notes);
  assert.equal(done.status, 'completed');
  const replay = await core.call<RunView>('run.replay', { runId: done.id, fromStep: 'note', dryRun: true, wait: true });
  assert.deepEqual(replay.replayOf, { runId: done.id, fromStep: 'note' });
  assert.deepEqual(trail(replay), ['a:done', 'b:done', 'note:simulated', 'done:done']);
  assert.deepEqual(replay.steps.map((s) => s.vars.who), ['alice', 'alice', 'alice', 'alice']);
  assert.equal(replay.outcome, 'alice');
  const missing = await core.fail('run.replay', { runId: done.id, fromStep: 'zzz' });
  assert.equal(missing.message, `Run ${done.id} never reached step "zzz" (its steps: a, b, note, done).`);
});

test('retries with backoff, then the on-failure steps; parallel any/all; a sub-playbook with inputs and outputs', async (t) => {
  const child: PlaybookSource = {
    id: 'child',
    name: 'Child',
    inputs: { host: { type: 'string', required: true } },
    outputs: { label: '{{ inputs.host }}-checked' },
    steps: [{ id: 'child-set', type: 'set', vars: { x: 1 } }],
  };
  const core = await openEngineCore(t, { library: [child] });
  const run = await core.run({
    id: 'failing',
    name: 'Failing',
    steps: [
      {
        id: 'shout',
        type: 'action',
        action: 'notify',
        with: { to: 'nowhere', message: 'hi' },
        retry: { max: 2, backoff: '100ms', factor: 3 },
        onFailure: [{ id: 'recover', type: 'set', vars: { recovered: '{{ error.step }}' } }],
      },
      {
        id: 'fan',
        type: 'parallel',
        join: 'any',
        branches: [[{ id: 'bad-branch', type: 'action', action: 'case.tag', with: { tags: ['t'] } }], [{ id: 'good-branch', type: 'set', vars: { branch: 2 } }], [{ id: 'never', type: 'set', vars: { branch: 3 } }]],
      },
      { id: 'call', type: 'playbook', playbook: 'child', with: { host: 'WS1' }, save: { label: '{{ output.outputs.label }}' } },
    ],
  });
  assert.equal(run.status, 'completed', run.error ?? '');
  assert.deepEqual(trail(run), ['shout:failed', 'shout:failed', 'shout:failed', 'recover:done', 'bad-branch:failed', 'good-branch:done', 'fan:done', 'call/child-set:done', 'call:done']);
  assert.deepEqual(core.sleeps, [100, 300]);
  assert.equal(run.steps[0]?.error, 'no notification target "nowhere" (configured: none)');
  assert.deepEqual(run.vars, { recovered: 'shout', branch: 2, label: 'WS1-checked' });
  assert.deepEqual(run.steps.find((s) => s.key === 'fan')?.output, {
    join: 'any',
    branches: [
      { branch: 1, status: 'failed', error: 'step "bad-branch" failed: case.tag needs an eventId: this run has no triggering alert' },
      { branch: 2, status: 'done' },
      { branch: 3, status: 'not started' },
    ],
  });
});

test('a failing step fails the run with the step named; a bad playbook is refused with every problem and its line', async (t) => {
  const core = await openEngineCore(t);
  const failed = await core.run({ id: 'loop', name: 'Loop', variables: { n: 0 }, steps: [{ id: 'spin', type: 'while', condition: 'true', max: 3, do: [{ id: 'tick', type: 'set', vars: { n: '{{ vars.n + 1 }}' } }] }] });
  assert.deepEqual([failed.status, failed.error], ['failed', 'step "spin" failed: "spin" reached its bound of 3 iterations']);
  const text = [
    'id: broken',
    'name: Broken',
    'steps:',
    '  - id: one',
    '    type: set',
    '    vars: { a: "{{ vars.x + }}" }',
    '  - id: one',
    '    type: action',
    '    action: case.nope',
    '  - id: fin',
    '    type: end',
    '    outcome: done',
    '  - id: after',
    '    type: set',
    '    vars: {}',
  ].join('\n');
  const result = await core.call<{ ok: boolean; issues: { path: string; message: string }[] }>('playbook.validate', { text, file: 'broken.yaml' });
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.issues.map((i) => `${i.path}: ${i.message}`),
    [
      'steps[0].vars.a: line 6: unexpected end of expression at column 13 in "{{ vars.x + }}"',
      'steps[1].id: line 7: step id "one" is used twice (first at steps[0]); ids must be unique',
      'steps[1].action: line 9: step "one": unknown action "case.nope" (a built-in such as case.note, or connector:<name>.<action>)',
      'steps[3]: line 13: step "after" can never run: it follows the end step "fin" in the same block',
    ],
  );
});

test('autonomy: suggest waits before every action that changes something; full auto never waits on risk', async (t) => {
  const core = await openEngineCore(t);
  const steps: PlaybookSource['steps'] = [
    { id: 'look', type: 'action', action: 'enrich.asset', with: { query: '10.0.0.1' } },
    { id: 'tell', type: 'action', action: 'case.note', with: { text: 'low impact' } },
    { id: 'shut', type: 'action', action: 'case.status', impact: 'high', with: { status: 'closed', reason: 'done' } },
  ];
  let suggest = await core.run({ id: 'suggest', name: 'Suggest', autonomy: 'suggest', steps });
  assert.deepEqual([suggest.wait?.key, trail(suggest)], ['tell', ['look:done']], 'a lookup runs; the note waits though its risk is 10');
  assert.equal(suggest.wait?.risk?.explanation, 'risk 10 = impact none (0) + no target named (0) + confidence unknown (10); waits for approval: this playbook only suggests');
  await core.call('run.approve', { runId: suggest.id, key: 'tell', decision: 'approve' });
  suggest = await core.settle(suggest.id);
  assert.equal(suggest.wait?.key, 'shut');
  const full = await core.run({ id: 'full', name: 'Full', autonomy: 'full-auto', steps });
  assert.deepEqual([full.status, trail(full)], ['completed', ['look:done', 'tell:done', 'shut:done']]);
  assert.equal(full.steps[2]?.risk?.explanation, 'risk 80 = impact high (70) + no target named (0) + confidence unknown (10); runs without approval (full auto)');
});

test('pause during a timer: the run stops before the next step and resume goes on; a hanging action times out', async (t) => {
  const server = http.createServer(() => undefined); // never answers
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const core = await openEngineCore(t);
  await core.call('notify.target.set', { name: 'hang', url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook` });
  const started = await core.call<RunView>('run.start', {
    caseId: core.caseId,
    playbook: {
      id: 'timers',
      name: 'Timers',
      steps: [
        { id: 'nap', type: 'wait', duration: '300ms' },
        { id: 'after', type: 'set', vars: { woke: true } },
        { id: 'call', type: 'action', action: 'notify', with: { to: 'hang', message: 'hello' }, timeout: '100ms', onFailure: 'continue' },
      ],
    },
  });
  for (let i = 0; i < 100 && core.engine.drivers.get(started.id)?.waiter.wait?.kind !== 'timer'; i++) await new Promise((r) => setTimeout(r, 10));
  await core.call('run.control', { runId: started.id, command: 'pause' });
  let run = await core.settle(started.id);
  assert.deepEqual([run.status, run.wait?.kind, run.wait?.key, trail(run)], ['paused', 'pause', 'after', ['nap:done']]);
  await core.call('run.control', { runId: run.id, command: 'resume' });
  await core.engine.drivers.get(run.id)?.finished;
  run = await core.call<RunView>('run.get', { runId: run.id });
  assert.deepEqual([run.status, trail(run)], ['completed', ['nap:done', 'after:done', 'call:timed-out']]);
  assert.equal(run.steps[2]?.error, '"call" timed out after 100ms');
});

test('a connector action: simulated in a dry run even when the connector is not configured; a real run names what is missing', async (t) => {
  const core = await openEngineCore(t);
  const pb: PlaybookSource = { id: 'iso', name: 'Isolate', autonomy: 'full-auto', steps: [{ id: 'isolate', type: 'action', action: 'connector:edr.isolate', with: { host: 'PRD01' } }] };
  const dry = await core.run(pb, { dryRun: true });
  assert.deepEqual([dry.status, trail(dry)], ['completed', ['isolate:simulated']]);
  assert.deepEqual(dry.steps[0]?.output, {
    status: 'done',
    simulated: true,
    connector: 'edr',
    action: 'isolate',
    outcome: {},
    note: 'no connector named "edr" is configured (configured: none)',
  });
  assert.equal(dry.steps[0]?.risk?.impact, 'high');
  const real = await core.run(pb);
  assert.deepEqual([real.status, real.error], ['failed', 'step "isolate" failed: no connector named "edr" is configured (configured: none)']);
});
