// The Defender emulator speaks the API's shapes: raw HTTP against it, no connector in between.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFaults } from '../../sdk/index.js';
import { startDefenderEmulator } from './index.js';

async function token(url: string, settings: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${url}/${String(settings['tenantId'])}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: String(settings['clientId']), client_secret: String(settings['clientSecret']), scope: 'https://api.securitycenter.microsoft.com/.default' }),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual([body['token_type'], body['expires_in'], body['ext_expires_in']], ['Bearer', 3599, 3599]);
  return String(body['access_token']);
}

test('token, 401 error body, OData paging with nextLink, $top cap, $expand', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 5, seed: 3 });
  t.after(() => emu.close());
  const anonymous = await fetch(`${emu.url}/api/alerts`);
  assert.equal(anonymous.status, 401);
  const denied = (await anonymous.json()) as { error: { code: string; message: string; target: string } };
  assert.deepEqual([denied.error.code, denied.error.message], ['Unauthorized', 'Authorization header is missing or not a Bearer token.']);

  const auth = { authorization: `Bearer ${await token(emu.url, emu.settings)}` };
  const first = (await (await fetch(`${emu.url}/api/alerts?$top=3`, { headers: auth })).json()) as Record<string, unknown> & { value: Record<string, unknown>[] };
  assert.equal(first['@odata.context'], `${emu.url}/api/$metadata#Alerts`);
  assert.equal(first.value.length, 3);
  assert.equal(first['@odata.nextLink'], `${emu.url}/api/alerts?%24top=3&%24skip=3`);
  assert.ok(first.value.every((a) => !('evidence' in a)), 'evidence only with $expand=evidence');
  const second = (await (await fetch(String(first['@odata.nextLink']), { headers: auth })).json()) as Record<string, unknown> & { value: unknown[] };
  assert.deepEqual([second.value.length, second['@odata.nextLink']], [3, `${emu.url}/api/alerts?%24top=3&%24skip=6`]);
  const last = (await (await fetch(String(second['@odata.nextLink']), { headers: auth })).json()) as Record<string, unknown> & { value: unknown[] };
  assert.deepEqual([last.value.length, last['@odata.nextLink']], [2, undefined]);
  assert.deepEqual(emu.served(), emu.alertIds(), '3 recorded + 5 generated, each served once');
  const expanded = (await (await fetch(`${emu.url}/api/alerts?$top=10&$skip=3&$expand=evidence`, { headers: auth })).json()) as { value: Record<string, unknown>[] };
  assert.ok(expanded.value.every((a) => Array.isArray(a['evidence'])));

  const tooMany = await fetch(`${emu.url}/api/alerts?$top=10001`, { headers: auth });
  assert.equal(tooMany.status, 400);
  assert.equal(((await tooMany.json()) as { error: { code: string } }).error.code, 'ODataError');
  const badBody = await fetch(`${emu.url}/api/machines/${[...emu.api.machines.keys()][1]}/isolate`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ comment: 'lower case' }) });
  assert.equal(badBody.status, 400);
  assert.deepEqual(((await badBody.json()) as { error: { code: string; message: string } }).error.code, 'InvalidRequestBody');
});

test('an injected 429 carries Retry-After in seconds and the Defender error body', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 1, faults: parseFaults('429:1'), retryAfterSeconds: 7 });
  t.after(() => emu.close());
  const auth = { authorization: `Bearer ${await token(emu.url, emu.settings)}` };
  const res = await fetch(`${emu.url}/api/alerts`, { headers: auth });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '7');
  assert.deepEqual(((await res.json()) as { error: { code: string } }).error.code, 'TooManyRequests');
});
