import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { CONTENT_SECURITY_POLICY } from '../../core/index.js';
import { INDEX_HTML, TOKEN, rawRequest, startTestHost } from './host.test-helpers.js';

const UNAUTHORIZED = {
  ok: false,
  error: { code: 'unauthorized', message: 'Missing or wrong access token: open the URL that "quell serve" printed.' },
};

const invoke = (base: string, headers: Record<string, string>, body: string) =>
  fetch(`${base}/api/invoke`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** Resolves with the error code of a TCP connection attempt, or 'connected'. */
const connectTo = (host: string, port: number) =>
  new Promise<string>((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });

describe('quell serve host: who may connect', () => {
  test('it listens on 127.0.0.1 only', async (t) => {
    const { host, port } = await startTestHost(t);
    assert.equal(host.url, `http://127.0.0.1:${port}/?token=${TOKEN}`);
    assert.equal(await connectTo('127.0.0.1', port), 'connected');
    const elsewhere = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    if (process.platform === 'linux') elsewhere.push('127.0.0.2'); // all of 127/8 is loopback on Linux
    for (const address of elsewhere) assert.equal(await connectTo(address, port), 'ECONNREFUSED', address);
  });

  test('no token, a wrong token or another port’s cookie: 401', async (t) => {
    const { base, port } = await startTestHost(t);
    const body = JSON.stringify({ command: 'case.list', input: {} });
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Basic ${TOKEN}` },
      { cookie: `quell_token_${port + 1}=${TOKEN}` },
    ]) {
      const res = await invoke(base, headers, body);
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.deepEqual(await res.json(), UNAUTHORIZED);
    }
    const page = await fetch(`${base}/?token=nope`);
    assert.deepEqual([page.status, page.headers.get('set-cookie'), await page.json()], [401, null, UNAUTHORIZED]);
  });

  test('a foreign Host header is refused even with the token: 403 (DNS rebinding)', async (t) => {
    const { port, auth } = await startTestHost(t);
    const res = await rawRequest(port, { path: '/', headers: { ...auth, host: `evil.example:${port}` } });
    assert.equal(res.status, 403);
    assert.deepEqual(JSON.parse(res.body), {
      ok: false,
      error: { code: 'forbidden', message: `Host "evil.example:${port}" is refused: Quell answers only to 127.0.0.1:${port}.` },
    });
    const localhost = await rawRequest(port, { path: '/', headers: { ...auth, host: `localhost:${port}` } });
    assert.deepEqual([localhost.status, localhost.body], [200, INDEX_HTML]);
  });

  test('a foreign Origin is refused even with the token: 403', async (t) => {
    const { base, port, auth } = await startTestHost(t);
    const body = JSON.stringify({ command: 'case.create', input: { name: 'from a web page' } });
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`]) {
      const res = await invoke(base, { ...auth, origin }, body);
      assert.equal(res.status, 403, origin);
      assert.deepEqual(await res.json(), {
        ok: false,
        error: { code: 'forbidden', message: `Origin "${origin}" is refused: only Quell's own page may call it.` },
      });
    }
    const own = await invoke(base, { ...auth, origin: `http://localhost:${port}` }, JSON.stringify({ command: 'case.list', input: {} }));
    assert.deepEqual([own.status, await own.json()], [200, { ok: true, value: { cases: [] } }]);
  });
});

