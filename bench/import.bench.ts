// Alerts imported per second, end to end through the CLI, against bare better-sqlite3 inserting the same rows; and the
// importer's peak memory. One import run (a million alerts in three NDJSON files) feeds all three figures.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { alertMix, generateAlertFiles, type GeneratedFile } from './generate-alerts.js';
import type { BaselineResult } from './import-baseline.js';
import { removeDb, tempDir, type BenchOptions, type Figure, type Trial } from './figure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const BATCH = 2000;
/** The goals: at least 0.8 of the bare insert, and at most 400 MB resident. */
const RATIO_TARGET = 0.8;
const RSS_LIMIT_MB = 400;
const MB = 1e6;

interface QuellRun {
  stored: number;
  incidents: number;
  /** From spawning the CLI to its exit. */
  wallSeconds: number;
  /** Spawn to the first `import.started`: Node, tsx, opening the database. */
  startupSeconds: number;
  /** First `import.started` to the last `import.finished`, from the journal. */
  ingestSeconds: number;
  /** Last `import.finished` to exit: incident regrouping, the totals and the exit. */
  regroupSeconds: number;
  peakRssMB: number;
  /** The highest VmHWM sampled (every 3 s) while files were still being read: the streaming part alone. */
  ingestPeakRssMB: number;
  /** Set when every file was imported but the command then failed (in the regrouping): its error output. */
  failure: string | null;
  db: string;
  caseId: string;
}

interface BaseRun extends BaselineResult {
  peakRssMB: number;
}

const progress = (text: string) => process.stderr.write(`\r\x1b[K${text}`);
const n = (v: number) => Math.round(v).toLocaleString('en-US');

/**
 * Runs `node <script> …args` from the repository root (through tsx for a .ts script); resolves with stdout, rejects
 * with stderr's tail.
 */
