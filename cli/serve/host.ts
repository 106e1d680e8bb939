import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { CONTENT_SECURITY_POLICY, InvokeRequest, describeIssues, eventNames, type Actor, type ApiError, type Router } from '../../core/index.js';
import { httpStatusFor } from './status.js';

export interface HostOptions {
  router: Router;
  port: number;
  actor: Actor;
  rendererDir: string | null;
  /** Where uploaded evidence files are written before import (browser mode cannot hand over file paths). */
  uploadDir: string;
  /** Fixed token for tests; otherwise 32 random bytes per launch. */
  token?: string;
}

export interface Host {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;
const UploadName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\\0]+$/)
  .refine((n) => n !== '.' && n !== '..');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer', // the page URL carries the token
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * The browser host: the same router the CLI and Electron use, over HTTP on 127.0.0.1 only. Defences in order:
 * the Host header must name this loopback port (stops DNS rebinding), an Origin header must be this origin (stops
 * other sites' pages), and every request must carry the launch token (stops other local users and programs).
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const clients = new Set<http.ServerResponse>();
  let port = options.port;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, { code: 'bug', message: `Host failure: ${String(err)}` });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    const host = req.headers.host ?? '';
    if (!allowedHosts.includes(host)) {
      return sendError(res, 403, { code: 'forbidden', message: `Host "${host}" is refused: Quell answers only to 127.0.0.1:${port}.` });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) {
      return sendError(res, 403, { code: 'forbidden', message: `Origin "${origin}" is refused: only Quell's own page may call it.` });
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const cookieName = `quell_token_${port}`;
    const presented = presentedToken(req, url, cookieName);
    if (!presented || !sameToken(presented, tokenBytes)) {
      return sendError(res, 401, {
        code: 'unauthorized',
        message: 'Missing or wrong access token: open the URL that "quell serve" printed.',
      });
    }

    if (url.pathname === '/api/invoke') {
      if (req.method !== 'POST') return sendError(res, 405, { code: 'invalid_input', message: 'Use POST for /api/invoke.' });
      return invoke(req, res);
    }
    if (url.pathname === '/api/events') return streamEvents(req, res);
    if (url.pathname === '/api/upload') {
      if (req.method !== 'POST') return sendError(res, 405, { code: 'invalid_input', message: 'Use POST for /api/upload.' });
      return upload(req, res, url);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 405, { code: 'invalid_input', message: `${req.method} is not allowed here.` });
    }
    // The page is opened with ?token=…; a strict, HttpOnly cookie then authenticates its scripts, fetches and events.
    const setCookie = url.searchParams.has('token')
      ? { 'set-cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/` }
      : {};
    return serveStatic(url.pathname, res, setCookie);
  }

  async function invoke(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) {
      return sendError(res, 415, { code: 'invalid_input', message: 'Send the command as application/json.' });
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (err) {
      const tooBig = err instanceof BodyTooLarge;
      if (tooBig) res.setHeader('connection', 'close');
      return sendError(res, tooBig ? 413 : 400, {
        code: 'invalid_input',
        message: tooBig ? `Request body is larger than ${MAX_BODY} bytes.` : `Request body is not JSON: ${(err as Error).message}`,
      });
    }
    const request = InvokeRequest.safeParse(body);
    if (!request.success) {
      return sendError(res, 400, {
        code: 'invalid_input',
        message: 'Request must be {"command": NAME, "input": {...}}.',
        issues: describeIssues(request.error, 'body'),
      });
    }
    const result = await options.router.invoke(request.data.command, request.data.input, options.actor);
    sendJson(res, result.ok ? 200 : httpStatusFor(result.error.code), result);
  }

  /** Streams one file to disk (never held in memory) and answers its path for evidence.import. */
  async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const name = UploadName.safeParse(url.searchParams.get('name'));
    if (!name.success) {
      return sendError(res, 400, { code: 'invalid_input', message: 'Upload needs ?name= with a plain file name (no folders).' });
    }
    fs.mkdirSync(options.uploadDir, { recursive: true });
    // A folder per upload keeps the user's file name as the file's own name, so imports and quarantine show it.
    const folder = path.join(options.uploadDir, `${Date.now()}-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(folder);
    const target = path.join(folder, name.data);
    try {
      await pipeline(req, fs.createWriteStream(target, { flags: 'wx' }));
    } catch (err) {
      fs.rmSync(target, { force: true });
      return sendError(res, 400, { code: 'invalid_input', message: `Upload of ${name.data} failed: ${(err as Error).message}` });
    }
    sendJson(res, 200, { ok: true, value: { path: target, bytes: fs.statSync(target).size } });
  }

  function streamEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    clients.add(res);
    // Every event of the contract goes to the page: journal entries and the progress of long work.
    const offs = eventNames.map((name) =>
      options.router.subscribe(name, (payload) => {
        const id = name === 'journal.appended' ? `id: ${(payload as { seq: number }).seq}\n` : '';
        res.write(`${id}event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
    req.on('close', () => {
      clearInterval(ping);
      for (const off of offs) off();
      clients.delete(res);
    });
  }

  function serveStatic(pathname: string, res: http.ServerResponse, extra: Record<string, string>): void {
    const dir = options.rendererDir;
    if (!dir) {
      return sendError(res, 503, {
        code: 'unavailable',
        message: 'The Quell UI has not been built: run "npm run build" in the Quell folder, then start again.',
      });
    }
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      decoded = undefined; // malformed %-escapes name no file; without this they surfaced as a 500 "bug"
    }
    const relative = pathname === '/' ? 'index.html' : decoded?.replace(/^\/+/, '');
    const file = relative === undefined ? undefined : path.resolve(dir, relative);
    if (!file || !file.startsWith(path.resolve(dir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return sendError(res, 404, { code: 'not_found', message: `No such file: ${pathname}` });
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      ...extra,
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
    });
    fs.createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new Error(`port ${options.port} on 127.0.0.1 is already in use; pick another with --port`);
    throw err;
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function presentedToken(req: http.IncomingMessage, url: URL, cookieName: string): string | undefined {
  const query = url.searchParams.get('token');
  if (query) return query;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookieName) return value.join('=');
  }
  return undefined;
}

function sameToken(presented: string, expected: Buffer): boolean {
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        // Stop reading but keep the socket, so the 413 reply still reaches the client; it closes afterwards.
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendError(res: http.ServerResponse, status: number, error: ApiError): void {
  sendJson(res, status, { ok: false, error });
}
