// playbooks/lsass-credential-dumping.yaml on a real core against the CrowdStrike and Defender (Graph) emulators
// and a local webhook. The alert is the LSASS campaign's `rundll32 comsvcs.dll MiniDump 628 …` on PRD01: the
// playbook reads the LSASS pid from it, contains the host, dumps LSASS through RTR, disables the account in Entra
// ID (three approvals, each with its risk and blast radius), opens the password-reset task and tells the owners.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RiskAssessment } from '../core/model/index.js';
import { assertAuditOk, assertTouchedNothing, HOST, openLibraryCore, recorded, runPlaybook, trail } from './playbooks-library.test-helpers.js';

const ALERT_TITLE = 'Process Create: "C:\\Windows\\System32\\rundll32.exe" C:\\windows\\System32\\comsvcs.dll MiniDump 628 C:\\Windows\\Temp\\lsass-comsvcs.dmp full';
const USER = 'pedro.gustavo@pandalab.com';
const BLAST = { affected: 3, owners: ['finance-it', 'payments-team'], services: ['accounts', 'payroll-batch', 'finance-reports'] };

function risk(impact: 'high' | 'medium', target: string | null): RiskAssessment {
  const points = impact === 'high' ? 70 : 45;
  const blast = target ? 12 : 0;
  const total = points + blast + 10;
  return {
    risk: total,
    threshold: 65,
    gated: true,
    impact,
    parts: { impact: points, blastRadius: blast, uncertainty: 10 },
    confidence: null,
    target,
    blastRadius: target ? BLAST : null,
    explanation: `risk ${total} = impact ${impact} (${points}) + ${target ? `3 dependents of ${target} (12)` : 'no target named (0)'} + confidence unknown (10); above the threshold 65: waits for approval`,
  };
}

const TRAIL = (side: string) => [
  'scope:done',
  'technique:done',
  `contain-falcon:${side}`,
  `dump-falcon:${side}`,
  'contain:done',
  `disable:${side}`,
  `reset-task:${side}`,
  `record:${side}`,
  'notify/owner:done',
  'notify/dependents:done',
  `notify/send:${side}`,
  'notify:done',
  'contained:done',
];

describe('playbook lsass-credential-dumping', () => {
  test('dry run touches nothing; for real: contain, RTR memdump of pid 628, Entra disable, reset task, owners told', async (t) => {
    const lib = await openLibraryCore(t, ['crowdstrike', 'defender']);
    const alertId = await lib.eventId(ALERT_TITLE);
    const deviceId = [...(lib.emulators.crowdstrike as unknown as { api: { devices: Map<string, { device_id: string }> } }).api.devices.values()][0]!.device_id;
    const start = { playbookId: 'lsass-credential-dumping', alertId, inputs: { deviceId, user: USER } };
    const expectedWaits = [
      ['approval', 'contain-falcon', risk('high', HOST)],
      ['approval', 'dump-falcon', risk('medium', HOST)],
      ['approval', 'disable', risk('high', null)],
    ];

    const dry = await runPlaybook(lib, { ...start, dryRun: true });
    assert.deepEqual([dry.run.status, dry.run.outcome, dry.run.error, dry.run.outputs], ['completed', 'contained', null, { host: HOST, pid: 628 }]);
    assert.deepEqual(trail(dry.run), TRAIL('simulated'));
    assert.deepEqual(dry.waits.map((w) => [w.kind, w.key, w.risk]), expectedWaits);
    assert.deepEqual(dry.run.steps.find((s) => s.key === 'dump-falcon')!.input, { deviceId, pid: 628, path: 'C:\\Windows\\Temp\\quell-lsass-628.dmp' });
    await assertTouchedNothing(lib, dry.run);
    assert.deepEqual((await lib.call('task.list', { caseId: lib.caseId })).tasks, []);

    const real = await runPlaybook(lib, { ...start, dryRun: false });
    assert.deepEqual([real.run.status, real.run.outcome, real.run.error], ['completed', 'contained', null]);
    assert.deepEqual(trail(real.run), TRAIL('done'));
    assert.deepEqual(real.waits.map((w) => [w.kind, w.key, w.risk]), expectedWaits);
    const session = (recorded(lib).crowdstrike![2]![3] as { session_id: string }).session_id;
    assert.match(session, /^[0-9a-f-]{36}$/);
    assert.deepEqual(recorded(lib), {
      crowdstrike: [
        ['contain', 'POST', '/devices/entities/devices-actions/v2?action_name=contain', { ids: [deviceId] }],
        ['rtr_session', 'POST', '/real-time-response/entities/sessions/v1', { device_id: deviceId, origin: 'quell', queue_offline: false }],
        [
          'memdump',
          'POST',
          '/real-time-response/entities/active-responder-command/v1',
          { base_command: 'memdump', command_string: 'memdump 628 "C:\\Windows\\Temp\\quell-lsass-628.dmp"', device_id: deviceId, session_id: session, persist: true },
        ],
      ],
      defender: [['updateUser', 'PATCH', `/v1.0/users/${encodeURIComponent(USER)}`, { accountEnabled: false }]],
    });
    assert.deepEqual(
      lib.webhook.received.map((r) => [r.key, r.body.message, r.body.data]),
      [[`${real.run.id}:notify/send`, `LSASS credential dumping on ${HOST}: host contained, ${USER} disabled — owners to inform: finance-it, payments-team`, { asset: HOST, owners: BLAST.owners, affected: BLAST.services }]],
    );
    assert.deepEqual((await lib.call('task.list', { caseId: lib.caseId })).tasks.map((x) => [x.title, x.assignee, x.status]), [
      [`Reset the password of ${USER} (credentials dumped from LSASS on ${HOST}), then re-enable the account`, 'identity-team', 'open'],
    ]);
    assert.deepEqual((await lib.call('note.list', { caseId: lib.caseId })).notes.map((n) => n.body), [
      `LSASS Memory on ${HOST}: host contained through crowdstrike, LSASS (pid 628) dumped, ${USER} disabled (done).`,
    ]);
    await assertAuditOk(lib);
  });
});
