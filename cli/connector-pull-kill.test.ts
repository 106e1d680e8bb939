// A pull killed for real: `quell connector pull` in its own process against the loopback Elastic emulator, SIGKILLed
// once some pages are committed, then run again. Each page commits its records with its cursor in one transaction,
// so the second run must store exactly the rest: every alert the emulator holds once, none twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { emulator } from '../connectors/elastic/index.js';
import { openCore } from '../core/app.js';
import { secretEnvName } from '../core/connect/secrets.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { defer, tempDir } from '../core/store/journal.test-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = path.join(root, 'fixtures');

describe('a connector pull killed part-way', () => {
  test('SIGKILL after some pages, then pull again: every alert stored exactly once, the database intact', async (t) => {
    const em = await emulator.start({ contentDir: FIXTURES, alerts: 6_000, seed: 11 });
    defer(t, () => em.close());
    const home = tempDir(t);
    const env = {
      ...process.env,
      QUELL_HOME: home,
      QUELL_ANALYST: 'tester',
      NODE_OPTIONS: '',
      // The emulator's key reaches the connector through the environment layer of the secret store.
      [secretEnvName('lab', 'apiKey')]: String(em.settings.apiKey),
    };
    const quell = (...argv: string[]) => spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', ...argv], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const run = (...argv: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = quell(...argv);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });

    const created = await run('case', 'new', 'killed pull');
    assert.equal(created.code, 0, created.stderr);
    const caseId = created.stdout.trim();
    const added = await run('connector', 'add', 'elastic', 'lab', '--settings', JSON.stringify({ ...em.settings, pageSize: 50 }));
    assert.equal(added.code, 0, added.stderr);

    const dbPath = path.join(home, 'quell.db');
    // The test reads the file through core, on its own connection, as another `quell` would.
    const open = () => openCore({ dbPath, createDir: false, clock: systemClock, ids: sequentialIds(), appVersion: 'test' });
    const pagesCommitted = () => {
      const core = open();
      try {
        const row = core.store.db.prepare('SELECT pages FROM connector_cursors WHERE connector = ? AND case_id = ?').get('lab', caseId) as { pages: number } | undefined;
        return row?.pages ?? 0;
      } finally {
        core.close();
      }
    };

    // 6,002 alerts at 50 a page is 121 pages: kill once 5 are committed, well before the end.
    const first = quell('connector', 'pull', 'lab', '--case', caseId);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.on('exit', (_code, signal) => resolve(signal)));
    let pages = 0;
    for (let waited = 0; pages < 5 && waited < 60_000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
      pages = pagesCommitted();
    }
    first.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const atKill = pagesCommitted();
    assert.ok(atKill >= 5 && atKill < 120, `killed after ${atKill} pages`);

    const second = await run('--json', 'connector', 'pull', 'lab', '--case', caseId);
    assert.equal(second.code, 0, second.stderr);
    const summary = JSON.parse(second.stdout) as { stored: number; duplicates: number; caughtUp: boolean };
    assert.equal(summary.caughtUp, true);

    const core = open();
    const db = core.store.db;
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const ids = (db.prepare("SELECT json_extract(original, '$._id') AS id FROM events WHERE case_id = ? ORDER BY line").all(caseId) as { id: string }[]).map((r) => r.id);
      // The 6,000 generated alerts and the 2 recorded ones the emulator serves from fixtures/elastic.
      const total = em.alertIds().length;
      assert.equal(total, 6_002);
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, total);
      assert.deepEqual(ids, em.alertIds());
      // What the second run stored is exactly what the first had not committed.
      assert.deepEqual([summary.stored, summary.duplicates], [total - atKill * 50, 0]);
    } finally {
      core.close();
    }
  });
});