function node(script: string, args: string[], env: NodeJS.ProcessEnv = {}, onSpawn?: (pid: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), script, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child.pid!);
    onSpawn?.(child.pid!);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-8000);
      // The baseline reports its own progress; pass it on.
      if (d.startsWith('\r')) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      live.delete(child.pid!);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.relative(root, script)} ${args.slice(0, 4).join(' ')}… exited with ${code ?? signal}:\n${err.replace(/\r[^\n]*/g, '').trim().slice(-3000)}`));
    });
  });
}
const live = new Set<number>();

/** One generated workload and every import of it; the three figures share it, so the import runs once per repetition. */
class Session {
  readonly files: GeneratedFile[];
  readonly alerts: number;
  private readonly quellRuns: Promise<QuellRun>[] = [];
  private readonly baseRuns: Promise<BaseRun>[] = [];
  private runs = 0;

  constructor(
    readonly dir: string,
    quick: boolean,
  ) {
    const counts = alertMix(quick ? 50_000 : 1_000_000);
    this.alerts = counts.suricata + counts.wazuh + counts.elastic;
    let last = 0;
    this.files = generateAlertFiles(dir, counts, (source, written) => {
      if (performance.now() - last < 500 && written < counts[source]) return;
      last = performance.now();
      progress(`import: generating ${source} alerts ${n(written)}/${n(counts[source])}`);
    });
    progress('');
  }

  get workload(): Record<string, string | number> {
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)}MiB`;
    return {
      alerts: this.alerts,
      files: this.files.map((f) => `${f.source}:${f.records}(${mib(f.bytes)})`).join(','),
      batch: BATCH,
    };
  }

  quell(k: number): Promise<QuellRun> {
    while (this.quellRuns.length <= k) this.quellRuns.push(this.runQuell(this.runs++));
    return this.quellRuns[k]!;
  }

  baseline(k: number): Promise<BaseRun> {
    while (this.baseRuns.length <= k) {
      const i = this.baseRuns.length;
      this.baseRuns.push(
        this.quell(i).then(async (q) => {
          const b = await this.runBaseline(q);
          // Both sides of repetition i are measured: Quell's database is no longer needed.
          removeDb(q.db);
          return b;
        }),
      );
    }
    return this.baseRuns[k]!;
  }

  private async runQuell(i: number): Promise<QuellRun> {
    const db = path.join(this.dir, `quell-${i}.db`);
    const rssOut = path.join(this.dir, `quell-${i}.rss.json`);
    const created = JSON.parse(await node('cli/bin.ts', ['--db', db, '--json', 'case', 'new', `bench import ${i}`])) as { id: string };
    const caseId = created.id;

    // Progress from the database as batches commit (a read-only connection, one short read every 3 s), and the
    // child's memory high-water mark while it still reads files (Linux /proc; the final peak comes from maxRSS).
    const watcher = new Database(db, { readonly: true });
    const readSoFar = watcher.prepare('SELECT coalesce(sum(read), 0) FROM imports WHERE case_id = ?').pluck();
    let pid = 0;
    let ingestHwmKiB = 0;
    const hwmKiB = () => {
      try {
        return Number(/VmHWM:\s*(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        return 0; // not Linux, or already gone
      }
    };
    const spawnedAt = Date.now();
    const timer = setInterval(() => {
      const read = readSoFar.get(caseId) as number;
      const s = (Date.now() - spawnedAt) / 1000;
      if (read < this.alerts) {
        ingestHwmKiB = Math.max(ingestHwmKiB, hwmKiB());
        progress(`import: quell ${n(read)}/${n(this.alerts)} alerts, ${n(read / s)}/s, ${n(ingestHwmKiB / 1024)} MiB peak`);
      } else progress(`import: quell regrouping incidents (${s.toFixed(0)} s)`);
    }, 3000);

    let out = '';
    let failure: string | null = null;
    const start = performance.now();
    try {
      out = await node(
        'bench/import-child.mjs',
        ['--db', db, '--json', 'import', ...this.files.map((f) => f.path), '--case', caseId],
        { QUELL_BENCH_RSS_OUT: rssOut },
        (p) => (pid = p),
      );
    } catch (err) {
      failure = (err as Error).message;
    } finally {
      clearInterval(timer);
      watcher.close();
      progress('');
    }
    const wallSeconds = (performance.now() - start) / 1000;
    const exitedAt = spawnedAt + wallSeconds * 1000;

    // The journal tells the phases apart: import.started (first file) … import.finished (last file) … exit.
    const reader = new Database(db, { readonly: true });
    const imported = reader.prepare("SELECT count(*) AS files, coalesce(sum(read), 0) AS read, coalesce(sum(stored), 0) AS stored FROM imports WHERE case_id = ? AND status = 'done'").get(caseId) as { files: number; read: number; stored: number };
    if (imported.files !== this.files.length) {
      reader.close();
      throw new Error(failure ?? `import bench: Quell finished ${imported.files} of ${this.files.length} files`);
    }
    if (imported.stored !== this.alerts || imported.read !== this.alerts) {
      reader.close();
      throw new Error(`import bench: Quell read ${imported.read} and stored ${imported.stored} of ${this.alerts} generated alerts`);
    }
    const incidents = failure ? -1 : (JSON.parse(out) as { incidents: number }).incidents;
    const { maxRssKiB } = JSON.parse(fs.readFileSync(rssOut, 'utf8')) as { maxRssKiB: number };
    const at = (action: string, order: 'ASC' | 'DESC') =>
      Date.parse(reader.prepare(`SELECT at FROM journal WHERE case_id = ? AND action = ? ORDER BY seq ${order} LIMIT 1`).pluck().get(caseId, action) as string);
    const started = at('import.started', 'ASC');
    const finished = at('import.finished', 'DESC');
    reader.close();
    return {
      stored: imported.stored,
      incidents,
      wallSeconds,
      startupSeconds: (started - spawnedAt) / 1000,
      ingestSeconds: (finished - started) / 1000,
      regroupSeconds: (exitedAt - finished) / 1000,
      peakRssMB: (maxRssKiB * 1024) / MB,
      ingestPeakRssMB: (ingestHwmKiB * 1024) / MB,
      failure,
      db,
      caseId,
    };
  }

  private async runBaseline(q: QuellRun): Promise<BaseRun> {
    const out = path.join(this.dir, `baseline-${this.baseRuns.length}.db`);
    try {
      const result = JSON.parse(await node('bench/import-baseline.ts', [q.db, q.caseId, out, String(BATCH)])) as BaselineResult;
      if (result.events !== q.stored) throw new Error(`import bench: the baseline inserted ${result.events} rows, Quell stored ${q.stored}`);
      return { ...result, peakRssMB: (result.maxRssKiB * 1024) / MB };
    } finally {
      removeDb(out);
    }
  }

  close(): void {
    for (const pid of live) process.kill(pid);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One session per run (full or quick), made by the first import figure set up and removed when the runner exits. */
let session: { quick: boolean; session: Session } | undefined;
function sessionFor(quick: boolean): Session {
  if (session?.quick === quick) return session.session;
  session?.session.close();
  const s = new Session(tempDir('import'), quick);
  session = { quick, session: s };
  process.once('exit', () => s.close());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      s.close();
      process.exit(130);
    });
  }
  return s;
}