describe('quell serve host: /api/invoke', () => {
  test('a valid command: 200 with the result; the case is in the database', async (t) => {
    const { base, auth, core } = await startTestHost(t);
    const res = await invoke(base, auth, JSON.stringify({ command: 'case.create', input: { name: 'x' } }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    const created = {
      id: 'case_0001',
      name: 'x',
      description: '',
      status: 'open',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    assert.deepEqual(await res.json(), { ok: true, value: created });
    assert.deepEqual(core.store.cases.list(), [created]);
    assert.deepEqual(core.store.journal.list({ afterSeq: 0, limit: 10 }).map((e) => [e.action, e.actor]), [
      ['case.created', { kind: 'analyst', id: 'alice' }],
    ]);
  });

  test('a body over 16 MiB gets a readable 413, not a reset connection', async (t) => {
    const { base, auth } = await startTestHost(t);
    const res = await invoke(base, auth, `{"command":"case.create","input":{"name":"${'x'.repeat(17 * 1024 * 1024)}"}}`);
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { ok: false, error: { code: 'invalid_input', message: 'Request body is larger than 16777216 bytes.' } });
  });

  test('invalid input: 400 with the issues', async (t) => {
    const { base, auth } = await startTestHost(t);
    const res = await invoke(base, auth, JSON.stringify({ command: 'case.create', input: { name: '' } }));
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      ok: false,
      error: { code: 'invalid_input', message: 'Invalid input for case.create.', issues: [{ path: 'input.name', message: 'a case needs a name' }] },
    });
  });

  test('a body that is not JSON, or not a command envelope: 400', async (t) => {
    const { base, auth } = await startTestHost(t);
    const notJson = await invoke(base, auth, 'not json');
    const parseMessage = (() => {
      try {
        JSON.parse('not json');
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    assert.deepEqual([notJson.status, await notJson.json()], [
      400,
      { ok: false, error: { code: 'invalid_input', message: `Request body is not JSON: ${parseMessage}` } },
    ]);

    const noCommand = await invoke(base, auth, JSON.stringify({ input: {} }));
    assert.deepEqual([noCommand.status, await noCommand.json()], [
      400,
      {
        ok: false,
        error: {
          code: 'invalid_input',
          message: 'Request must be {"command": NAME, "input": {...}}.',
          issues: [{ path: 'body.command', message: 'Invalid input: expected string, received undefined' }],
        },
      },
    ]);
  });

  test('wrong content type: 415; wrong method: 405', async (t) => {
    const { base, auth } = await startTestHost(t);
    const text = await fetch(`${base}/api/invoke`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' });
    assert.deepEqual([text.status, await text.json()], [
      415,
      { ok: false, error: { code: 'invalid_input', message: 'Send the command as application/json.' } },
    ]);
    const get = await fetch(`${base}/api/invoke`, { headers: auth });
    assert.deepEqual([get.status, await get.json()], [405, { ok: false, error: { code: 'invalid_input', message: 'Use POST for /api/invoke.' } }]);
  });

  test('an unknown command: 404 unknown_command; a missing case: 404 not_found', async (t) => {
    const { base, auth } = await startTestHost(t);
    const unknown = await invoke(base, auth, JSON.stringify({ command: 'nope', input: {} }));
    assert.deepEqual([unknown.status, await unknown.json()], [
      404,
      { ok: false, error: { code: 'unknown_command', message: 'Unknown command "nope".', details: { command: 'nope' } } },
    ]);
    const missing = await invoke(base, auth, JSON.stringify({ command: 'note.add', input: { caseId: 'case_9999', body: 'b' } }));
    assert.deepEqual([missing.status, await missing.json()], [
      404,
      { ok: false, error: { code: 'not_found', message: 'No case with id case_9999.', details: { caseId: 'case_9999' } } },
    ]);
  });
});

describe('quell serve host: the page', () => {
  test('?token= serves the page with the CSP and sets a strict HttpOnly cookie that then authenticates alone', async (t) => {
    const { base, port } = await startTestHost(t);
    const page = await fetch(`${base}/?token=${TOKEN}`);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), INDEX_HTML);
    assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const cookie = `quell_token_${port}=${TOKEN}`;
    assert.equal(page.headers.get('set-cookie'), `${cookie}; HttpOnly; SameSite=Strict; Path=/`);

    const script = await fetch(`${base}/app.js`, { headers: { cookie } });
    assert.deepEqual(
      [script.status, script.headers.get('content-type'), script.headers.get('set-cookie'), await script.text()],
      [200, 'text/javascript; charset=utf-8', null, 'console.log("quell");\n'],
    );
    const call = await invoke(base, { cookie: `other=1; ${cookie}` }, JSON.stringify({ command: 'case.list', input: {} }));
    assert.deepEqual([call.status, await call.json()], [200, { ok: true, value: { cases: [] } }]);
  });

  test('nothing outside the renderer folder is served', async (t) => {
    const { port, auth } = await startTestHost(t);
    for (const [requested, named] of [
      ['/../secret.txt', '/secret.txt'],
      ['/%2e%2e/secret.txt', '/secret.txt'],
      ['/..%2fsecret.txt', '/..%2fsecret.txt'],
      ['/..%5csecret.txt', '/..%5csecret.txt'],
      ['/../package.json', '/package.json'],
      ['/%2fetc%2fpasswd', '/%2fetc%2fpasswd'],
      ['/missing.js', '/missing.js'],
      // Regression: a malformed %-escape threw URIError and was answered as a 500 "bug".
      ['/%E0%A4%A', '/%E0%A4%A'],
    ] as const) {
      const res = await rawRequest(port, { path: requested, headers: auth });
      assert.equal(res.status, 404, requested);
      assert.deepEqual(JSON.parse(res.body), { ok: false, error: { code: 'not_found', message: `No such file: ${named}` } }, requested);
    }
  });

  test('without a built renderer the page is a 503 that says how to build it', async (t) => {
    const { base } = await startTestHost(t, { rendererDir: null });
    const res = await fetch(`${base}/?token=${TOKEN}`);
    assert.deepEqual([res.status, await res.json()], [
      503,
      {
        ok: false,
        error: { code: 'unavailable', message: 'The Quell UI has not been built: run "npm run build" in the Quell folder, then start again.' },
      },
    ]);
  });
});

describe('quell serve host: /api/events', () => {
  test('delivers journal.appended for a case created after connecting', async (t) => {
    const { base, auth, core } = await startTestHost(t);
    const res = await fetch(`${base}/api/events`, { headers: auth, signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (marker: RegExp) => {
      while (!marker.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${marker}: ${received}`);
        received += value;
      }
    };
    await readUntil(/^: connected\n\n/);

    const created = await invoke(base, auth, JSON.stringify({ command: 'case.create', input: { name: 'live' } }));
    assert.equal(created.status, 200);
    await readUntil(/\n\n.*\n\n$/s);
    const [, block] = received.split(': connected\n\n');
    const lines = block!.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 2), ['id: 1', 'event: journal.appended']);
    assert.equal(lines.length, 3);
    assert.ok(lines[2]!.startsWith('data: '));
    assert.deepEqual(JSON.parse(lines[2]!.slice('data: '.length)), core.store.journal.list({ afterSeq: 0, limit: 10 })[0]);
    await reader.cancel();
  });

  test('the event stream needs the token too', async (t) => {
    const { base } = await startTestHost(t);
    const res = await fetch(`${base}/api/events`);
    assert.deepEqual([res.status, await res.json()], [401, UNAUTHORIZED]);
  });
});
