// Shared by the import, crash, property and grouping tests: fixture paths, a seeded PRNG, a generator of large
// Suricata EVE files with known damage, and row counts of what an import leaves in a case database.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import type { Core } from '../app.js';
import { alice, openTestCore, type TestCore } from '../store/journal.test-helpers.js';
import type { Store } from '../store/index.js';
import { seededRandom } from '../model/seeded-random.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const fixture = (rel: string): string => path.join(ROOT, 'fixtures', rel);

/** Non-blank lines of a fixture, as bytes without their line ending. */
export function fixtureLines(rel: string): Buffer[] {
  const bytes = fs.readFileSync(fixture(rel));
  const lines: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    const nl = bytes.indexOf(10, start);
    const end = nl === -1 ? bytes.length : nl;
    const line = bytes.subarray(start, end > start && bytes[end - 1] === 13 ? end - 1 : end);
    if (line.toString('utf8').trim()) lines.push(line);
    start = end + 1;
  }
  return lines;
}

/** mulberry32: a small seeded PRNG, so that a failing random test can be rerun with the seed it printed. */
export const prng = seededRandom;

/** A test core (temporary database, stepping clock, sequential ids) with one case; its id is `case_0001`. */
export async function coreWithCase(t: TestContext): Promise<TestCore & { caseId: string }> {
  const core = openTestCore(t);
  const created = await core.router.invoke('case.create', { name: 'Import under test' }, alice);
  if (!created.ok) throw new Error(created.error.message);
  return Object.assign(core, { caseId: created.value.id as string });
}

export interface RowCounts {
  events: number;
  quarantine: number;
  entities: number;
  eventEntities: number;
  imports: number;
  evidence: number;
  journal: number;
}

export function rowCounts(store: Store): RowCounts {
  const n = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
  return {
    events: n('SELECT count(*) AS n FROM events'),
    quarantine: n('SELECT count(*) AS n FROM quarantine'),
    entities: n('SELECT count(*) AS n FROM entities'),
    eventEntities: n('SELECT count(*) AS n FROM event_entities'),
    imports: n('SELECT count(*) AS n FROM imports'),
    evidence: n('SELECT count(*) AS n FROM evidence'),
    journal: n('SELECT count(*) AS n FROM journal'),
  };
}

/** Journal entries of a case with their payloads, oldest first. */
export async function journalOf(core: Core, caseId: string): Promise<{ action: string; payload: Record<string, unknown> }[]> {
  const listed = await core.router.invoke('journal.list', { caseId, limit: 1000 }, alice);
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value.entries.map((e) => ({ action: e.action, payload: e.payload as Record<string, unknown> }));
}

export interface GeneratedEve {
  /** Non-blank lines written (records, good or bad). */
  records: number;
  /** Lines that must be quarantined, by 1-based line number, with their bytes as Latin-1 text (for messages). */
  broken: Map<number, string>;
  /** Suricata `stats` lines, which are skipped. */
  stats: number;
  /** Blank lines, which are not records. */
  blank: number;
}

/** The ways a generated line is damaged, each quarantined by a different stage (framing, UTF-8, normaliser). */
const DAMAGE: ((line: string) => Buffer)[] = [
  () => Buffer.from('{"broken":'),
  (line) => Buffer.from(line.slice(0, Math.floor(line.length / 2))),
  (line) => Buffer.concat([Buffer.from(line.slice(0, 40)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(line.slice(40))]),
  () => Buffer.from('[1, 2, 3]'),
  (line) => Buffer.from(line.replace(/"signature_id":\d+,/, '')), // an alert without signature_id: the normaliser refuses it
  (line) => Buffer.from(line.replace(/"timestamp":"[^"]+"/, '"timestamp":"yesterday"')),
];

/**
 * Writes `count` EVE records made from the real fixture shapes (alerts, http, tls, dns, flow…), each made unique by
 * its flow_id and timestamp, with source addresses from a pool of 256 and damage on about `brokenRate` of lines.
 * Every record is distinct, so an import of the file stores `records - broken - stats` events.
 */
export function generateEve(file: string, count: number, seed: number, brokenRate = 0.01): GeneratedEve {
  const random = prng(seed);
  const templates = [...fixtureLines('suricata/eve-alerts.ndjson'), ...fixtureLines('suricata/eve-mixed-small.ndjson')]
    .map((b) => JSON.parse(b.toString('utf8')) as Record<string, unknown>)
    .filter((r) => r.event_type !== 'stats');
  const stats = fixtureLines('suricata/eve-mixed-small.ndjson').find((b) => b.includes('"event_type":"stats"'))!.toString('utf8');
  const out = fs.openSync(file, 'w');
  const result: GeneratedEve = { records: 0, broken: new Map(), stats: 0, blank: 0 };
  const base = Date.parse('2024-03-01T00:00:00.000Z');
  let line = 0;
  let pending: Buffer[] = [];
  const write = (b: Buffer) => {
    pending.push(b, NL);
    line++;
    if (pending.length > 2000) {
      fs.writeSync(out, Buffer.concat(pending));
      pending = [];
    }
  };
  try {
    for (let i = 0; i < count; i++) {
      if (random() < 0.002) {
        write(Buffer.from(random() < 0.5 ? '' : '   '));
        result.blank++;
      }
      const roll = random();
      if (roll < 0.005) {
        const ts = new Date(base + i * 37).toISOString().replace('Z', '+0000');
        write(Buffer.from(stats.replace(/"timestamp":"[^"]+"/, `"timestamp":"${ts}"`)));
        result.stats++;
        result.records++;
        continue;
      }
      const record = structuredClone(templates[i % templates.length]!);
      record.flow_id = 1_000_000_000_000 + i;
      record.timestamp = new Date(base + i * 37).toISOString().replace('Z', '+0000');
      record.src_ip = `10.20.${Math.floor(random() * 16)}.${Math.floor(random() * 16) + 1}`;
      if (typeof record.src_port === 'number') record.src_port = 1024 + Math.floor(random() * 60000);
      const text = JSON.stringify(record);
      // The first record chooses the framing (NDJSON), so it is never damaged.
      if (roll > 1 - brokenRate && i > 0) {
        const damage = Math.floor(random() * DAMAGE.length);
        // Only alerts can lose a signature_id; other shapes get the first kind of damage instead.
        const bytes = DAMAGE[damage === 4 && record.event_type !== 'alert' ? 0 : damage]!(text);
        write(bytes);
        result.broken.set(line, bytes.toString('latin1'));
      } else {
        write(Buffer.from(text));
      }
      result.records++;
    }
    fs.writeSync(out, Buffer.concat(pending));
  } finally {
    fs.closeSync(out);
  }
  return result;
}

const NL = Buffer.from('\n');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * `quell ARGV` as a real process (cli/bin.ts through tsx). With `kill`, polls `armed` every 20 ms from spawn and
 * sends SIGKILL `afterMs` after it first returns true.
 */
export function quell(argv: string[], kill?: { armed: () => boolean; afterMs: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', ...argv], {
      cwd: ROOT,
      env: { ...process.env, QUELL_ANALYST: 'tester', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timer: NodeJS.Timeout | undefined;
    const poll = kill
      ? setInterval(() => {
          if (!kill.armed()) return;
          clearInterval(poll);
          timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
        }, 20)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

