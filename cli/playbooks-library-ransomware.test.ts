// playbooks/ransomware-precursor.yaml on a real core against the Defender and Wazuh emulators and a local webhook.
// The alert is the LSASS campaign's payload beaconing to its C2 10.0.5.13 from PRD01. Isolation and the C2 block
// wait for approvals (risk and blast radius asserted); the incident commander either declares the incident or, when
// nobody answers in time, the decision is escalated as a case task.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  assertAuditOk,
  assertTouchedNothing,
  C2,
  C2_ALERT_TITLE,
  HOST,
  openLibraryCore,
  PLAYBOOKS_DIR,
  recorded,
  runPlaybook,
  trail,
  type LibraryCore,
} from './playbooks-library.test-helpers.js';

const BLAST = { affected: 3, owners: ['finance-it', 'payments-team'], services: ['accounts', 'payroll-batch', 'finance-reports'] };
const RISK = {
  risk: 92,
  threshold: 60,
  gated: true,
  impact: 'high',
  parts: { impact: 70, blastRadius: 12, uncertainty: 10 },
  confidence: null,
  target: HOST,
  blastRadius: BLAST,
  explanation: `risk 92 = impact high (70) + 3 dependents of ${HOST} (12) + confidence unknown (10); above the threshold 60: waits for approval`,
};
const PROMPT = `${HOST} shows ransomware precursors (C2 ${C2}); it is isolated and the C2 is blocked. Declare a ransomware incident and start the major-incident procedure?`;

const machineOf = (lib: LibraryCore) => [...(lib.emulators.defender as unknown as { api: { machines: Map<string, { id: string }> } }).api.machines.values()][1]!.id;

const TRAIL = (side: string, decided: 'done' | 'escalated', major: string) => [
  'scope:done',
  `isolate-mde:${side}`,
  'isolate:done',
  `block-c2:${side}`,
  `keep-alert:${side}`,
  `package:${side}`,
  'snapshot:done',
  `decide:${decided}`,
  ...(major ? [`major-task:${major}`] : []),
  'declared:done',
  'notify/owner:done',
  'notify/dependents:done',
  `notify/send:${side}`,
  'notify:done',
  'end:done',
];

