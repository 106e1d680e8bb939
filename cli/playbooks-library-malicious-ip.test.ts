// playbooks/malicious-ip.yaml on a real core against the Wazuh emulator and a local webhook: the LSASS campaign's
// payload connecting to its C2 10.0.5.13 (qualified: 15 connections, 3 of 4 feeds) is blocked after an approval
// and the owners are told; a dry run of the same touches nothing; an IP nobody connected to closes the case.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertAuditOk,
  assertTouchedNothing,
  C2,
  C2_ALERT_TITLE,
  C2_BLOCK_RISK,
  HOST,
  openLibraryCore,
  recorded,
  runPlaybook,
  trail,
} from './playbooks-library.test-helpers.js';

const BLOCK_RISK = C2_BLOCK_RISK;

const TRAIL = (sim: (s: string) => string) => [
  'scope:done',
  'validate:done',
  'qualify:done',
  `tag:${sim('done')}`,
  'intel:done',
  'asset:done',
  `block:${sim('done')}`,
  `record:${sim('done')}`,
  'notify/owner:done',
  'notify/dependents:done',
  `notify/send:${sim('done')}`,
  'notify:done',
  'contained:done',
];

describe('playbook malicious-ip', () => {
  test('a qualified C2 alert: dry run touches nothing; the real run blocks the IP once, after an approval, and tells the owners', async (t) => {
    const lib = await openLibraryCore(t, ['wazuh']);
    const alertId = await lib.eventId(C2_ALERT_TITLE);
    const start = { playbookId: 'malicious-ip', alertId, inputs: { agents: ['001'] } };

    // Dry run: the read-only steps run (validation, intel, asset), every side effect is simulated.
    const dry = await runPlaybook(lib, { ...start, dryRun: true });
    assert.deepEqual([dry.run.status, dry.run.outcome, dry.run.dryRun, dry.run.error], ['completed', 'contained', true, null]);
    assert.deepEqual(trail(dry.run), TRAIL(() => 'simulated'));
    assert.deepEqual(dry.run.outputs, { verdict: 'qualified', connections: 15, confirmations: 3 });
    // The gate still asks, saying the action would only be simulated.
    assert.deepEqual(dry.waits.map((w) => [w.kind, w.key, w.risk]), [['approval', 'block', BLOCK_RISK]]);
    assert.equal(dry.waits[0]!.prompt, `Approve Block the IP in the host firewall (Wazuh firewall-drop) on ${HOST} (dry run: simulated)? ${BLOCK_RISK.explanation}`);
    assert.deepEqual(dry.run.steps.find((s) => s.key === 'block')!.output, {
      status: 'done',
      simulated: true,
      outcome: { status: 'done', result: { message: 'AR command was sent to all agents', affected: ['001'], failed: [] } },
    });
    await assertTouchedNothing(lib, dry.run);
    assert.deepEqual((await lib.call('note.list', { caseId: lib.caseId })).notes, []);
    assert.deepEqual((await lib.call('event.get', { caseId: lib.caseId, eventId: alertId })).tags, []);

    // For real.
    const real = await runPlaybook(lib, { ...start, dryRun: false });
    assert.deepEqual([real.run.status, real.run.outcome, real.run.dryRun, real.run.error], ['completed', 'contained', false, null]);
    assert.deepEqual(trail(real.run), TRAIL((s) => s));
    assert.deepEqual(real.waits.map((w) => [w.kind, w.key, w.risk]), [['approval', 'block', BLOCK_RISK]]);
    const block = real.run.steps.find((s) => s.key === 'block')!;
    assert.deepEqual([block.simulated, (block.output as { approvedBy: string }).approvedBy], [false, 'alice']);
    assert.deepEqual(recorded(lib), {
      wazuh: [['activeResponse', 'PUT', '/active-response?agents_list=001', { command: '!firewall-drop', alert: { data: { srcip: C2 } } }]],
    });
    assert.deepEqual(lib.webhook.received, [
      {
        key: `${real.run.id}:notify/send`,
        body: {
          message: `Malicious IP ${C2} blocked on ${HOST} — owners to inform: finance-it, payments-team`,
          data: { asset: HOST, owners: ['finance-it', 'payments-team'], affected: ['accounts', 'payroll-batch', 'finance-reports'] },
          caseId: lib.caseId,
          runId: real.run.id,
          step: 'notify/send',
        },
      },
    ]);
    const notes = (await lib.call('note.list', { caseId: lib.caseId })).notes;
    assert.deepEqual(notes.map((n) => [n.body, n.author]), [
      [`Malicious IP ${C2}: 15 connection(s) from ${HOST} in ±30 days; 3 of 4 feeds confirm it; owner finance-it. Block: done.`, 'malicious-ip'],
    ]);
    assert.deepEqual((await lib.call('event.get', { caseId: lib.caseId, eventId: alertId })).tags, ['malicious-ip', 'qualified']);
    assert.equal((await lib.call('case.get', { caseId: lib.caseId })).status, 'open');
    await assertAuditOk(lib);
  });

  test('an IP nobody connected to: the alert is not relevant and the case is closed with the reason, nothing blocked', async (t) => {
    const lib = await openLibraryCore(t, ['wazuh']);
    const alertId = await lib.eventId(C2_ALERT_TITLE);
    const start = { playbookId: 'malicious-ip', alertId, inputs: { agents: ['001'], ip: '203.0.113.66' } };
    const reason =
      "No connection from an internal address to 203.0.113.66 between 2023-07-19T15:56:50.739Z and 2023-09-17T15:56:50.739Z (30 days either side of the alert) in the case's network connection records (Zeek conn, Sysmon network connection, Suricata flow).";

    const dry = await runPlaybook(lib, { ...start, dryRun: true });
    assert.deepEqual([dry.run.status, dry.run.outcome], ['completed', 'closed']);
    // The end step ends the run inside the `if`: the `if` itself is never recorded as finished.
    assert.deepEqual(trail(dry.run), ['scope:done', 'validate:done', 'close:simulated', 'closed:done']);
    assert.deepEqual(dry.waits, []);
    await assertTouchedNothing(lib, dry.run);
    assert.equal((await lib.call('case.get', { caseId: lib.caseId })).status, 'open');

    const real = await runPlaybook(lib, { ...start, dryRun: false });
    assert.deepEqual([real.run.status, real.run.outcome, real.run.outputs], ['completed', 'closed', { verdict: 'not_relevant', connections: 0, confirmations: null }]);
    assert.deepEqual(trail(real.run), ['scope:done', 'validate:done', 'close:done', 'closed:done']);
    assert.deepEqual(real.run.steps.find((s) => s.key === 'closed')!.output, { outcome: 'closed', reason });
    const kase = await lib.call('case.get', { caseId: lib.caseId });
    assert.equal(kase.status, 'closed');
    assert.deepEqual(recorded(lib), { wazuh: [] });
    assert.deepEqual(lib.webhook.received, []);
    await assertAuditOk(lib);
  });
});
