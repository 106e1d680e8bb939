import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Playbook } from '../../model/playbook.js';

// Steps are read loosely here: each assertion names the fields of the step type it expects.
type Step = Record<string, any>;
import { fromCacao } from './import.js';
import { VALID, quellError, readFixture } from './cacao.test-helpers.js';

/** `type:id` of every step, nested blocks in brackets. */
function shape(steps: Step[]): string[] {
  return steps.map((s: Step) => {
    const blocks: string[] = [];
    for (const k of ['then', 'else', 'do', 'default', 'onFailure']) if (Array.isArray(s[k])) blocks.push(`${k}[${shape(s[k]).join(' ')}]`);
    if (s.cases) for (const [c, b] of Object.entries(s.cases as Record<string, Step[]>)) blocks.push(`${c}[${shape(b).join(' ')}]`);
    if (s.branches) (s.branches as Step[][]).forEach((b, i) => blocks.push(`${i}[${shape(b).join(' ')}]`));
    return `${s.type}:${s.id}${blocks.length ? ` ${blocks.join(' ')}` : ''}`;
  });
}

describe('fromCacao', () => {
  for (const file of VALID) {
    test(`${file} imports into a valid Quell playbook`, () => {
      assert.equal(Playbook.safeParse(fromCacao(readFixture(file)).playbook).success, true);
    });
  }

  test('caldera flow-control: action, then an if with both branches; the shared end and the unreachable end are reported', () => {
    const { playbook, report } = fromCacao(readFixture('soarca/examples/caldera/flow-control.json'));
    assert.deepEqual(shape(Playbook.parse(playbook).steps), [
      'action:get-some-information-using-a-caldera-ability-will-always',
      'if:if-condition then[action:run-some-caldera-command-if-true-sleep] else[action:run-some-caldera-command-if-false-enumerate-python]',
    ]);
    const ifStep = Playbook.parse(playbook).steps[1] as Step;
    assert.equal(ifStep.condition, "vars.should_execute_true == 'yes'");
    assert.deepEqual(playbook.variables, { should_execute_true: 'no' });
    assert.deepEqual(
      report.filter((n) => n.kind === 'approximated' || n.kind === 'dropped').map((n) => n.message),
      [
        'variable __should.execute.true__ is vars.should_execute_true in Quell (its name is not an identifier)',
        'step "end--080de9ac-65c7-49f0-acd2-b21e92e34036" closes more than one branch: an export gives the branch if-condition/else its own end',
        'step "end--48d7d487-3c8a-4651-bbc2-40c519e2b9f7" is not reachable from workflow_start: not imported',
      ],
    );
    assert.equal(report.filter((n) => n.kind === 'dry-run-only').length, 3);
    assert.equal(
      report.find((n) => n.kind === 'dry-run-only')?.message,
      'step "action--a7bfa1f8-bbcf-4cf6-b5df-605c8b27a479" (name "Get some information using a caldera ability (will always set __should.execute.true__ to yes)"): a caldera-cmd command is the action "cacao.caldera-cmd", which Quell cannot execute for real: it can only be dry-run',
    );
  });

  test('spec 3.1 example: a manual command becomes a manual step; variables stay strings; everything unused is kept', () => {
    const { playbook, report } = fromCacao(readFixture('oasis-tcs-cacao/spec-3.1-example.json'));
    assert.deepEqual(playbook.variables, { data_exfil_site: '1.2.3.4' });
    assert.deepEqual(playbook.steps, [
      {
        id: 'ip-lookup',
        type: 'manual',
        name: 'IP Lookup',
        description: 'Lookup the IP address in the SIEM',
        title: 'Look up IP {{ vars.data_exfil_site }} in SIEM',
        form: { done: { type: 'boolean', label: 'Done' }, notes: { type: 'text', label: 'Notes' } },
      },
    ]);
    const cacao = playbook.cacao as Record<string, Record<string, unknown>>;
    assert.deepEqual(cacao.variables, { data_exfil_site: { type: 'ipv4-addr', description: 'The IP address for the data exfiltration site' } });
    assert.deepEqual(cacao.steps, {
      'ip-lookup': { id: 'action--7f40f9d7-de39-4027-ab97-15035beff2ff', agent: 'group--18d3a2e0-f534-4374-a117-abdddd3e809b', manual_command: { playbook_activity: 'identify-indicators' } },
    });
    assert.deepEqual(
      report.filter((n) => n.kind === 'kept').map((n) => n.message),
      [
        'step "action--7f40f9d7-de39-4027-ab97-15035beff2ff" (name "IP Lookup"): agent kept for export, not used',
        'step "action--7f40f9d7-de39-4027-ab97-15035beff2ff" (name "IP Lookup"): playbook_activity of the manual command kept, not used',
        ...['playbook_types', 'playbook_activities', 'playbook_processing_summary', 'created_by', 'created', 'modified', 'valid_from', 'valid_until', 'derived_from', 'priority', 'severity', 'impact', 'industry_sectors', 'external_references', 'markings', 'agent_definitions', 'data_marking_definitions'].map((k) => `${k}: kept, not used`),
        'id "playbook--61a6c41e-6efc-4516-a242-dfbc5c89d562": kept for export',
      ],
    );
  });

  test('every CACAO step type: parallel, while, switch with default, playbook-action, on_success/on_failure, delay, timeout, workflow_exception', () => {
    const { playbook, report } = fromCacao(readFixture('synthetic/every-step-type.json'), { playbookIds: { 'playbook--000001f4-0000-4000-8000-0000000001f4': 'contain' } });
    const pb = Playbook.parse(playbook);
    // workflow_exception is the onFailure of every step without on_failure: here only the top-level view.
    assert.deepEqual(
      pb.steps.map((s: Step) => [s.type, s.id, Array.isArray(s.onFailure) ? s.onFailure.map((f: Step) => f.id).join(',') : s.onFailure]),
      [
        ['parallel', 'gather-evidence', 'notify-failure'],
        ['while', 'until-clean', 'notify-failure-4'],
        ['switch', 'by-severity', 'notify-failure-6'],
        ['playbook', 'contain-host', 'notify-failure-9'],
        ['wait', 'block-ip-delay', 'notify-failure-10'],
        ['action', 'block-ip', 'ask-admin-to-block'],
      ],
    );
    const [par, wh, sw, sub, wait, block] = pb.steps as Step[] as [Step, Step, Step, Step, Step, Step];
    assert.deepEqual(par.branches.map((b: Step[]) => b.map((s) => `${s.action}`)), [['cacao.bash'], ['cacao.ssh']]);
    assert.equal(wh.condition, "vars.infected == 'true'");
    assert.equal(wh.max, 1000);
    assert.deepEqual(wh.do.map((s: Step) => [s.id, s.save]), [['rescan-host', { infected: '{{ output.infected }}' }]]);
    assert.equal(sw.value, 'vars.severity');
    assert.deepEqual(Object.keys(sw.cases), ['high']);
    assert.deepEqual(sw.cases.high.map((s: Step) => [s.action, s.with]), [['cacao.http-api', { command: 'POST /page HTTP/1.1', headers: { 'Content-Type': ['application/json'] }, content: '{"team":"ir"}' }]]);
    assert.deepEqual(sw.default.map((s: Step) => [s.type, s.title]), [['manual', 'Open a ticket for the host']]);
    assert.deepEqual([sub.playbook, sub.with, sub.save], ['contain', { host: '{{ vars.host }}' }, { contained: '{{ output.contained }}' }]);
    assert.deepEqual([wait.duration, block.timeout, block.action, block.with], [5000, 60000, 'cacao.openc2-http', { command: 'POST /openc2 HTTP/1.1', content_b64: 'eyJhY3Rpb24iOiJkZW55In0=' }]);
    assert.deepEqual(pb.inputs, { host: { type: 'string', required: false, description: 'The host to contain' } });
    assert.deepEqual(pb.variables, { infected: 'true', severity: 'high', contained: 'false' });
    assert.deepEqual(
      report.filter((n) => n.kind === 'approximated').map((n) => n.message),
      [
        'external variable __host__ is the input "host"',
        'step "while-condition--00000005-0000-4000-8000-000000000005" (name "Until clean"): CACAO sets no bound on a while loop; Quell requires one: max 1000',
        'step "action--0000000b-0000-4000-8000-00000000000b" (name "Block IP"): delay 5000 ms is the wait step "block-ip-delay" before it',
        'workflow_exception step "action--0000000d-0000-4000-8000-00000000000d" (name "Notify failure") is the onFailure block of the 11 steps without on_failure',
      ],
    );
    assert.deepEqual(
      report.filter((n) => n.kind === 'dry-run-only').map((n) => n.quellStep),
      ['collect-logs', 'snapshot-disk', 'rescan-host', 'block-ip'],
    );
  });

  test('a while body that leads back to its while step is the Quell loop body', () => {
    const doc = structuredClone(readFixture('synthetic/every-step-type.json')) as { workflow: Record<string, Record<string, unknown>> };
    doc.workflow['action--00000006-0000-4000-8000-000000000006']!.on_completion = 'while-condition--00000005-0000-4000-8000-000000000005';
    const { playbook, report } = fromCacao(doc);
    assert.deepEqual(shape([Playbook.parse(playbook).steps[1]!])[0]!.startsWith('while:until-clean do[action:rescan-host onFailure['), true);
    assert.ok(report.some((n) => n.message === 'the branch until-clean/do leads back to step "while-condition--00000005-0000-4000-8000-000000000005" (name "Until clean"): the Quell while repeats its body instead'));
  });

  test('a step reached from two paths is duplicated with a suffixed id and a note', () => {
    const doc = structuredClone(readFixture('soarca/examples/caldera/flow-control.json')) as { workflow: Record<string, Record<string, unknown>> };
    const shared = 'action--623a0a80-a4ac-4989-b1da-5e3660b2e4f1';
    doc.workflow['if-condition--f00f0acb-a2ad-4832-b7c2-27d12506c6d7']!.on_false = shared;
    const { playbook, report } = fromCacao(doc);
    const ifStep = Playbook.parse(playbook).steps[1] as Step;
    assert.deepEqual([ifStep.then[0].id, ifStep.else[0].id], ['run-some-caldera-command-if-true-sleep', 'run-some-caldera-command-if-true-sleep-2']);
    assert.ok(report.some((n) => n.message === `step "${shared}" (name "Run some Caldera command if true (sleep)") is reached from more than one path: duplicated as "run-some-caldera-command-if-true-sleep-2"`));
  });

  test('a condition outside the supported subset is an error naming the step', () => {
    const doc = structuredClone(readFixture('soarca/examples/caldera/flow-control.json')) as { workflow: Record<string, Record<string, unknown>> };
    const id = 'if-condition--f00f0acb-a2ad-4832-b7c2-27d12506c6d7';
    doc.workflow[id]!.condition = "[file:name MATCHES '^x']";
    const err = quellError(() => fromCacao(doc));
    assert.equal(err.code, 'invalid_input');
    assert.deepEqual(err.issues, [
      { path: `workflow/${id}/condition`, message: `step "${id}": condition "[file:name MATCHES '^x']" cannot be translated: unexpected ":" at character 6`, step: id },
    ]);
  });
});
