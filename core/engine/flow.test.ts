import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEngineCore, trail } from './engine.test-helpers.js';

test('control flow: set, if/else, switch, for-each, while and end, each step recorded with the variables after it', async (t) => {
  const core = await openEngineCore(t);
  const run = await core.run({
    id: 'flow',
    name: 'Flow',
    inputs: { hosts: { type: 'array', required: true } },
    variables: { seen: 0, level: 'low' },
    outputs: { seen: '{{ vars.seen }}', last: '{{ vars.last }}' },
    steps: [
      { id: 'init', type: 'set', vars: { n: 0 } },
      { id: 'each-host', type: 'for-each', items: 'inputs.hosts', as: 'host', do: [{ id: 'count', type: 'set', vars: { seen: '{{ vars.seen + 1 }}', last: '{{ host }}' } }] },
      { id: 'loop', type: 'while', condition: 'vars.n < 3', max: 10, do: [{ id: 'inc', type: 'set', vars: { n: '{{ vars.n + 1 }}' } }] },
      { id: 'many', type: 'if', condition: 'vars.seen >= 2', then: [{ id: 'raise', type: 'set', vars: { level: 'high' } }], else: [{ id: 'lower', type: 'set', vars: { level: 'low' } }] },
      { id: 'route', type: 'switch', value: 'vars.level', cases: { high: [{ id: 'done-high', type: 'end', outcome: 'escalated', reason: '{{ vars.seen }} hosts' }] }, default: [{ id: 'done-low', type: 'end', outcome: 'closed' }] },
    ],
  }, { inputs: { hosts: ['WS1', 'WS2', 'WS3'] } });
  assert.equal(run.status, 'completed');
  assert.equal(run.outcome, 'escalated');
  assert.deepEqual(run.outputs, { seen: 3, last: 'WS3' });
  assert.deepEqual(trail(run), [
    'init:done',
    'count#0:done',
    'count#1:done',
    'count#2:done',
    'each-host:done',
    'inc#0:done',
    'inc#1:done',
    'inc#2:done',
    'loop:done',
    'raise:done',
    'many:done',
    'done-high:done',
  ]);
  assert.deepEqual(run.steps.find((s) => s.key === 'done-high')?.output, { outcome: 'escalated', reason: '3 hosts' });
  assert.deepEqual(run.steps.find((s) => s.key === 'count#1')?.vars, { seen: 2, level: 'low', n: 0, last: 'WS2' });
  assert.deepEqual(run.vars, { seen: 3, level: 'high', n: 3, last: 'WS3' });
});
