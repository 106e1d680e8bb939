// The Entra ID account actions (Microsoft Graph) against the Defender emulator over loopback HTTP, through the SDK
// alone: each is one recorded request with Graph's body, authorised with a Graph token (not the Defender API's),
// and an unknown user, application or key fails with what Graph said.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openConnectorContext, parseFaults } from '../sdk/index.js';
import { connector, manifest } from './connector.js';
import { startDefenderEmulator, type DefenderEmulator } from './emulator/index.js';

const fast = { sleep: async () => {}, timeoutMs: 5_000, maxAttempts: 8 };
const USER = 'aead923d-498b-4f64-a66c-2af91447a8b6';
const UPN = 'pgustavo@simulandlabs.com';
const APP = '11b49e19-2326-4be6-93cb-7f37439bbd81';
const KEY = '59eaeebc-8a6b-44a6-9f24-7d55e64420c9';

function open(emu: DefenderEmulator, settings: Record<string, unknown> = {}) {
  return openConnectorContext(connector, { ...emu.settings, ...settings }, { name: 'mde-test', http: fast });
}

/** Recorded requests show no token (redacted); the emulator's ledger of issued tokens says which resource each was for. */
const tokenAudiences = (emu: DefenderEmulator) => emu.api.issuedAudiences;

test('disableUser, revokeSessions and removeAppCredential: one Graph request each with the exact body, done', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 0 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);

  assert.deepEqual(await connector.runAction(ctx, 'disableUser', { userId: UPN }, 'k-disable'), { status: 'done', result: { userId: UPN, accountEnabled: false } });
  assert.deepEqual(await connector.runAction(ctx, 'revokeSessions', { userId: USER }, 'k-revoke'), { status: 'done', result: { userId: USER, revoked: true } });
  assert.deepEqual(await connector.runAction(ctx, 'removeAppCredential', { applicationId: APP, keyId: KEY }, 'k-remove'), {
    status: 'done',
    result: { applicationId: APP, keyId: KEY, removed: true },
  });

  const recorded = emu.actions();
  assert.deepEqual(recorded.map((a) => [a.action, a.method, a.path, a.body]), [
    ['updateUser', 'PATCH', `/v1.0/users/${encodeURIComponent(UPN)}`, { accountEnabled: false }],
    ['revokeSignInSessions', 'POST', `/v1.0/users/${USER}/revokeSignInSessions`, null],
    ['removePassword', 'POST', `/v1.0/applications/${APP}/removePassword`, { keyId: KEY }],
  ]);
  assert.deepEqual([recorded[0]!.headers['authorization'], recorded[0]!.headers['content-type']], ['<redacted>', 'application/json']);

  const user = emu.api.graph.user(USER)!;
  assert.equal(user.accountEnabled, false);
  assert.notEqual(user.signInSessionsValidFromDateTime, '2021-08-01T00:00:00Z');
  assert.deepEqual(emu.api.graph.applications.get(APP)!.passwordCredentials, []);
  // One Graph token, asked for with the Graph scope; the Defender API token was never needed.
  assert.deepEqual(tokenAudiences(emu), ['https://graph.microsoft.com']);
});

test('the Defender API and Graph each get a token for their own audience, on one host', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 3 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const machineId = [...emu.api.machines.values()][1]!.id;
  assert.equal((await connector.runAction(ctx, 'isolate', { machineId, comment: 'c' }, 'k-iso')).status, 'pending');
  assert.equal((await connector.runAction(ctx, 'revokeSessions', { userId: UPN }, 'k-rev')).status, 'done');
  assert.equal((await connector.runAction(ctx, 'run_av_scan', { machineId, comment: 'c' }, 'k-scan')).status, 'pending');
  assert.deepEqual(tokenAudiences(emu), ['https://api.securitycenter.microsoft.com', 'https://graph.microsoft.com']);
  assert.deepEqual(emu.actions().map((a) => a.action), ['Isolate', 'revokeSignInSessions', 'RunAntiVirusScan']);
});

