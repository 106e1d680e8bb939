// playbooks/golden-saml-account.yaml on a real core against the Defender emulator's Microsoft Graph and a local
// webhook. The alert is the Golden SAML dataset's Entra ID audit event "Update application – Certificates and
// secrets management" (pgustavo@simulandlabs.com added secret 59eaeebc-… to SimuLandApp). A person confirms the
// change was not planned; the sessions are revoked and the secret removed after approvals; a planned change ends
// the run without touching anything.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAuditOk, assertTouchedNothing, openLibraryCore, recorded, runPlaybook, trail } from './playbooks-library.test-helpers.js';

const ALERT_TITLE = 'Update application – Certificates and secrets management';
const USER_ID = 'aead923d-498b-4f64-a66c-2af91447a8b6';
const APP = '11b49e19-2326-4be6-93cb-7f37439bbd81';
const KEY = '59eaeebc-8a6b-44a6-9f24-7d55e64420c9';
const RISK = {
  risk: 55,
  threshold: 50,
  gated: true,
  impact: 'medium',
  parts: { impact: 45, blastRadius: 0, uncertainty: 10 },
  confidence: null,
  target: null,
  blastRadius: null,
  explanation: 'risk 55 = impact medium (45) + no target named (0) + confidence unknown (10); above the threshold 50: waits for approval',
};

/** The audit export holds the event twice (one row per modified property); the first is the alert. */
async function alertOf(lib: Awaited<ReturnType<typeof openLibraryCore>>): Promise<string> {
  const rows = (await lib.call('event.list', { caseId: lib.caseId, format: 'entra-audit', limit: 100 })).rows.filter((r) => r.title === ALERT_TITLE);
  assert.equal(rows.length, 2);
  return rows[0]!.id as string;
}

const TRAIL = (side: string) => [
  'scope:done',
  'confirm:done',
  'planned:done',
  `revoke:${side}`,
  `remove-secret:${side}`,
  `tag:${side}`,
  `rotate-task:${side}`,
  'notify/owner:done',
  'notify/dependents:done',
  `notify/send:${side}`,
  'notify:done',
  'contained:done',
];

describe('playbook golden-saml-account', () => {
  test('dry run touches nothing; for real: sessions revoked and the added secret removed once each, task and owners', async (t) => {
    const lib = await openLibraryCore(t, ['defender'], ['golden-saml/AADAuditEvents.json']);
    const alertId = await alertOf(lib);
    const start = { playbookId: 'golden-saml-account', alertId, inputs: { applicationId: APP, keyId: KEY } };
    const answers = { submit: { confirm: { planned: false } } };
    const prompt = `A secret (${KEY}) was added to application ${APP} by pgustavo@simulandlabs.com: was it a planned change?`;

    const dry = await runPlaybook(lib, { ...start, dryRun: true }, answers);
    assert.deepEqual([dry.run.status, dry.run.outcome, dry.run.error, dry.run.outputs], ['completed', 'contained', null, { user: USER_ID }]);
    assert.deepEqual(trail(dry.run), TRAIL('simulated'));
    assert.deepEqual(dry.waits.map((w) => [w.kind, w.key, w.risk, w.prompt]), [
      ['manual', 'confirm', null, prompt],
      ['approval', 'revoke', RISK, `Approve Revoke the user's sessions and refresh tokens (dry run: simulated)? ${RISK.explanation}`],
      ['approval', 'remove-secret', RISK, `Approve Remove the added secret from the application (dry run: simulated)? ${RISK.explanation}`],
    ]);
    await assertTouchedNothing(lib, dry.run);

    const real = await runPlaybook(lib, { ...start, dryRun: false }, answers);
    assert.deepEqual([real.run.status, real.run.outcome, real.run.error], ['completed', 'contained', null]);
    assert.deepEqual(trail(real.run), TRAIL('done'));
    assert.deepEqual(real.waits.map((w) => [w.kind, w.key, w.risk]), [
      ['manual', 'confirm', null],
      ['approval', 'revoke', RISK],
      ['approval', 'remove-secret', RISK],
    ]);
    assert.deepEqual(real.run.steps.find((s) => s.key === 'confirm')!.output, { planned: false, submittedBy: 'alice' });
    assert.deepEqual(recorded(lib), {
      defender: [
        ['revokeSignInSessions', 'POST', `/v1.0/users/${USER_ID}/revokeSignInSessions`, null],
        ['removePassword', 'POST', `/v1.0/applications/${APP}/removePassword`, { keyId: KEY }],
      ],
    });
    const graph = (lib.emulators.defender as unknown as { api: { graph: { applications: Map<string, { passwordCredentials: unknown[] }> } } }).api.graph;
    assert.deepEqual(graph.applications.get(APP)!.passwordCredentials, []);
    assert.deepEqual(
      lib.webhook.received.map((r) => [r.key, r.body.message, r.body.data]),
      [
        [
          `${real.run.id}:notify/send`,
          `Golden SAML: sessions of ${USER_ID} revoked, secret ${KEY} removed from ${APP} — owners to inform: identity-team`,
          { asset: 'ADFS01', owners: ['identity-team'], affected: ['sso-portal'] },
        ],
      ],
    );
    assert.deepEqual((await lib.call('task.list', { caseId: lib.caseId })).tasks.map((x) => [x.title, x.assignee]), [
      ['Rotate the AD FS token-signing certificate on ADFS01 twice (a stolen certificate keeps signing tokens)', 'identity-team'],
    ]);
    assert.deepEqual((await lib.call('event.get', { caseId: lib.caseId, eventId: alertId })).tags, ['target:SimuLandApp', 'golden-saml', 'account-compromised']);
    await assertAuditOk(lib);
  });

  test('a planned change (with its ticket) ends the run as benign: nothing revoked, nothing removed', async (t) => {
    const lib = await openLibraryCore(t, ['defender'], ['golden-saml/AADAuditEvents.json']);
    const alertId = await alertOf(lib);
    const { run, waits } = await runPlaybook(
      lib,
      { playbookId: 'golden-saml-account', dryRun: false, alertId, inputs: { applicationId: APP, keyId: KEY } },
      { submit: { confirm: { planned: true, ticket: 'CHG-1042' } } },
    );
    assert.deepEqual([run.status, run.outcome], ['completed', 'benign']);
    assert.deepEqual(trail(run), ['scope:done', 'confirm:done', 'planned-note:done', 'benign:done']);
    assert.deepEqual(waits.map((w) => w.key), ['confirm']);
    assert.deepEqual((await lib.call('note.list', { caseId: lib.caseId })).notes.map((n) => n.body), [`Secret ${KEY} on ${APP} was a planned change (CHG-1042).`]);
    assert.deepEqual(recorded(lib), { defender: [] });
    assert.deepEqual(lib.webhook.received, []);
    await assertAuditOk(lib);
  });
});
