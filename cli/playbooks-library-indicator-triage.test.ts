// playbooks/indicator-triage.yaml on a real core against the Wazuh emulator and a local webhook, over the three
// routes of the confidence rating with the four fixture feeds: 3 of 4 confirm the C2 10.0.5.13 → respond (block,
// after an approval); with the blocklist re-imported without it, 2 of 4 → an analyst decides; a record whose
// addresses no feed names, 0 of 4 → discard. Each route as a dry run (nothing touched) and for real.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAuditOk, assertTouchedNothing, C2, C2_ALERT_TITLE, C2_BLOCK_RISK, fixture, HOST, openLibraryCore, recorded, runPlaybook, trail } from './playbooks-library.test-helpers.js';

const start = (alertId: string, dryRun: boolean) => ({ playbookId: 'indicator-triage', dryRun, alertId, inputs: { agents: ['001'] } });

describe('playbook indicator-triage', () => {
  test('3 of 4 feeds: respond — the C2 is blocked once after an approval and the SOC is told', async (t) => {
    const lib = await openLibraryCore(t, ['wazuh']);
    const alertId = await lib.eventId(C2_ALERT_TITLE);
    const risk = C2_BLOCK_RISK;

    const dry = await runPlaybook(lib, start(alertId, true));
    assert.deepEqual([dry.run.status, dry.run.outcome, dry.run.outputs], ['completed', 'responded', { routing: 'automatic', confirmations: 3 }]);
    assert.deepEqual(trail(dry.run), ['rate:done', 'tag-confirmed:simulated', 'block:simulated', 'tell:simulated', 'responded:done']);
    assert.deepEqual(dry.waits.map((w) => [w.kind, w.key, w.risk]), [['approval', 'block', risk]]);
    await assertTouchedNothing(lib, dry.run);

    const real = await runPlaybook(lib, start(alertId, false));
    assert.deepEqual([real.run.status, real.run.outcome, real.run.outputs], ['completed', 'responded', { routing: 'automatic', confirmations: 3 }]);
    assert.deepEqual(trail(real.run), ['rate:done', 'tag-confirmed:done', 'block:done', 'tell:done', 'responded:done']);
    assert.deepEqual(real.waits.map((w) => [w.kind, w.key, w.risk]), [['approval', 'block', risk]]);
    assert.deepEqual(recorded(lib), { wazuh: [['activeResponse', 'PUT', '/active-response?agents_list=001', { command: '!firewall-drop', alert: { data: { srcip: C2 } } }]] });
    assert.deepEqual(lib.webhook.received.map((r) => [r.key, r.body.message, r.body.data]), [
      [`${real.run.id}:tell`, `${C2} confirmed by 3 of 4 feeds: blocked on agents 001`, { ip: C2, confirmations: 3, feeds: 4 }],
    ]);
    assert.deepEqual((await lib.call('event.get', { caseId: lib.caseId, eventId: alertId })).tags, ['intel-confirmed']);
    await assertAuditOk(lib);
  });

  test('2 of 4 feeds: an analyst decides — malicious opens a containment task; nothing is blocked', async (t) => {
    const lib = await openLibraryCore(t, ['wazuh']);
    // The blocklist's new version no longer names the C2: one confirmation fewer.
    await lib.call('intel.feed.import', { path: fixture('intel/blocklist-v2.csv'), name: 'blocklist', reliability: 'A' });
    const alertId = await lib.eventId(C2_ALERT_TITLE);
    const answers = { submit: { review: { verdict: 'malicious', why: 'beaconing every 60 s to a MISP-listed C2' } } };
    const title = `Review ${C2}: 2 of 4 feeds confirm it`;

    const dry = await runPlaybook(lib, start(alertId, true), answers);
    assert.deepEqual([dry.run.status, dry.run.outcome, dry.run.outputs], ['completed', 'analyst-malicious', { routing: 'analyst', confirmations: 2 }]);
    assert.deepEqual(trail(dry.run), ['rate:done', 'review:done', 'respond-task:simulated', 'verdict:done', 'reviewed:done']);
    assert.deepEqual(dry.waits.map((w) => [w.kind, w.key, w.prompt]), [['manual', 'review', title]]);
    await assertTouchedNothing(lib, dry.run);
    assert.deepEqual((await lib.call('task.list', { caseId: lib.caseId })).tasks, []);

    const real = await runPlaybook(lib, start(alertId, false), answers);
    assert.deepEqual([real.run.status, real.run.outcome], ['completed', 'analyst-malicious']);
    assert.deepEqual(trail(real.run), ['rate:done', 'review:done', 'respond-task:done', 'verdict:done', 'reviewed:done']);
    assert.equal(real.run.wait, null);
    assert.deepEqual(real.run.steps.find((s) => s.key === 'review')!.output, { ...answers.submit.review, submittedBy: 'alice' });
    assert.deepEqual((await lib.call('task.list', { caseId: lib.caseId })).tasks.map((x) => [x.title, x.assignee]), [
      [`Contain ${C2}: an analyst judged it malicious`, 'tier2'],
    ]);
    assert.deepEqual(recorded(lib), { wazuh: [] });
    assert.deepEqual(lib.webhook.received, []);
    await assertAuditOk(lib);
  });

  test('0 of 4 feeds: discard — tagged and noted, nothing else', async (t) => {
    const lib = await openLibraryCore(t, ['wazuh']);
    const alertId = await lib.eventId('tcp 192.168.1.42:49604 -> 192.168.1.4:445 krb,gssapi,smb OTH');

    const dry = await runPlaybook(lib, start(alertId, true));
    assert.deepEqual([dry.run.status, dry.run.outcome, dry.run.outputs], ['completed', 'discarded', { routing: 'discard', confirmations: 0 }]);
    assert.deepEqual(trail(dry.run), ['rate:done', 'tag-discarded:simulated', 'discard-note:simulated', 'discarded:done']);
    assert.deepEqual(dry.waits, []);
    await assertTouchedNothing(lib, dry.run);

    const real = await runPlaybook(lib, start(alertId, false));
    assert.deepEqual([real.run.status, real.run.outcome], ['completed', 'discarded']);
    assert.deepEqual(trail(real.run), ['rate:done', 'tag-discarded:done', 'discard-note:done', 'discarded:done']);
    assert.deepEqual((await lib.call('note.list', { caseId: lib.caseId })).notes.map((n) => n.body), ['Discarded: 0 of 4 feeds confirm the indicators of this alert.']);
    assert.deepEqual((await lib.call('event.get', { caseId: lib.caseId, eventId: alertId })).tags, ['intel-discarded']);
    assert.deepEqual(recorded(lib), { wazuh: [] });
    assert.deepEqual(lib.webhook.received, []);
    await assertAuditOk(lib);
  });
});
