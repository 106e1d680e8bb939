// The retrying HTTP client against real loopback servers built with the emulator kit: 429 with each way of saying
// "wait", 5xx with backoff and full jitter, timeouts, cut-off bodies, a token that expires mid-pull, origins.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { ConnectorError } from './errors.js';
import { startEmulatorServer, type EmulatorReply, type EmulatorRoute } from './emulator.js';
import type { EmulatorOptions } from './emulator-contract.js';
import { createHttpClient, retryAfterMs, type HttpClientOptions, type RequestLog } from './http.js';

const vendorError = (status: number, message: string): EmulatorReply => ({ status, json: { error: { code: status, message } } });

/** A server whose route answers from a script: one reply per request, the last one repeated. */
async function scripted(t: TestContext, replies: EmulatorReply[], options: EmulatorOptions = {}, extra: EmulatorRoute[] = []) {
  let n = 0;
  const emu = await startEmulatorServer(
    {
      vendor: 'script',
      settings: (url) => ({ url }),
      alertIds: () => [],
      hooks: { error: vendorError },
      routes: [{ method: ['GET', 'POST'], path: '/thing', handle: () => replies[Math.min(n++, replies.length - 1)]! }, ...extra],
    },
    options,
  );
  t.after(() => emu.close());
  return { emu, calls: () => n };
}

function client(t: TestContext, url: string, extra: Partial<HttpClientOptions> = {}) {
  const waits: number[] = [];
  const logs: RequestLog[] = [];
  const c = createHttpClient({
    bases: { url },
    connector: 'test-conn',
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
    onRequest: (l) => logs.push(l),
    ...extra,
  });
  t.after(() => c.close());
  return { c, waits, logs };
}