/** A figure over the shared session: `pick` reads its value from one repetition's two runs. */
function figure(
  quellValue: (q: QuellRun) => number,
  baselineValue: (b: BaseRun) => number,
  extra: (q: QuellRun, b: BaseRun) => Record<string, string | number> = () => ({}),
): (options: BenchOptions) => Trial {
  return ({ quick }) => {
    const s = sessionFor(quick);
    let qi = 0;
    let bi = 0;
    const workload: Record<string, string | number> = { ...s.workload };
    return {
      workload,
      async quell() {
        return quellValue(await s.quell(qi++));
      },
      async baseline() {
        const k = bi++;
        const b = await s.baseline(k);
        Object.assign(workload, extra(await s.quell(k), b));
        return baselineValue(b);
      },
      close() {
        /* the session's files go when the run exits: the next import figure reuses them */
      },
    };
  };
}

/** What the CLI printed when it failed after storing every alert (the regrouping), shortened for the table. */
const failed = (q: QuellRun) => {
  const lines = (q.failure ?? '').split('\n');
  const cause = lines.find((l) => /error/i.test(l) && !l.includes('exited with')) ?? lines[0];
  return `all ${n(q.stored)} alerts were stored (every file's import.finished is in the journal), then the command failed:\n${cause?.trim()}\n${lines.find((l) => l.trim().startsWith('at '))?.trim() ?? ''}`;
};

const phases = (q: QuellRun) => ({
  wallS: q.wallSeconds.toFixed(1),
  startupS: q.startupSeconds.toFixed(1),
  ingestS: q.ingestSeconds.toFixed(1),
  regroupAndExitS: q.regroupSeconds.toFixed(1),
  incidents: q.failure ? 'FAILED' : q.incidents,
});

export const figures: Figure[] = [
  {
    name: 'import.alerts',
    what: 'CLI `quell import` of NDJSON alert files end to end (process start, sniff, normalise, entities, journal, regroup) vs bare INSERT of the same rows',
    unit: 'alerts/s',
    better: 'higher',
    target: RATIO_TARGET,
    repetitions: { full: 1, quick: 1, warmups: 0 },
    setup: figure(
      (q) => {
        if (q.failure) throw new Error(failed(q));
        return q.stored / q.wallSeconds;
      },
      (b) => b.events / b.insertSeconds,
      (q, b) => ({ ...phases(q), baselineInsertS: b.insertSeconds.toFixed(1), entities: b.entities, links: b.links }),
    ),
  },
  {
    name: 'import.alerts.ingest',
    what: 'the same import from the first import.started to the last import.finished (journal times: no process start, no regroup) vs the same bare INSERT',
    unit: 'alerts/s',
    better: 'higher',
    repetitions: { full: 1, quick: 1, warmups: 0 },
    setup: figure(
      (q) => q.stored / q.ingestSeconds,
      (b) => b.events / b.insertSeconds,
      (q, b) => ({ ...phases(q), baselineInsertS: b.insertSeconds.toFixed(1) }),
    ),
  },
  {
    name: 'import.peak-rss',
    what: "peak resident memory (getrusage maxRSS) of the importer process, whole run, vs the bare-insert process's; goal <= 400 MB",
    unit: 'MB',
    better: 'lower',
    limit: RSS_LIMIT_MB,
    repetitions: { full: 1, quick: 1, warmups: 0 },
    setup: figure(
      (q) => q.peakRssMB,
      (b) => b.peakRssMB,
      (q) => ({
        ingestPeakMB: Math.round(q.ingestPeakRssMB),
        ...(q.failure ? { regroup: 'FAILED (the peak is up to the failure)' } : {}),
      }),
    ),
  },
];
