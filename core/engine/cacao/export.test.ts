import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Playbook, type PlaybookSource } from '../../model/playbook.js';
import { quellToStix, stixToQuell } from './condition.js';
import { toCacao } from './export.js';
import { fromCacao } from './import.js';
import { QUELL_IDENTITY } from './quell-extension.js';
import { VALID, readFixture, schemasDir } from './cacao.test-helpers.js';
import { validateCacao } from './validate.js';

const NOW = '2026-03-04T05:06:07.5Z';

/** A Quell playbook with every step type, nested three deep, with every onFailure form. */
const EVERY: PlaybookSource = {
  id: 'contain-phish',
  name: 'Contain a phishing host',
  description: 'Every Quell step type once.',
  labels: ['phishing'],
  autonomy: 'suggest',
  riskThreshold: 40,
  inputs: { host: { type: 'string', required: true, description: 'The host' }, count: { type: 'number', default: 3 } },
  variables: { verdict: 'unknown', attempts: 0, tags: ['a', 'b'] },
  outputs: { verdict: '{{ vars.verdict }}' },
  steps: [
    { id: 'enrich', type: 'action', action: 'enrich.asset', with: { host: '{{ inputs.host }}' }, retry: { max: 2 }, save: { owner: '{{ output.owner }}' }, onFailure: 'continue' },
    { id: 'mark', type: 'set', vars: { verdict: 'suspicious' } },
    {
      id: 'triage',
      type: 'if',
      name: 'Malicious?',
      condition: "vars.verdict == 'malicious' && (vars.score > 70 || vars.source != 'test')",
      then: [
        { id: 'ask', type: 'approval', prompt: 'Isolate {{ inputs.host }}?', approvers: 'ir-leads', onTimeout: 'escalate' },
        { id: 'isolate', type: 'action', action: 'connector:crowdstrike.isolateHost', with: { host: '{{ inputs.host }}' }, target: '{{ inputs.host }}', impact: 'high', timeout: '2m', onFailure: [{ id: 'tell-lead', type: 'manual', title: 'Isolate by hand', form: { done: { type: 'boolean' } }, due: '1h' }] },
      ],
      else: [{ id: 'close', type: 'end', outcome: 'benign', reason: 'not malicious' }],
    },
    {
      id: 'by-sev',
      type: 'switch',
      value: 'vars.severity',
      cases: { high: [{ id: 'page', type: 'action', action: 'notify', with: { to: 'oncall' } }], low: [{ id: 'note', type: 'action', action: 'case.note', with: { text: 'low' } }] },
      default: [{ id: 'pause', type: 'wait', duration: '30s' }],
    },
    { id: 'fan-out', type: 'parallel', join: 'any', branches: [[{ id: 'scan-a', type: 'action', action: 'edr.scan' }], [{ id: 'scan-b', type: 'action', action: 'edr.scan', when: 'vars.attempts < 3' }]] },
    { id: 'each-user', type: 'for-each', items: 'vars.users', as: 'user', do: [{ id: 'reset', type: 'action', action: 'idp.resetPassword', with: { user: '{{ user }}' } }] },
    { id: 'until-clean', type: 'while', condition: 'output.infected == true', max: 5, do: [{ id: 'rescan', type: 'action', action: 'edr.scan' }] },
    { id: 'sub', type: 'playbook', playbook: 'notify-owner', with: { host: '{{ inputs.host }}' } },
    { id: 'done', type: 'end', outcome: 'contained' },
  ],
};

const normal = (p: PlaybookSource) => Playbook.parse(p);