describe('HTTP client retries', () => {
  test('429 with Retry-After seconds waits exactly that long, then returns the answer', async (t) => {
    const { emu, calls } = await scripted(t, [
      { ...vendorError(429, 'slow down'), headers: { 'retry-after': '2' } },
      { ...vendorError(429, 'slow down'), headers: { 'retry-after': '1' } },
      { json: { ok: 1 } },
    ]);
    const { c, waits, logs } = client(t, emu.url);
    const res = await c.request({ method: 'GET', path: '/thing', query: { secret: 'q', n: 3 } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: 1 });
    assert.equal(calls(), 3);
    assert.deepEqual(waits, [2000, 1000]);
    assert.deepEqual(
      logs.map((l) => [l.method, l.base, l.path, l.status, l.error, l.attempt, l.retryInMs]),
      [
        ['GET', 'url', '/thing', 429, null, 1, 2000],
        ['GET', 'url', '/thing', 429, null, 2, 1000],
        ['GET', 'url', '/thing', 200, null, 3, null],
      ],
    );
  });

  test('Retry-After as an HTTP date, X-RateLimit-RetryAfter and X-RateLimit-Reset as epoch seconds (or ms)', async (t) => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const { emu } = await scripted(t, [
      { ...vendorError(429, 'a'), headers: { 'retry-after': 'Mon, 23 Nov 2026 10:00:03 GMT' } },
      { ...vendorError(429, 'b'), headers: { 'x-ratelimit-retryafter': String(now / 1000 + 4) } },
      { ...vendorError(429, 'c'), headers: { 'x-ratelimit-reset': String(now + 1500) } },
      { ...vendorError(503, 'd'), headers: { 'retry-after': '7' } },
      { json: { ok: true } },
    ]);
    const { c, waits } = client(t, emu.url, { now: () => now, maxAttempts: 6 });
    assert.equal((await c.request({ method: 'GET', path: '/thing' })).status, 200);
    assert.deepEqual(waits, [3000, 4000, 1500, 7000]);
    assert.equal(retryAfterMs({ 'x-ratelimit-retryafter': String(now / 1000 - 60) }, now), 0);
    assert.equal(retryAfterMs({}, now), null);
  });

  test('5xx backs off exponentially with full jitter and gives up after maxAttempts with the vendor message', async (t) => {
    const { emu, calls } = await scripted(t, [vendorError(503, 'Service unavailable (maintenance)')]);
    const { c, waits } = client(t, emu.url, { backoff: { baseMs: 100, maxMs: 500 } });
    await assert.rejects(c.request({ method: 'GET', path: '/thing' }), (e: unknown) => {
      assert.ok(e instanceof ConnectorError);
      assert.equal(e.kind, 'server');
      assert.equal(e.status, 503);
      assert.equal(e.message, 'connector test-conn: GET /thing: HTTP 503 (after 5 attempts): Service unavailable (maintenance)');
      return true;
    });
    assert.equal(calls(), 5);
    // random() = 0.5 of min(500, 100·2^(n-1)).
    assert.deepEqual(waits, [50, 100, 200, 250]);
  });

  test('429 asking for longer than maxRetryAfterMs fails at once as rate_limited', async (t) => {
    const { emu, calls } = await scripted(t, [{ ...vendorError(429, 'x'), headers: { 'retry-after': '3600' } }]);
    const { c } = client(t, emu.url, { maxRetryAfterMs: 60_000 });
    await assert.rejects(c.request({ method: 'GET', path: '/thing' }), {
      name: 'ConnectorError',
      kind: 'rate_limited',
      message: 'connector test-conn: GET /thing: HTTP 429: the server asks to wait 3600 s, longer than 60 s',
    });
    assert.equal(calls(), 1);
  });

  test('other 4xx are returned for the connector to read; noRetry sends a 5xx-answered request once', async (t) => {
    const { emu, calls } = await scripted(t, [vendorError(404, 'no such host'), vendorError(500, 'boom')]);
    const { c } = client(t, emu.url);
    const res = await c.request({ method: 'GET', path: '/thing' });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: { code: 404, message: 'no such host' } });
    await assert.rejects(c.request({ method: 'POST', path: '/thing', json: {}, noRetry: true }), {
      message: 'connector test-conn: POST /thing: HTTP 500: boom',
    });
    assert.equal(calls(), 2);
  });

  test('a response held past the timeout is retried; the held request is never answered nor counted as served', async (t) => {
    const { emu } = await scripted(t, [{ json: { data: 1 }, served: ['a1'] }], { faults: [{ kind: 'slow', rate: 1 }], slowMs: 2000 });
    const { c, logs } = client(t, emu.url, { timeoutMs: 100, maxAttempts: 2 });
    await assert.rejects(c.request({ method: 'GET', path: '/thing' }), {
      kind: 'timeout',
      message: 'connector test-conn: GET /thing: no complete answer within 100 ms (after 2 attempts)',
    });
    assert.deepEqual(logs.map((l) => [l.status, l.error]), [[null, 'timeout'], [null, 'timeout']]);
    assert.deepEqual(emu.served(), []);
    assert.equal(emu.faultsInjected().slow, 2);
  });

  test('a truncated JSON body is retried, and named when it keeps coming; a cut-off page never counts as served', async (t) => {
    const emu = await startEmulatorServer(
      {
        vendor: 'trunc',
        settings: (url) => ({ url }),
        alertIds: () => ['x', 'y'],
        hooks: { error: vendorError },
        routes: [{ method: 'GET', path: '/page', handle: () => ({ json: { data: ['x', 'y'] }, served: ['x', 'y'] }) }],
      },
      { faults: [{ kind: 'truncate', rate: 1 }] },
    );
    t.after(() => emu.close());
    const { c, logs } = client(t, emu.url, { maxAttempts: 3 });
    // {"data":["x","y"]} is 19 bytes; the emulator sends the first 9 as a complete HTTP message.
    await assert.rejects(c.request({ method: 'GET', path: '/page' }), {
      kind: 'protocol',
      status: 200,
      message: 'connector test-conn: GET /page: HTTP 200 with a JSON body that does not parse (9 bytes, cut off?) (after 3 attempts)',
    });
    assert.deepEqual(logs.map((l) => l.error), ['protocol', 'protocol', 'protocol']);
    assert.equal(emu.faultsInjected().truncate, 3);
    assert.deepEqual(emu.served(), []);
  });

  test('a dropped connection is retried', async (t) => {
    let n = 0;
    const emu = await startEmulatorServer({
      vendor: 'drop',
      settings: (url) => ({ url }),
      alertIds: () => [],
      hooks: { error: vendorError },
      routes: [
        {
          method: 'GET',
          path: '/x',
          handle: () => {
            if (n++ === 0) throw new Error('crash');
            return { json: { fine: true } };
          },
        },
      ],
    });
    t.after(() => emu.close());
    const { c } = client(t, emu.url);
    // The handler's crash is the vendor's 500; it is retried like any 5xx.
    assert.deepEqual((await c.request({ method: 'GET', path: '/x' })).body, { fine: true });
    const refused = client(t, 'http://127.0.0.1:1', { maxAttempts: 2 });
    await assert.rejects(refused.c.request({ method: 'GET', path: '/x' }), {
      kind: 'network',
      message: 'connector test-conn: GET /x: nothing is listening at 127.0.0.1:1 (connection refused) (after 2 attempts)',
    });
  });

  test('a 401 calls onUnauthorized once and retries with the refreshed credentials', async (t) => {
    let valid = 'tok-1';
    const emu = await startEmulatorServer(
      {
        vendor: 'auth',
        settings: (url) => ({ url }),
        alertIds: () => [],
        hooks: {
          error: vendorError,
          authenticate: (req) => (req.headers.authorization === `Bearer ${valid}` ? null : vendorError(401, 'token expired')),
        },
        routes: [{ method: 'GET', path: '/me', handle: () => ({ json: { me: 'ok' } }) }],
      },
    );
    t.after(() => emu.close());
    let current = 'tok-1';
    let issued = 'tok-2';
    let refreshes = 0;
    const { c } = client(t, emu.url, {
      authorize: async (req) => void (req.headers.authorization = `Bearer ${current}`),
      onUnauthorized: async () => {
        refreshes++;
        current = issued;
      },
    });
    assert.equal((await c.request({ method: 'GET', path: '/me' })).status, 200);
    valid = 'tok-2'; // expired server-side mid-pull
    assert.deepEqual((await c.request({ method: 'GET', path: '/me' })).body, { me: 'ok' });
    assert.equal(refreshes, 1);
    valid = 'tok-3';
    issued = 'tok-stale';
    const onlyOnce = await c.request({ method: 'GET', path: '/me' });
    assert.equal(onlyOnce.status, 401, 'a second 401 is returned for the connector to phrase');
    assert.equal(refreshes, 2);
  });

  test('absolute URLs only on a configured origin; named bases; JSON and form bodies', async (t) => {
    const emu = await startEmulatorServer({
      vendor: 'echo',
      settings: (url) => ({ url }),
      alertIds: () => [],
      hooks: { error: vendorError },
      routes: [{ method: ['GET', 'POST'], path: /^\/echo\/.*$/, handle: (req) => ({ json: { path: req.path, q: req.query.toString(), body: req.body ?? null, type: req.headers['content-type'] ?? null } }) }],
    });
    t.after(() => emu.close());
    const { c } = client(t, 'http://127.0.0.1:9', { bases: { url: 'http://127.0.0.1:9/api', esUrl: `${emu.url}/echo` } });
    const json = await c.request({ method: 'POST', base: 'esUrl', path: '/_search', query: { size: 2 }, json: { a: 1 } });
    assert.deepEqual(json.body, { path: '/echo/_search', q: 'size=2', body: { a: 1 }, type: 'application/json' });
    const form = await c.request({ method: 'POST', base: 'esUrl', path: '/token', form: { grant_type: 'client_credentials' } });
    assert.deepEqual(form.body, { path: '/echo/token', q: '', body: { grant_type: 'client_credentials' }, type: 'application/x-www-form-urlencoded' });
    const next = await c.request({ method: 'GET', path: `${emu.url}/echo/next?$skip=10` });
    assert.deepEqual(next.body, { path: '/echo/next', q: '%24skip=10', body: null, type: null });
    await assert.rejects(c.request({ method: 'GET', path: 'https://evil.example:8443/steal?token=x' }), {
      kind: 'config',
      message: `connector test-conn: GET /steal: refusing to follow https://evil.example:8443/steal: its origin https://evil.example:8443 is not one of the configured base URLs (url http://127.0.0.1:9, esUrl ${emu.url})`,
    });
    await assert.rejects(c.request({ method: 'GET', base: 'kibanaUrl', path: '/x' }), {
      message: 'connector test-conn: GET /x: no base URL named kibanaUrl (configured: url, esUrl)',
    });
  });

  test('an abort stops the request and the backoff wait', async (t) => {
    const { emu } = await scripted(t, [{ json: {} }], { faults: [{ kind: 'slow', rate: 1 }], slowMs: 5000 });
    const ac = new AbortController();
    const c = createHttpClient({ bases: { url: emu.url }, signal: ac.signal, timeoutMs: 10_000 });
    t.after(() => c.close());
    const started = Date.now();
    setTimeout(() => ac.abort(new Error('stopped by the user')), 50);
    await assert.rejects(c.request({ method: 'GET', path: '/thing' }), { message: 'stopped by the user' });
    assert.ok(Date.now() - started < 2000);
  });
});

