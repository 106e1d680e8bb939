// Journal appends per second in batched write transactions, against bare better-sqlite3 inserting the same rows.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../core/store/index.js';
import type { AppendInput } from '../core/store/journal.js';
import { removeDb, seconds, seeded, tempDir, type BenchOptions, type Figure, type Trial } from './figure.js';

const BATCH = 1000;
const CASES = ['case_ir2291', 'case_ir2292', 'case_ir2295', 'case_phish0417', 'case_tabletop03'];
const INSERT =
  'INSERT INTO journal (seq, at, case_id, actor, action, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

type Row = [seq: number, at: string, caseId: string | null, actor: string, action: string, payload: string, prevHash: string, hash: string];

/** What responders' work journals: import batch summaries (most), notes, playbook steps, and a few case-less entries. */
export function journalWorkload(count: number): AppendInput[] {
  const rand = seeded(2291);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const start = Date.parse('2025-03-14T08:00:00.000Z');
  const inputs: AppendInput[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i * 37).toISOString();
    const caseId = i % 97 === 0 ? null : pick(CASES);
    const kind = rand();
    if (caseId === null) {
      inputs.push({
        at,
        caseId,
        actor: { kind: 'system', id: 'quell' },
        action: 'connector.pulled',
        payload: { connector: 'splunk-es', cursor: `${hex(16)}:${i}`, received: 500, stored: 493, duplicates: 7, quarantined: 0, tookMs: 812 + (i % 300) },
      });
    } else if (kind < 0.6) {
      const read = 1000;
      const quarantined = Math.floor(rand() * 5);
      const duplicates = Math.floor(rand() * 40);
      inputs.push({
        at,
        caseId,
        actor: { kind: 'importer', id: pick(['zeek-conn', 'sysmon-evtx', 'suricata-eve', 'okta-system-log']) },
        action: 'import.batch',
        payload: {
          file: `/evidence/${caseId}/${pick(['dc01', 'ws-0142', 'fw-edge'])}/${pick(['conn.log', 'Security.evtx.json', 'eve.json'])}`,
          sha256: hex(64),
          batch: i % 500,
          read,
          stored: read - duplicates - quarantined,
          duplicates,
          quarantined,
          reasons: quarantined ? { unparseable_timestamp: quarantined } : {},
          firstTs: at,
          lastTs: new Date(Date.parse(at) + 60_000).toISOString(),
        },
      });
    } else if (kind < 0.85) {
      inputs.push({
        at,
        caseId,
        actor: { kind: 'analyst', id: pick(['a.okafor', 'm.lindqvist', 'j.tanaka']) },
        action: 'note.added',
        payload: {
          noteId: `note_${hex(12)}`,
          body:
            `Host ${pick(['ws-0142', 'dc01', 'srv-files02'])} beaconed to ${Math.floor(rand() * 223)}.${Math.floor(rand() * 255)}.14.9 every ` +
            `${30 + Math.floor(rand() * 90)}s from 02:10 UTC; same JA3 as the phishing landing page. Isolating after approval.`,
          tags: ['c2', pick(['beacon', 'lateral', 'exfil'])],
        },
      });
    } else {
      const runId = `run_${hex(10)}`;
      inputs.push({
        at,
        caseId,
        actor: { kind: 'playbook', id: 'contain-host', runId, stepId: pick(['isolate', 'snapshot', 'notify']) },
        action: 'run.step.finished',
        payload: {
          runId,
          stepId: pick(['isolate', 'snapshot', 'notify']),
          status: pick(['succeeded', 'succeeded', 'failed']),
          simulated: rand() < 0.3,
          input: { host: pick(['ws-0142', 'dc01']), connector: 'crowdstrike', reason: 'beaconing to known C2' },
          output: { actionId: hex(24), state: 'contained' },
          attempt: 1,
          durationMs: Math.floor(rand() * 4000),
        },
      });
    }
  }
  return inputs;
}

function appendAll(store: Store, inputs: readonly AppendInput[]): void {
  for (let from = 0; from < inputs.length; from += BATCH) {
    const to = Math.min(from + BATCH, inputs.length);
    store.write(() => {
      for (let i = from; i < to; i++) store.journal.append(inputs[i]!);
    });
  }
}

function setup({ quick }: BenchOptions): Trial {
  const count = quick ? 10_000 : 50_000;
  const dir = tempDir('journal');
  const inputs = journalWorkload(count);
  let files = 0;
  const freshFile = () => path.join(dir, `${++files}.db`);
  const open = (file: string) => Store.open(file, { appVersion: 'bench', createDir: true });

  // The baseline inserts exactly the rows Quell stored: append once, untimed, and read them back.
  const seedFile = freshFile();
  const seedStore = open(seedFile);
  appendAll(seedStore, inputs);
  const rows = seedStore.db.prepare('SELECT * FROM journal ORDER BY seq').raw().all() as Row[];
  const payloadBytes = rows.reduce((sum, r) => sum + Buffer.byteLength(r[5]), 0);
  if (!seedStore.journal.verify().ok || rows.length !== count) throw new Error('journal bench: the seed journal does not verify');
  seedStore.close();
  removeDb(seedFile);

  return {
    workload: { entries: count, batch: BATCH, cases: CASES.length, meanPayloadBytes: Math.round(payloadBytes / count) },

    quell() {
      const file = freshFile();
      const store = open(file);
      const start = performance.now();
      appendAll(store, inputs);
      const rate = count / seconds(start);
      if (store.journal.headSeq() !== count) throw new Error('journal bench: Quell stored the wrong number of entries');
      store.close();
      removeDb(file);
      return rate;
    },

    baseline() {
      // Same schema (the real migrations), then a bare connection with the pragmas Store sets.
      const file = freshFile();
      open(file).close();
      const db = new Database(file);
      db.pragma('foreign_keys = ON');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const insert = db.prepare(INSERT);
      const batch = db.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) {
          const r = rows[i]!;
          insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
        }
      });
      const start = performance.now();
      for (let from = 0; from < count; from += BATCH) batch.immediate(from, Math.min(from + BATCH, count));
      const rate = count / seconds(start);
      if ((db.prepare('SELECT count(*) FROM journal').pluck().get() as number) !== count) {
        throw new Error('journal bench: the baseline stored the wrong number of rows');
      }
      db.close();
      removeDb(file);
      return rate;
    },

    close() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const figures: Figure[] = [
  {
    name: 'journal.append',
    what: 'Store.write batches of 1000 journal.append (redact, canonical JSON, SHA-256 chain, heads) vs bare INSERT of the same rows',
    unit: 'appends/s',
    better: 'higher',
    target: 0.7,
    setup,
  },
];