describe('toCacao', () => {
  test('a playbook with every Quell step type exports to CACAO that validates with no issues', () => {
    const { doc } = toCacao(normal(EVERY), { now: NOW });
    assert.deepEqual(validateCacao(doc, schemasDir), []);
    assert.equal(doc.created, '2026-03-04T05:06:07.500Z');
    assert.equal(doc.modified, '2026-03-04T05:06:07.500Z');
    assert.equal(doc.created_by, QUELL_IDENTITY);
    const workflow = doc.workflow as Record<string, { type: string }>;
    const count = (t: string) => Object.values(workflow).filter((s) => s.type === t).length;
    // 12 Quell steps without a CACAO type of their own are actions; for-each is a second while; one start; an end per
    // block that does not end in a Quell end (9) plus the 2 Quell ends.
    assert.deepEqual(
      ['start', 'action', 'if-condition', 'switch-condition', 'parallel', 'while-condition', 'playbook-action', 'end'].map((t) => [t, count(t)]),
      [['start', 1], ['action', 12], ['if-condition', 1], ['switch-condition', 1], ['parallel', 1], ['while-condition', 2], ['playbook-action', 1], ['end', 11]],
    );
    for (const id of Object.keys(workflow)) assert.match(id, /^[a-z-]+--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('export is deterministic: the same playbook gives the same document', () => {
    assert.deepEqual(toCacao(normal(EVERY), { now: NOW }).doc, toCacao(normal(EVERY), { now: NOW }).doc);
  });

  test('conditions become STIX patterns where they can; the report says what has no CACAO form', () => {
    const { doc, report } = toCacao(normal(EVERY), { now: NOW, createdBy: 'identity--11111111-2222-4333-8444-555555555555' });
    assert.equal(doc.created_by, 'identity--11111111-2222-4333-8444-555555555555');
    const steps = Object.values(doc.workflow as Record<string, Record<string, unknown>>);
    assert.equal(steps.find((s) => s.name === 'Malicious?')?.condition, "[__verdict__:value = 'malicious' AND (__score__:value > 70 OR __source__:value != 'test')]");
    assert.equal(steps.find((s) => s.type === 'switch-condition')?.switch, '__severity__:value');
    assert.deepEqual(
      report.filter((n) => n.kind === 'approximated' && !n.message.includes('is a command of type "quell"')).map((n) => n.message),
      [
        'parallel "fan-out" joins on any branch; CACAO always waits for all (join is in the Quell extension)',
        'for-each "each-user" has no CACAO type: exported as a while-condition over the index variable __quell_each-user_index__; its items (vars.users) are in the Quell extension',
        'the condition of "until-clean" (output.infected == true) has no STIX-pattern form: kept as the Quell expression',
        'sub-playbook "notify-owner" is named by the id its own export would get (playbook--' + '%ID%' + ')',
      ].map((m) => m.replace('%ID%', String((steps.find((s) => s.type === 'playbook-action')?.playbook_id as string).slice('playbook--'.length)))),
    );
    assert.deepEqual(
      report.filter((n) => n.message.includes('is a command of type "quell"')).map((n) => n.quellStep),
      ['enrich', 'isolate', 'page', 'note', 'scan-a', 'scan-b', 'reset', 'rescan'],
    );
  });

  test('quell → cacao → quell is exact', () => {
    const { doc } = toCacao(normal(EVERY), { now: NOW });
    const back = fromCacao(doc).playbook;
    assert.deepEqual(normal(back), normal(EVERY));
  });

  for (const file of VALID) {
    test(`cacao → quell → cacao → quell is exact, and the export validates: ${file}`, () => {
      const first = fromCacao(readFixture(file)).playbook;
      const { doc } = toCacao(normal(first), { now: NOW });
      assert.deepEqual(validateCacao(doc, schemasDir), []);
      assert.deepEqual(normal(fromCacao(doc).playbook), normal(first));
      // and a second export is the same document
      assert.deepEqual(toCacao(normal(fromCacao(doc).playbook), { now: NOW }).doc, doc);
    });
  }

  test('what the playbook kept from CACAO is restored: ids, agents, targets, markings, start and end names', () => {
    const original = readFixture('oasis-tcs-cacao/spec-3.1-example.json') as Record<string, unknown>;
    const { doc } = toCacao(normal(fromCacao(original).playbook), { now: NOW });
    for (const k of ['id', 'created', 'modified', 'created_by', 'markings', 'data_marking_definitions', 'agent_definitions', 'external_references', 'industry_sectors', 'playbook_activities']) {
      assert.deepEqual(doc[k], original[k], k);
    }
    const wf = doc.workflow as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(wf).sort(), Object.keys(original.workflow as object).sort());
    const action = wf['action--7f40f9d7-de39-4027-ab97-15035beff2ff']!;
    assert.deepEqual(action.commands, [{ type: 'manual', playbook_activity: 'identify-indicators', command: 'Look up IP __data_exfil_site__:value in SIEM' }]);
    assert.equal(action.agent, 'group--18d3a2e0-f534-4374-a117-abdddd3e809b');
    assert.deepEqual(wf['start--07bea005-4a36-4a77-bd1f-79a6e4682a13'], { name: 'Start Playbook Example 1', type: 'start', on_completion: 'action--7f40f9d7-de39-4027-ab97-15035beff2ff' });
    assert.deepEqual(doc.playbook_variables, { __data_exfil_site__: { type: 'ipv4-addr', description: 'The IP address for the data exfiltration site', value: '1.2.3.4' } });
  });
});

describe('conditions', () => {
  const name = (n: string) => n.replace(/^__|__$/g, '').replace(/\./g, '_');
  test('the STIX subset: brackets or bare, quoted or unquoted literals, AND/OR, comparisons, IN', () => {
    assert.equal(stixToQuell("[__x__:value = 'y']", name), "vars.x == 'y'");
    assert.equal(stixToQuell("__soarca_ssh_result__:value != '01-01-2025'", name), "vars.soarca_ssh_result != '01-01-2025'");
    assert.equal(stixToQuell('__should.execute.true__:value = yes', name), "vars.should_execute_true == 'yes'");
    assert.equal(stixToQuell("[__a__:value = 'x' AND (__b__:value > 5 OR __c__:value < 2)]", name), "vars.a == 'x' && (vars.b > 5 || vars.c < 2)");
    assert.equal(stixToQuell("[__a__:value = 'x'] OR [__b__:value = 'y' AND __c__:value = 'z']", name), "vars.a == 'x' || vars.b == 'y' && vars.c == 'z'");
    assert.equal(stixToQuell("__a__:value IN ('x', 'y')", name), "vars.a == 'x' || vars.a == 'y'");
    assert.equal(stixToQuell("__a__:value NOT IN ('x', 'y') AND __b__:value = 'it''s'".replace("''", "\\'"), name), "vars.a != 'x' && vars.a != 'y' && vars.b == 'it\\'s'");
    assert.equal(stixToQuell("'y' = __x__:value", name), "vars.x == 'y'");
  });
  test('the way back, and null for what has no STIX form', () => {
    const back = (n: string) => `__${n}__`;
    assert.equal(quellToStix("vars.x == 'y'", back), "[__x__:value = 'y']");
    assert.equal(quellToStix("vars.a == 'x' && (vars.b > 5 || vars.c < 2)", back), "[__a__:value = 'x' AND (__b__:value > 5 OR __c__:value < 2)]");
    assert.equal(quellToStix('output.count > 0', back), null);
    assert.equal(quellToStix('vars.ip != null', back), null);
  });
});