describe('HTTP client TLS', () => {
  const tlsDir = new URL('../../fixtures/tls/', import.meta.url);
  const read = (name: string) => fs.readFileSync(new URL(name, tlsDir), 'utf8');

  test('a CA file is trusted; an unknown CA is refused at once, naming the fix; allowSelfSigned skips the check', async (t) => {
    const server = https.createServer({ cert: read('server.pem'), key: read('server-key.pem') }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"tls":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const withCa = client(t, url, { tls: { caFile: new URL('ca.pem', tlsDir).pathname } });
    assert.deepEqual((await withCa.c.request({ method: 'GET', path: '/' })).body, { tls: true });

    const untrusted = client(t, url);
    await assert.rejects(untrusted.c.request({ method: 'GET', path: '/' }), {
      kind: 'config',
      message: `connector test-conn: GET /: the TLS certificate of 127.0.0.1:${url.split(':')[2]} is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE); set a CA file or allow self-signed certificates`,
    });
    assert.equal(untrusted.logs.length, 1, 'not retried');

    const lab = client(t, url, { tls: { allowSelfSigned: true } });
    assert.equal((await lab.c.request({ method: 'GET', path: '/' })).status, 200);
    assert.throws(() => createHttpClient({ bases: { url }, connector: 'test-conn', tls: { caFile: '/nonexistent/ca.pem' } }), {
      kind: 'config',
      message: 'connector test-conn: cannot read the CA file /nonexistent/ca.pem: ENOENT',
    });
  });
});

describe('emulator kit', () => {
  test('bad JSON gets the vendor 400; actions are recorded with Authorization redacted; 127.0.0.1 only', async (t) => {
    const emu = await startEmulatorServer({
      vendor: 'kit',
      settings: (url) => ({ url }),
      alertIds: () => [],
      hooks: { error: vendorError },
      routes: [
        {
          method: 'POST',
          path: '/act',
          handle: (_req, ctx) => {
            ctx.recordAction('contain');
            return { status: 202, json: { accepted: true } };
          },
        },
      ],
    });
    t.after(() => emu.close());
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const { c } = client(t, emu.url);
    const raw = await fetch(`${emu.url}/act`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t0p' }, body: '{"ids": [1,' });
    assert.equal(raw.status, 400);
    assert.match(((await raw.json()) as { error: { message: string } }).error.message, /^request body is not valid JSON: /);
    const ok = await c.request({ method: 'POST', path: '/act', headers: { authorization: 'Bearer t0p', 'x-trace': '7' }, json: { ids: ['h1'] } });
    assert.equal(ok.status, 202);
    const recorded = emu.actions();
    assert.equal(recorded.length, 1, 'the request with bad JSON never reached the handler');
    const last = recorded[0]!;
    assert.deepEqual([last.action, last.method, last.path, last.body, last.headers.authorization, last.headers['x-trace']], ['contain', 'POST', '/act', { ids: ['h1'] }, '<redacted>', '7']);
    const unknown = await c.request({ method: 'GET', path: '/nope' });
    assert.deepEqual([unknown.status, unknown.body], [404, { error: { code: 404, message: 'no route for GET /nope' } }]);
  });
});