describe('playbook ransomware-precursor', () => {
  test('dry run touches nothing; for real: isolate, block the C2, investigation package, declared by the commander', async (t) => {
    const lib = await openLibraryCore(t, ['defender', 'wazuh']);
    const alertId = await lib.eventId(C2_ALERT_TITLE);
    const machineId = machineOf(lib);
    const start = { playbookId: 'ransomware-precursor', alertId, inputs: { deviceId: machineId, agents: ['001'] } };

    const dry = await runPlaybook(lib, { ...start, dryRun: true });
    assert.deepEqual([dry.run.status, dry.run.outcome, dry.run.error, dry.run.outputs], ['completed', 'declared', null, { declared: true }]);
    assert.deepEqual(trail(dry.run), TRAIL('simulated', 'done', 'simulated'));
    assert.deepEqual(dry.waits.map((w) => [w.kind, w.key, w.risk]), [
      ['approval', 'isolate-mde', RISK],
      ['approval', 'block-c2', RISK],
      ['approval', 'decide', null],
    ]);
    assert.equal(dry.waits[2]!.prompt, PROMPT);
    await assertTouchedNothing(lib, dry.run);
    assert.deepEqual((await lib.call('task.list', { caseId: lib.caseId })).tasks, []);

    const real = await runPlaybook(lib, { ...start, dryRun: false });
    assert.deepEqual([real.run.status, real.run.outcome, real.run.error, real.run.outputs], ['completed', 'declared', null, { declared: true }]);
    assert.deepEqual(trail(real.run), TRAIL('done', 'done', 'done'));
    assert.deepEqual(real.waits.map((w) => [w.kind, w.key, w.risk]), [
      ['approval', 'isolate-mde', RISK],
      ['approval', 'block-c2', RISK],
      ['approval', 'decide', null],
    ]);
    assert.deepEqual(real.run.steps.find((s) => s.key === 'decide')!.output, { approved: true, by: 'alice', comment: 'go ahead' });
    const tag = (step: string) => `[quell:quell-run-${real.run.id}-${step}]`;
    assert.deepEqual(recorded(lib), {
      defender: [
        ['Isolate', 'POST', `/api/machines/${machineId}/isolate`, { Comment: `Quell case ${lib.caseId}: ransomware precursor on ${HOST} (C2 ${C2}) ${tag('isolate-mde')}`, IsolationType: 'Full' }],
        ['CollectInvestigationPackage', 'POST', `/api/machines/${machineId}/collectInvestigationPackage`, { Comment: `Quell case ${lib.caseId}: evidence before a possible ransomware outbreak ${tag('package')}` }],
      ],
      wazuh: [['activeResponse', 'PUT', '/active-response?agents_list=001', { command: '!firewall-drop', alert: { data: { srcip: C2 } } }]],
    });
    assert.deepEqual(
      lib.webhook.received.map((r) => [r.key, r.body.message, r.body.data]),
      [[`${real.run.id}:notify/send`, `Ransomware precursor on ${HOST}: isolated, C2 ${C2} blocked, incident declared — owners to inform: finance-it, payments-team`, { asset: HOST, owners: BLAST.owners, affected: BLAST.services }]],
    );
    assert.deepEqual((await lib.call('task.list', { caseId: lib.caseId })).tasks.map((x) => [x.title, x.assignee]), [
      [`Ransomware incident declared for ${HOST}: run the major-incident procedure`, 'incident-commander'],
    ]);
    const evidence = real.run.steps.find((s) => s.key === 'keep-alert')!;
    assert.deepEqual([evidence.status, (evidence.input as { name: string }).name], ['done', `Ransomware precursor alert on ${HOST}`]);
    await assertAuditOk(lib);
  });

  test('nobody decides within the approval timeout: the decision is escalated as a task for the commander', async (t) => {
    const lib = await openLibraryCore(t, ['defender', 'wazuh']);
    const alertId = await lib.eventId(C2_ALERT_TITLE);
    // The shipped playbook gives the commander 30 minutes; this run gives 200 ms (the engine waits on a real timer).
    const shipped = fs.readFileSync(path.join(PLAYBOOKS_DIR, 'ransomware-precursor.yaml'), 'utf8');
    const deadline = '    timeout: 30m\n    onTimeout: escalate\n';
    assert.equal(shipped.split(deadline).length, 2, 'the decide step has one 30m timeout');
    const playbook = shipped.replace(deadline, '    timeout: 200ms\n    onTimeout: escalate\n');

    const { run, waits } = await runPlaybook(
      lib,
      { playbook, dryRun: false, alertId, inputs: { deviceId: machineOf(lib), agents: ['001'] } },
      { leave: ['decide'] },
    );
    assert.deepEqual([run.status, run.outcome, run.outputs], ['completed', 'escalated', { declared: false }]);
    assert.deepEqual(trail(run), TRAIL('done', 'escalated', ''));
    assert.deepEqual(waits.map((w) => [w.kind, w.key]), [
      ['approval', 'isolate-mde'],
      ['approval', 'block-c2'],
      ['approval', 'decide'],
    ]);
    const decide = run.steps.find((s) => s.key === 'decide')!;
    assert.deepEqual([decide.status, decide.simulated, decide.output], ['escalated', false, { approved: false, escalated: true }]);
    assert.ok(Date.parse(decide.finishedAt!) - Date.parse(decide.startedAt) >= 200, 'waited for the deadline');
    assert.deepEqual((await lib.call('task.list', { caseId: lib.caseId })).tasks.map((x) => [x.title, x.assignee, x.status]), [
      [`Approval needed: ${PROMPT}`, 'incident-commander', 'open'],
    ]);
    assert.deepEqual(lib.webhook.received.map((r) => r.body.message), [
      `Ransomware precursor on ${HOST}: isolated, C2 ${C2} blocked, decision escalated — owners to inform: finance-it, payments-team`,
    ]);
    assert.deepEqual(Object.fromEntries(Object.entries(recorded(lib)).map(([v, a]) => [v, a!.map((x) => x[0])])), {
      defender: ['Isolate', 'CollectInvestigationPackage'],
      wazuh: ['activeResponse'],
    });
    await assertAuditOk(lib);
  });
});