test('a Graph token for the wrong audience is refused by Graph with its own error', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 0 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu, { graphScope: 'https://api.securitycenter.microsoft.com/.default' });
  t.after(close);
  await assert.rejects(connector.runAction(ctx, 'disableUser', { userId: USER }, 'k'), {
    kind: 'auth',
    message: `connector mde-test: PATCH /v1.0/users/${USER}: HTTP 401: InvalidAuthenticationToken: Access token validation failure. Invalid audience.`,
  });
  assert.equal(emu.api.graph.user(USER)!.accountEnabled, true);
});

test('unknown user, application or key: failed with the Graph error; bad input names the field', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 0 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const ghost = '00000000-0000-4000-8000-000000000001';
  assert.deepEqual(await connector.runAction(ctx, 'disableUser', { userId: 'nobody@simulandlabs.com' }, 'k1'), {
    status: 'failed',
    reason: `connector mde-test: PATCH /v1.0/users/nobody%40simulandlabs.com: HTTP 404: Request_ResourceNotFound: Resource 'nobody@simulandlabs.com' does not exist or one of its queried reference-property objects are not present.`,
  });
  assert.deepEqual(await connector.runAction(ctx, 'revokeSessions', { userId: ghost }, 'k2'), {
    status: 'failed',
    reason: `connector mde-test: POST /v1.0/users/${ghost}/revokeSignInSessions: HTTP 404: Request_ResourceNotFound: Resource '${ghost}' does not exist or one of its queried reference-property objects are not present.`,
  });
  assert.deepEqual(await connector.runAction(ctx, 'removeAppCredential', { applicationId: ghost, keyId: KEY }, 'k3'), {
    status: 'failed',
    reason: `connector mde-test: POST /v1.0/applications/${ghost}/removePassword: HTTP 404: Request_ResourceNotFound: Resource '${ghost}' does not exist or one of its queried reference-property objects are not present.`,
  });
  assert.deepEqual(await connector.runAction(ctx, 'removeAppCredential', { applicationId: APP, keyId: ghost }, 'k4'), {
    status: 'failed',
    reason: `connector mde-test: POST /v1.0/applications/${APP}/removePassword: HTTP 400: Request_BadRequest: No password credential with keyId '${ghost}' on application '${APP}'.`,
  });
  await assert.rejects(connector.runAction(ctx, 'removeAppCredential', { applicationId: 'SimuLandApp', keyId: KEY }, 'k5'), {
    kind: 'config',
    message: 'connector mde-test: removeAppCredential: applicationId: a GUID such as 59eaeebc-8a6b-44a6-9f24-7d55e64420c9',
  });
  assert.equal(emu.actions().length, 4);
  assert.deepEqual(emu.api.graph.applications.get(APP)!.passwordCredentials, [{ keyId: KEY, displayName: 'SimuLandCreds' }]);
});

test('under 429 and 503 the idempotent Graph actions are retried until done; the manifest declares their impact', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 0, seed: 3, faults: parseFaults('429:0.2,503:0.2') });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  for (let i = 0; i < 10; i++) {
    assert.equal((await connector.runAction(ctx, i % 2 ? 'revokeSessions' : 'disableUser', { userId: USER }, `k${i}`)).status, 'done');
  }
  const injected = emu.faultsInjected();
  assert.ok(injected['429'] + injected['503'] > 0, JSON.stringify(injected));
  assert.equal(emu.api.graph.user(USER)!.accountEnabled, false);

  assert.deepEqual(
    ['disableUser', 'revokeSessions', 'removeAppCredential'].map((a) => [a, manifest.actions[a]!.impact.risk, manifest.actions[a]!.impact.reversible]),
    [
      ['disableUser', 'high', true],
      ['revokeSessions', 'medium', false],
      ['removeAppCredential', 'medium', false],
    ],
  );
  assert.deepEqual(manifest.capabilities.actions.slice(-3), ['disableUser', 'revokeSessions', 'removeAppCredential']);
});
