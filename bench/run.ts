// `npm run bench [-- --quick] [name …]`: runs every figure of every bench/*.bench.ts, Quell against a baseline
// measured in the same run, prints a table and writes bench/results/latest.json. Figures below their target are
// flagged, never failed: benchmarks are reported.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Figure, Trial } from './figure.js';

const USAGE = 'usage: npm run bench -- [--quick] [name-filter …]   (a figure runs when its name contains any filter)';
const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const unknown = args.filter((a) => a.startsWith('-') && a !== '--quick');
if (unknown.length || args.includes('--help')) {
  console.error(`${unknown.length ? `unknown option ${unknown.join(' ')}\n` : ''}${USAGE}`);
  process.exit(2);
}
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('-'));
const REPS = quick ? 3 : 7;
const WARMUPS = 1;
const repsOf = (f: Figure) => (f.repetitions ? (quick ? f.repetitions.quick : f.repetitions.full) : REPS);
const warmupsOf = (f: Figure) => f.repetitions?.warmups ?? WARMUPS;

const figures: Figure[] = [];
for (const file of fs.readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort()) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { figures?: unknown };
  if (!Array.isArray(mod.figures)) throw new Error(`bench/${file} must export \`figures: Figure[]\``);
  figures.push(...(mod.figures as Figure[]));
}
const selected = figures.filter((f) => !filters.length || filters.some((s) => f.name.includes(s)));
if (!selected.length) {
  console.error(`no figure matches ${filters.join(', ')}; figures: ${figures.map((f) => f.name).join(', ')}`);
  process.exit(2);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fmt = (v: number): string =>
  v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toLocaleString('en-US', { maximumSignificantDigits: 3 });

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return db.prepare('SELECT sqlite_version()').pluck().get() as string;
  } finally {
    db.close();
  }
}

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model.trim() ?? 'unknown',
  cores: cpus.length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${process.platform} ${os.release()} ${process.arch}`,
  node: process.version,
  sqlite: sqliteVersion(),
  betterSqlite3: (createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string }).version,
};
const loadBefore = os.loadavg()[0]!;
console.log(
  `Quell bench, ${quick ? 'quick' : 'full'} run: ${WARMUPS} warm-up + median of ${REPS} repetitions per side, sides alternating` +
    `${selected.some((f) => f.repetitions) ? ' (unless a figure says otherwise)' : ''}\n` +
    `${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), node ${machine.node}, SQLite ${machine.sqlite}\n`,
);

interface Result {
  name: string;
  what: string;
  unit: string;
  better: Figure['better'];
  workload: Record<string, string | number>;
  quell: { median: number; samples: number[] };
  baseline: { median: number; samples: number[] };
  ratio: number;
  ratioRange: [number, number];
  target: number | null;
  limit: number | null;
  repetitions: number;
  belowTarget: boolean;
  /** Why the figure could not be measured (a side threw); the other figures still run. */
  error: string | null;
}
const results: Result[] = [];

for (const figure of selected) {
  process.stderr.write(`${figure.name}: preparing…`);
  let trial: Trial | undefined;
  let error: string | null = null;
  const q: number[] = [];
  const b: number[] = [];
  const reps = repsOf(figure);
  try {
    trial = await figure.setup({ quick });
    for (let i = 0; i < warmupsOf(figure); i++) {
      await trial.quell();
      await trial.baseline();
    }
    // Alternate which side goes first, so neither always runs on a warmer (or more fragmented) machine.
    for (let i = 0; i < reps; i++) {
      process.stderr.write(`\r${figure.name}: repetition ${i + 1}/${reps}   `);
      if (i % 2 === 0) {
        q.push(await trial.quell());
        b.push(await trial.baseline());
      } else {
        b.push(await trial.baseline());
        q.push(await trial.quell());
      }
    }
  } catch (err) {
    // A figure that cannot be measured is reported as failed (and the run exits 1), but the others still run.
    error = err instanceof Error ? err.message : String(err);
  } finally {
    trial?.close();
    process.stderr.write('\r\x1b[K');
  }
  // Each repetition's two sides ran back to back, so their ratio is robust to the machine's load drifting during the
  // run (a shared CI box); the figure's ratio is the median of those paired ratios, not the ratio of the medians.
  const paired = q.map((qi, i) => (figure.better === 'higher' ? qi / b[i]! : b[i]! / qi));
  const ratio = median(paired);
  const value = median(q);
  const pastLimit = figure.limit !== undefined && (figure.better === 'higher' ? value < figure.limit : value > figure.limit);
  results.push({
    name: figure.name,
    what: figure.what,
    unit: figure.unit,
    better: figure.better,
    workload: trial?.workload ?? {},
    quell: { median: value, samples: q },
    baseline: { median: median(b), samples: b },
    ratio,
    ratioRange: [Math.min(...paired), Math.max(...paired)],
    target: figure.target ?? null,
    limit: figure.limit ?? null,
    repetitions: reps,
    belowTarget: (figure.target !== undefined && ratio < figure.target) || pastLimit,
    error,
  });
}

const header = ['figure', 'quell', 'baseline', 'ratio', '(range)', 'target', ''];
const targetText = (r: Result) =>
  [
    ...(r.target === null ? [] : [`>= ${r.target.toFixed(2)}`]),
    ...(r.limit === null ? [] : [`quell ${r.better === 'lower' ? '<=' : '>='} ${fmt(r.limit)} ${r.unit}`]),
  ].join(', ') || '-';
const rows = results.map((r) =>
  r.error
    ? [r.name, 'FAILED', '-', '-', '', targetText(r), '<< FAILED']
    : [
        r.name,
        `${fmt(r.quell.median)} ${r.unit}`,
        `${fmt(r.baseline.median)} ${r.unit}`,
        r.ratio.toFixed(2),
        `(${r.ratioRange[0].toFixed(2)}-${r.ratioRange[1].toFixed(2)})`,
        targetText(r),
        r.belowTarget ? '<< BELOW TARGET' : r.target === null && r.limit === null ? '' : 'ok',
      ],
);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
console.log('');
for (const r of results) {
  const workload = Object.entries(r.workload).map(([k, v]) => `${k}=${v}`).join(' ');
  const sides = r.better === 'higher' ? 'quell / baseline' : 'baseline / quell';
  const ratio = r.repetitions === 1 ? `${sides} of one repetition` : `median over ${r.repetitions === REPS ? '' : `${r.repetitions} `}repetitions of ${sides}`;
  console.log(`${r.name}: ${r.what}\n  ${workload}; ratio = ${ratio}`);
  if (r.error) console.log(`  FAILED: ${r.error.split('\n').slice(0, 6).join('\n  ')}`);
}
const load = { before: loadBefore, after: os.loadavg()[0]! };
// The run itself keeps about one core busy; more than that means something else competed for the CPU.
if (load.before > machine.cores / 2 || load.after > machine.cores) {
  console.log(
    `\nnote: the machine was busy (1-minute load ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after, on ${machine.cores} cores): ` +
      'absolute values are unreliable; ratios, paired per repetition, less so',
  );
}
const failed = results.filter((r) => r.error);
if (failed.length) {
  console.log(`\n${failed.length} figure${failed.length === 1 ? '' : 's'} failed: ${failed.map((r) => r.name).join(', ')}`);
  process.exitCode = 1;
}
const below = results.filter((r) => r.belowTarget && !r.error);
if (below.length) console.log(`\n${below.length} figure${below.length === 1 ? '' : 's'} below target: ${below.map((r) => r.name).join(', ')}`);

const out = path.join(here, 'results', 'latest.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify({ at: new Date().toISOString(), quick, filters, repetitions: REPS, warmups: WARMUPS, machine, load, figures: results }, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
