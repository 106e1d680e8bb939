// Shared by the journal, store, router and CLI tests: a fresh core on a temporary database, a known journal to
// tamper with, and the attacker who does the tampering with the file and nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { openCore, type Core } from '../app.js';
import type { Actor } from '../model/index.js';
import { sequentialIds, steppingClock } from '../runtime.js';

export const START = '2026-01-01T00:00:00.000Z';
export const alice: Actor = { kind: 'analyst', id: 'alice' };

/** `START` plus `seconds`, as stored. */
export const at = (seconds: number): string => new Date(Date.parse(START) + seconds * 1000).toISOString();

const cleanups = new WeakMap<TestContext, (() => unknown)[]>();

/** Runs `fn` when the test ends, last registered first, so a database closes before its folder is removed. */
export function defer(t: TestContext, fn: () => unknown): void {
  let stack = cleanups.get(t);
  if (!stack) {
    const fresh: (() => unknown)[] = [];
    cleanups.set(t, (stack = fresh));
    t.after(async () => {
      for (const cleanup of fresh.reverse()) await cleanup();
    });
  }
  stack.push(fn);
}

/** A temporary folder removed when the test ends, after everything deferred later has closed. */
export function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quell-test-'));
  defer(t, () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface TestCore extends Core {
  dir: string;
  dbPath: string;
}

/** A core on `<tmp>/quell.db` with the stepping clock (one second per reading) and sequential ids. */
export function openTestCore(t: TestContext): TestCore {
  const dir = tempDir(t);
  const dbPath = path.join(dir, 'quell.db');
  const core = openCore({ dbPath, createDir: true, clock: steppingClock(START), ids: sequentialIds(), appVersion: 'test' });
  defer(t, () => core.close());
  return Object.assign(core, { dir, dbPath });
}

export const CASE_A = 'case_0001';
export const CASE_B = 'case_0003';

/**
 * Five entries in two case chains; every command reads the clock twice, so entry n is at START + (2n - 1) s.
 *   1 case.created A · 2 note.added A (note_0002) · 3 case.created B · 4 note.added B (note_0004) · 5 note.added A (note_0005)
 */
export async function writeTwoCases(core: Core): Promise<void> {
  const steps: [string, unknown][] = [
    ['case.create', { name: 'Phishing wave', description: 'mail gateway alerts' }],
    ['note.add', { caseId: CASE_A, body: 'first look' }],
    ['case.create', { name: 'Ransom note on FS02' }],
    ['note.add', { caseId: CASE_B, body: 'isolated FS02' }],
    ['note.add', { caseId: CASE_A, body: 'second look' }],
  ];
  for (const [command, input] of steps) {
    const result = await core.router.invoke(command, input, alice);
    if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
  }
}

export interface JournalRow {
  seq: number;
  at: string;
  case_id: string | null;
  actor: string;
  action: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/**
 * Someone with the file and the sqlite3 tool but not Quell: opens the database directly, drops the append-only
 * triggers (which anyone can do) and changes whatever `change` changes.
 */
export function tamper(dbPath: string, change: (db: Database.Database) => void): void {
  const db = new Database(dbPath);
  try {
    db.exec('DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS journal_no_delete;');
    change(db);
  } finally {
    db.close();
  }
}

export function journalRow(db: Database.Database, seq: number): JournalRow {
  const row = db.prepare('SELECT * FROM journal WHERE seq = ?').get(seq) as JournalRow | undefined;
  if (!row) throw new Error(`no journal entry ${seq}`);
  return row;
}
