// A real core behind a real host on an ephemeral 127.0.0.1 port, and a raw HTTP client for the requests fetch
// will not send as written (a foreign Host header, an unnormalised path).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { alice, defer, openTestCore, type TestCore } from '../../core/store/journal.test-helpers.js';
import { startHost, type Host } from './host.js';

export const TOKEN = 'test-token';
export const INDEX_HTML = '<!doctype html><title>Quell</title><script type="module" src="/app.js"></script>\n';

export interface TestHost {
  core: TestCore;
  host: Host;
  port: number;
  base: string;
  /** Authorization header with the launch token. */
  auth: { authorization: string };
}

/** `<tmp>/renderer` holds the page; `<tmp>/secret.txt` sits beside it, where no request may reach. */
export async function startTestHost(t: TestContext, options: { rendererDir?: null } = {}): Promise<TestHost> {
  const core = openTestCore(t);
  const rendererDir = path.join(core.dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(rendererDir, 'app.js'), 'console.log("quell");\n');
  fs.writeFileSync(path.join(core.dir, 'secret.txt'), 'not for the browser\n');
  const host = await startHost({
    router: core.router,
    port: 0,
    actor: alice,
    rendererDir: options.rendererDir === null ? null : rendererDir,
    uploadDir: path.join(core.dir, 'uploads'),
    token: TOKEN,
  });
  defer(t, () => host.close());
  return { core, host, port: host.port, base: `http://127.0.0.1:${host.port}`, auth: { authorization: `Bearer ${TOKEN}` } };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP/1.1 request exactly as given: the path is not normalised and a `host` header replaces the real one. */
export function rawRequest(
  port: number,
  request: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: request.method ?? 'GET', path: request.path, headers: request.headers ?? {}, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
