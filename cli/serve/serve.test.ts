// `quell serve` end to end in this process: the command the user runs, not just the host it starts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { openCore, sequentialIds, systemClock } from '../../core/index.js';
import { tempDir } from '../../core/store/journal.test-helpers.js';
import type { CliIo } from '../io.js';
import { builtInVendors } from '../connector-registry.js';
import { runCli } from '../main.js';
import { INDEX_HTML } from './host.test-helpers.js';

function serveIo(t: TestContext) {
  const home = tempDir(t);
  const rendererDir = path.join(home, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  const out = { stdout: '', stderr: '' };
  let stop!: () => void;
  let ready!: (url: string) => void;
  const url = new Promise<string>((resolve) => (ready = resolve));
  const io: CliIo = {
    stdout: (text) => (out.stdout += text),
    stderr: (text) => (out.stderr += text),
    env: { QUELL_HOME: home, QUELL_ANALYST: 'tester', QUELL_RENDERER_DIR: rendererDir },
    untilStopped: new Promise<void>((resolve) => (stop = resolve)),
    onReady: (info) => ready(info.url),
  };
  const withTimeout = <T>(promise: Promise<T>, what: string) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), 15_000).unref())]);
  return { home, io, out, stop: () => stop(), url: withTimeout(url, 'serve never became ready'), withTimeout };
}

describe('quell serve', () => {
  test('seeds the demo, serves the page, streams what another process commits, and stops with exit 0', async (t) => {
    const { home, io: withVendors, out, stop, url, withTimeout } = serveIo(t);
    // The demo's connectors have their own test below; here the case holds the imported evidence only.
    const io: CliIo = { ...withVendors, vendors: [] };
    const serving = runCli(['serve', '--port', '0', '--seed-demo'], io);
    const pageUrl = await url;

    const dbPath = path.join(home, 'quell.db');
    const printed = out.stdout.match(
      /^Created the demo case (case_[0-9a-f]{32})\.\nQuell is serving (.+)\nOpen (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]{43})\n\(only this machine can connect; the token in the URL changes at every launch; Ctrl\+C stops\)\n$/,
    );
    assert.ok(printed, out.stdout);
    const [, caseId, servedPath, printedUrl, port] = printed;
    assert.deepEqual([servedPath, printedUrl], [dbPath, pageUrl]);

    const page = await fetch(pageUrl);
    assert.deepEqual([page.status, await page.text()], [200, INDEX_HTML]);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    assert.match(cookie, new RegExp(`^quell_token_${port}=`));

    const stream = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { cookie }, signal: AbortSignal.timeout(5000) });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (marker: RegExp) => {
      while (!marker.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${received}`);
        received += value;
      }
    };
    await readUntil(/: connected\n\n/);

    // The demo case carries the LSASS campaign evidence from fixtures/: one correlated incident.
    const seeded = openCore({ dbPath, createDir: false, clock: systemClock, ids: sequentialIds(), appVersion: 'test' });
    const head = seeded.store.journal.headSeq();
    const incidents = seeded.store.events.incidents(caseId!);
    const events = (seeded.store.db.prepare('SELECT count(*) AS n FROM events WHERE case_id = ?').get(caseId) as { n: number }).n;
    seeded.close();
    assert.deepEqual([events, incidents.length, incidents[0]!.memberCount], [1695, 1, 1657]);

    // Another `quell` (its own connection to the file) adds a note; serve notices within its poll interval.
    let other = '';
    const code = await runCli(['note', 'add', caseId!, 'seen from the CLI'], { ...io, stdout: (text) => (other += text) });
    assert.equal(code, 0);
    await withTimeout(readUntil(/event: journal\.appended\ndata: .*\n\n/), 'no event for the other process’s note');
    const data = JSON.parse(received.match(/^data: (.*)$/m)![1]!) as Record<string, unknown>;
    assert.deepEqual([data.seq, data.action, data.caseId, data.actor, data.payload], [
      head + 1,
      'note.added',
      caseId,
      { kind: 'analyst', id: 'tester' },
      { noteId: other.trim(), body: 'seen from the CLI' },
    ]);

    stop();
    assert.equal(await withTimeout(serving, 'serve did not stop'), 0);
    assert.equal(out.stderr, '');
    await assert.rejects(fetch(pageUrl), { name: 'TypeError', message: 'fetch failed' });
  });

  test('the demo connects a connector to each built-in emulator and pulls their alerts into the demo case', async (t) => {
    const { home, io, out, stop, url, withTimeout } = serveIo(t);
    const serving = runCli(['serve', '--seed-demo'], io);
    await url;
    const names = builtInVendors.map((v) => `demo-${v.connector.manifest.id}`);
    assert.match(out.stdout, new RegExp(`\nDemo connectors \\(emulated, on this machine only\\): ${names.join(', ')}\n`));
    const pulled = () => [...out.stdout.matchAll(/^(demo-[a-z]+): (\d+) alerts pulled into the demo case$/gm)];
    await withTimeout(
      (async () => {
        while (pulled().length < names.length) await new Promise((r) => setTimeout(r, 100));
      })(),
      `demo pulls: ${out.stdout}`,
    );
    stop();
    assert.equal(await withTimeout(serving, 'serve did not stop'), 0);
    assert.equal(out.stderr, '');

    // What each connector says it pulled is in the case, beside the 1,695 imported records.
    assert.deepEqual(pulled().map((m) => m[1]), names);
    const core = openCore({ dbPath: path.join(home, 'quell.db'), createDir: false, clock: systemClock, ids: sequentialIds(), appVersion: 'test' });
    try {
      const caseId = (core.store.db.prepare('SELECT id FROM cases').get() as { id: string }).id;
      const events = (core.store.db.prepare('SELECT count(*) AS n FROM events WHERE case_id = ?').get(caseId) as { n: number }).n;
      assert.equal(events, 1695 + pulled().reduce((n, m) => n + Number(m[2]), 0));
      assert.ok(pulled().every((m) => Number(m[2]) >= 200), out.stdout);
      const connectors = core.store.db.prepare('SELECT name FROM connectors ORDER BY name').all() as { name: string }[];
      assert.deepEqual(connectors.map((c) => c.name), [...names].sort());
    } finally {
      core.close();
    }
  });

  test('--json prints the URL, port and database as one JSON line; the demo is not seeded twice', async (t) => {
    const { home, io, out, stop, url } = serveIo(t);
    assert.equal(await runCli(['case', 'new', 'existing'], { ...io, stdout: () => {} }), 0);
    const serving = runCli(['--json', 'serve', '--seed-demo'], io);
    const pageUrl = await url;
    stop();
    assert.equal(await serving, 0);
    const port = Number(new URL(pageUrl).port);
    assert.deepEqual(JSON.parse(out.stdout), { url: pageUrl, port, dbPath: path.join(home, 'quell.db') });
    // A database in use gets no demo case and no demo connectors.
    const core = openCore({ dbPath: path.join(home, 'quell.db'), createDir: false, clock: systemClock, ids: sequentialIds(), appVersion: 'test' });
    try {
      assert.equal((core.store.db.prepare('SELECT count(*) AS n FROM connectors').get() as { n: number }).n, 0);
    } finally {
      core.close();
    }
  });
});
