// The Falcon emulator speaks the API's shapes: raw HTTP against it, no connector in between.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFaults } from '../../sdk/index.js';
import { startCrowdStrikeEmulator } from './index.js';

async function token(url: string, settings: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: String(settings['clientId']), client_secret: String(settings['clientSecret']) }),
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-cs-region'), 'us-1');
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual([body['token_type'], body['expires_in']], ['bearer', 1799]);
  return String(body['access_token']);
}

test('the MSA envelope and rate-limit headers on every answer; ids then entities; 401 as an envelope', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 4, seed: 2 });
  t.after(() => emu.close());
  const anonymous = await fetch(`${emu.url}/alerts/queries/alerts/v2`);
  assert.equal(anonymous.status, 401);
  const denied = (await anonymous.json()) as { meta: { trace_id: string; query_time: number }; errors: { code: number; message: string }[] };
  assert.deepEqual(denied.errors, [{ code: 401, message: 'access denied, authorization failed' }]);
  assert.equal(anonymous.headers.get('x-cs-traceid'), denied.meta.trace_id);

  const auth = { authorization: `Bearer ${await token(emu.url, emu.settings)}` };
  const q = await fetch(`${emu.url}/alerts/queries/alerts/v2?limit=4&offset=1&sort=created_timestamp|asc`, { headers: auth });
  assert.equal(q.headers.get('x-ratelimit-limit'), '6000');
  assert.match(q.headers.get('x-ratelimit-remaining') ?? '', /^\d+$/);
  const ids = (await q.json()) as { resources: string[]; errors: unknown[]; meta: { pagination: Record<string, number> } };
  assert.deepEqual(ids.meta.pagination, { offset: 1, limit: 4, total: 6 });
  assert.deepEqual(ids.resources, emu.alertIds().slice(1, 5));
  assert.deepEqual(ids.errors, []);
  const e = await fetch(`${emu.url}/alerts/entities/alerts/v2`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ composite_ids: ids.resources }) });
  const entities = (await e.json()) as { resources: { composite_id: string }[] };
  assert.deepEqual(entities.resources.map((a) => a.composite_id), ids.resources);
  assert.deepEqual(emu.served(), ids.resources);
  const bad = await fetch(`${emu.url}/alerts/queries/alerts/v2?filter=${encodeURIComponent('bogus filter!!')}`, { headers: auth });
  assert.equal(bad.status, 400);
});

test('an injected 429 carries X-RateLimit-RetryAfter as an epoch second and no Retry-After', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 1, faults: parseFaults('429:1'), retryAfterSeconds: 5 });
  t.after(() => emu.close());
  const auth = { authorization: `Bearer ${await token(emu.url, emu.settings)}` };
  const before = Math.floor(Date.now() / 1000);
  const res = await fetch(`${emu.url}/alerts/queries/alerts/v2`, { headers: auth });
  assert.equal(res.status, 429);
  const at = Number(res.headers.get('x-ratelimit-retryafter'));
  assert.ok(at >= before + 5 && at <= before + 7, String(at));
  assert.equal(res.headers.get('retry-after'), null);
  assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
  assert.deepEqual(((await res.json()) as { errors: unknown[] }).errors, [{ code: 429, message: 'API rate limit exceeded.' }]);
});
