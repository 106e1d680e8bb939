import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFaults } from '../../sdk/index.js';
import { EMULATOR_API_KEY, startElasticEmulator } from './index.js';

const auth = { authorization: `ApiKey ${EMULATOR_API_KEY}`, 'content-type': 'application/json' };
const kbn = { ...auth, 'kbn-xsrf': 'true' };

async function json(res: Response) {
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('elastic emulator speaks the documented API', () => {
  test('signals/search ignores search_after and from, as Kibana strips them', async () => {
    const em = await startElasticEmulator({ alerts: 30, seed: 1 });
    try {
      const sort = [{ '@timestamp': 'asc' }, { 'kibana.alert.uuid': 'asc' }];
      const post = (body: unknown) => fetch(`${em.url}/api/detection_engine/signals/search`, { method: 'POST', headers: kbn, body: JSON.stringify(body) }).then(json);
      const first = await post({ size: 5, sort, query: { match_all: {} } });
      const hits = (first.body.hits as { hits: { _id: string; sort: unknown[] }[] }).hits;
      const again = await post({ size: 5, sort, query: { match_all: {} }, search_after: hits[4]?.sort, from: 5 });
      assert.deepEqual(
        (again.body.hits as { hits: { _id: string }[] }).hits.map((h) => h._id),
        hits.map((h) => h._id),
      );
      assert.deepEqual(hits.map((h) => h._id), em.alertIds().slice(0, 5));
    } finally {
      await em.close();
    }
  });

  test('PIT: open, search with a rotating pit_id and the implicit _shard_doc, search_after arity checked, close', async () => {
    const em = await startElasticEmulator({ alerts: 12, seed: 2 });
    const es = String(em.settings.esUrl);
    try {
      const missingKeepAlive = await fetch(`${es}/.alerts-security.alerts-default/_pit`, { method: 'POST', headers: auth }).then(json);
      assert.equal(missingKeepAlive.status, 400);
      const opened = await fetch(`${es}/.alerts-security.alerts-default/_pit?keep_alive=1m`, { method: 'POST', headers: auth }).then(json);
      const id = String(opened.body.id);
      const search = (body: unknown) => fetch(`${es}/_search`, { method: 'POST', headers: auth, body: JSON.stringify(body) }).then(json);
      const page = await search({ size: 5, pit: { id, keep_alive: '1m' }, sort: [{ '@timestamp': 'asc' }, { 'kibana.alert.uuid': 'asc' }] });
      const hits = (page.body.hits as { hits: { _id: string; sort: unknown[] }[] }).hits;
      assert.equal(hits[0]?.sort.length, 3);
      assert.notEqual(page.body.pit_id, id);
      const bad = await search({ size: 5, pit: { id: page.body.pit_id }, sort: [{ '@timestamp': 'asc' }], search_after: [1, 'x'] });
      // [@timestamp] plus the implicit _shard_doc: two sort values are right.
      assert.equal(bad.status, 200);
      const wrong = await search({ size: 5, pit: { id: page.body.pit_id }, sort: [{ '@timestamp': 'asc' }], search_after: [1] });
      assert.deepEqual(wrong, {
        status: 400,
        body: {
          error: {
            root_cause: [{ type: 'illegal_argument_exception', reason: 'search_after has 1 value(s) but sort has 2.' }],
            type: 'illegal_argument_exception',
            reason: 'search_after has 1 value(s) but sort has 2.',
          },
          status: 400,
        },
      });
      const next = await search({ size: 50, pit: { id: page.body.pit_id }, sort: [{ '@timestamp': 'asc' }, { 'kibana.alert.uuid': 'asc' }], search_after: hits[4]?.sort });
      assert.deepEqual(
        (next.body.hits as { hits: { _id: string }[] }).hits.map((h) => h._id),
        em.alertIds().slice(5),
      );
      const closed = await fetch(`${es}/_pit`, { method: 'DELETE', headers: auth, body: JSON.stringify({ id: next.body.pit_id }) }).then(json);
      assert.deepEqual(closed, { status: 200, body: { succeeded: true, num_freed: 1 } });
      const gone = await search({ size: 1, pit: { id } });
      assert.equal(gone.status, 404);
      assert.equal((gone.body.error as { type: string }).type, 'search_context_missing_exception');
    } finally {
      await em.close();
    }
  });

  test('auth failures in each product\'s envelope; the old isolate route redirects with 308', async () => {
    const em = await startElasticEmulator({ alerts: 1, seed: 3 });
    try {
      const kibana401 = await fetch(`${em.url}/api/status`).then(json);
      assert.deepEqual(kibana401, { status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' } });
      const es401 = await fetch(`${String(em.settings.esUrl)}/_search`, { method: 'POST', headers: { authorization: 'Basic eDp5' } }).then(json);
      assert.equal(es401.status, 401);
      assert.equal((es401.body.error as { type: string }).type, 'security_exception');
      const legacy = await fetch(`${em.url}/api/endpoint/isolate`, { method: 'POST', headers: kbn, body: '{}', redirect: 'manual' });
      assert.equal(legacy.status, 308);
      assert.equal(legacy.headers.get('location'), '/api/endpoint/action/isolate');
    } finally {
      await em.close();
    }
  });

  test('injected 429 on Elasticsearch is es_rejected_execution_exception without Retry-After', async () => {
    const em = await startElasticEmulator({ alerts: 1, seed: 3, faults: parseFaults('429:1') });
    try {
      const res = await fetch(`${String(em.settings.esUrl)}/_security/_authenticate`, { headers: auth });
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), null);
      assert.equal(((await res.json()) as { error: { type: string } }).error.type, 'es_rejected_execution_exception');
    } finally {
      await em.close();
    }
  });
});
