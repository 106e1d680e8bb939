// An attacker with the database file and the sqlite3 tool: every change they can make to the journal is caught by
// audit verify, named by the first entry that is not what was written.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import type { Core } from '../app.js';
import { entryHash } from './journal.js';
import { CASE_A, CASE_B, alice, at, journalRow, openTestCore, tamper, writeTwoCases, type JournalRow } from './journal.test-helpers.js';

async function verify(core: Core, caseId?: string): Promise<unknown> {
  const result = await core.router.invoke('audit.verify', caseId === undefined ? {} : { caseId }, alice);
  assert.equal(result.ok, true);
  return result.ok ? result.value : undefined;
}

/** What an attacker who knows the hash layout computes for a row they changed. */
const rehash = (row: JournalRow): string =>
  entryHash({
    seq: row.seq,
    at: row.at,
    caseId: row.case_id,
    actorJson: row.actor,
    action: row.action,
    payloadJson: row.payload,
    prevHash: row.prev_hash,
  });

function setRow(db: Database.Database, row: JournalRow): void {
  db.prepare('UPDATE journal SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(row.payload, row.prev_hash, row.hash, row.seq);
}

const LINK_BROKEN = 'an entry was deleted, inserted or reordered before it';

describe('audit verify catches tampering', () => {
  test('an edited payload: "edited" at that entry; only its case is affected', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => db.prepare("UPDATE journal SET payload = '{\"body\":\"nothing to see\",\"noteId\":\"note_0002\"}' WHERE seq = 2").run());

    const firstBad = { seq: 2, reason: 'edited', message: 'entry 2 was changed after it was written: its content no longer matches its hash' };
    assert.deepEqual(await verify(core), { ok: false, scope: 'all', entriesChecked: 1, chainsChecked: 1, headSeq: 1, firstBad });
    assert.deepEqual(await verify(core, CASE_A), { ok: false, scope: CASE_A, entriesChecked: 1, chainsChecked: 1, headSeq: 1, firstBad });
    assert.deepEqual(await verify(core, CASE_B), { ok: true, scope: CASE_B, entriesChecked: 2, chainsChecked: 1, headSeq: 4 });
  });

  test('a deleted middle entry: "missing" names its seq; its case sees a broken link', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => db.prepare('DELETE FROM journal WHERE seq = 3').run());

    assert.deepEqual(await verify(core), {
      ok: false,
      scope: 'all',
      entriesChecked: 2,
      chainsChecked: 1,
      headSeq: 2,
      firstBad: { seq: 3, reason: 'missing', message: 'entry 3 is missing: the journal jumps from 2 to 4' },
    });
    assert.deepEqual(await verify(core, CASE_B), {
      ok: false,
      scope: CASE_B,
      entriesChecked: 0,
      chainsChecked: 0,
      headSeq: 0,
      firstBad: {
        seq: 4,
        reason: 'broken_link',
        message: `entry 4 does not follow the entry before it in the chain of case ${CASE_B} (it claims a predecessor but is the first entry left): ${LINK_BROKEN}`,
      },
    });
    assert.deepEqual(await verify(core, CASE_A), { ok: true, scope: CASE_A, entriesChecked: 3, chainsChecked: 1, headSeq: 5 });
  });

  test('a deleted entry inside one case chain: verify of that case names the next entry of the chain', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => db.prepare('DELETE FROM journal WHERE seq = 2').run());
    assert.deepEqual(await verify(core, CASE_A), {
      ok: false,
      scope: CASE_A,
      entriesChecked: 1,
      chainsChecked: 1,
      headSeq: 1,
      firstBad: { seq: 5, reason: 'broken_link', message: `entry 5 does not follow the entry before it in the chain of case ${CASE_A} (seq 1): ${LINK_BROKEN}` },
    });
    assert.deepEqual(await verify(core, CASE_B), { ok: true, scope: CASE_B, entriesChecked: 2, chainsChecked: 1, headSeq: 4 });
  });

  test('the newest entries deleted, heads left as they were: "truncated" at the recorded head', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => db.prepare('DELETE FROM journal WHERE seq >= 4').run());
    assert.deepEqual(await verify(core), {
      ok: false,
      scope: 'all',
      entriesChecked: 3,
      chainsChecked: 2,
      headSeq: 3,
      firstBad: {
        seq: 5,
        reason: 'truncated',
        message: 'the newest entries of the journal are gone: its recorded head is entry 5 (5 entries) but the last one present is 3 (3 entries)',
      },
    });
  });

  test('the newest entries deleted and the global head rewritten to match: the case heads still show it', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => {
      db.prepare('DELETE FROM journal WHERE seq >= 4').run();
      db.prepare("UPDATE journal_heads SET seq = 3, hash = ?, count = 3 WHERE chain = '*'").run(journalRow(db, 3).hash);
    });
    const truncatedA = {
      seq: 5,
      reason: 'truncated',
      message: `the newest entries of the chain of case ${CASE_A} are gone: its recorded head is entry 5 (3 entries) but the last one present is 2 (2 entries)`,
    };
    assert.deepEqual(await verify(core), { ok: false, scope: 'all', entriesChecked: 3, chainsChecked: 2, headSeq: 3, firstBad: truncatedA });
    assert.deepEqual(await verify(core, CASE_A), { ok: false, scope: CASE_A, entriesChecked: 2, chainsChecked: 1, headSeq: 2, firstBad: truncatedA });
    assert.deepEqual(await verify(core, CASE_B), {
      ok: false,
      scope: CASE_B,
      entriesChecked: 1,
      chainsChecked: 1,
      headSeq: 3,
      firstBad: {
        seq: 4,
        reason: 'truncated',
        message: `the newest entries of the chain of case ${CASE_B} are gone: its recorded head is entry 4 (2 entries) but the last one present is 3 (1 entry)`,
      },
    });
  });

  test('every entry deleted: "truncated", with none present', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => db.prepare('DELETE FROM journal').run());
    assert.deepEqual(await verify(core), {
      ok: false,
      scope: 'all',
      entriesChecked: 0,
      chainsChecked: 0,
      headSeq: 0,
      firstBad: {
        seq: 5,
        reason: 'truncated',
        message: 'the newest entries of the journal are gone: its recorded head is entry 5 (5 entries) but the last one present is none (0 entries)',
      },
    });
  });

  test('a well-formed entry forged at the end: "unrecorded"', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => {
      const forged: JournalRow = {
        seq: 6,
        at: at(11),
        case_id: CASE_A,
        actor: '{"id":"alice","kind":"analyst"}',
        action: 'note.added',
        payload: '{"body":"all clear","noteId":"note_0006"}',
        prev_hash: journalRow(db, 5).hash,
        hash: '',
      };
      forged.hash = rehash(forged);
      db.prepare('INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(Object.values(forged));
    });
    assert.deepEqual(await verify(core), {
      ok: false,
      scope: 'all',
      entriesChecked: 6,
      chainsChecked: 2,
      headSeq: 6,
      firstBad: { seq: 6, reason: 'unrecorded', message: 'entry 6 of the journal is past its recorded head (entry 5): it was added outside Quell' },
    });
    assert.deepEqual(await verify(core, CASE_A), {
      ok: false,
      scope: CASE_A,
      entriesChecked: 4,
      chainsChecked: 1,
      headSeq: 6,
      firstBad: { seq: 6, reason: 'unrecorded', message: `entry 6 of the chain of case ${CASE_A} is past its recorded head (entry 5): it was added outside Quell` },
    });
    assert.deepEqual(await verify(core, CASE_B), { ok: true, scope: CASE_B, entriesChecked: 2, chainsChecked: 1, headSeq: 4 });
  });

  test('a forged case chain with the global head moved over it: "unrecorded" for the chain with no head', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => {
      const forged: JournalRow = {
        seq: 6,
        at: at(11),
        case_id: 'case_0666',
        actor: '{"id":"mallory","kind":"analyst"}',
        action: 'case.created',
        payload: '{"description":"","name":"decoy"}',
        prev_hash: '0'.repeat(64),
        hash: '',
      };
      forged.hash = rehash(forged);
      db.prepare('INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(Object.values(forged));
      db.prepare("UPDATE journal_heads SET seq = 6, hash = ?, count = 6 WHERE chain = '*'").run(forged.hash);
    });
    assert.deepEqual(await verify(core), {
      ok: false,
      scope: 'all',
      entriesChecked: 6,
      chainsChecked: 3,
      headSeq: 6,
      firstBad: {
        seq: 6,
        reason: 'unrecorded',
        message: 'entry 6 of the chain of case case_0666 is not covered by any recorded head: it was added outside Quell',
      },
    });
  });

  test('two entries swapped: caught at the first of them', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => {
      db.prepare('UPDATE journal SET seq = -2 WHERE seq = 2').run();
      db.prepare('UPDATE journal SET seq = 2 WHERE seq = 3').run();
      db.prepare('UPDATE journal SET seq = 3 WHERE seq = -2').run();
    });
    assert.deepEqual(await verify(core), {
      ok: false,
      scope: 'all',
      entriesChecked: 1,
      chainsChecked: 1,
      headSeq: 1,
      firstBad: { seq: 2, reason: 'edited', message: 'entry 2 was changed after it was written: its content no longer matches its hash' },
    });
  });

  test('two entries swapped and both rehashed: the next entry of a chain no longer links', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => {
      const [two, three] = [journalRow(db, 2), journalRow(db, 3)];
      db.prepare('DELETE FROM journal WHERE seq IN (2, 3)').run();
      for (const row of [
        { ...three, seq: 2, prev_hash: '0'.repeat(64) },
        { ...two, seq: 3 },
      ]) {
        row.hash = rehash(row);
        db.prepare('INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(Object.values(row));
      }
    });
    assert.deepEqual(await verify(core), {
      ok: false,
      scope: 'all',
      entriesChecked: 3,
      chainsChecked: 2,
      headSeq: 3,
      firstBad: { seq: 4, reason: 'broken_link', message: `entry 4 does not follow the entry before it in the chain of case ${CASE_B} (seq 2): ${LINK_BROKEN}` },
    });
  });

  test('an edited entry whose own hash was recomputed: "broken_link" at the next entry of its chain', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => {
      const row = { ...journalRow(db, 2), payload: '{"body":"nothing to see","noteId":"note_0002"}' };
      setRow(db, { ...row, hash: rehash(row) });
    });
    const firstBad = { seq: 5, reason: 'broken_link', message: `entry 5 does not follow the entry before it in the chain of case ${CASE_A} (seq 2): ${LINK_BROKEN}` };
    assert.deepEqual(await verify(core), { ok: false, scope: 'all', entriesChecked: 4, chainsChecked: 2, headSeq: 4, firstBad });
    assert.deepEqual(await verify(core, CASE_A), { ok: false, scope: CASE_A, entriesChecked: 2, chainsChecked: 1, headSeq: 2, firstBad });
    assert.deepEqual(await verify(core, CASE_B), { ok: true, scope: CASE_B, entriesChecked: 2, chainsChecked: 1, headSeq: 4 });
  });

  test('the newest entry edited and rehashed: it is not the entry the recorded head points to', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    tamper(core.dbPath, (db) => {
      const row = { ...journalRow(db, 5), payload: '{"body":"nothing to see","noteId":"note_0005"}' };
      setRow(db, { ...row, hash: rehash(row) });
    });
    assert.deepEqual(await verify(core), {
      ok: false,
      scope: 'all',
      entriesChecked: 5,
      chainsChecked: 2,
      headSeq: 5,
      firstBad: { seq: 5, reason: 'edited', message: 'entry 5 is not the entry the recorded journal head points to' },
    });
    assert.deepEqual(await verify(core, CASE_A), {
      ok: false,
      scope: CASE_A,
      entriesChecked: 3,
      chainsChecked: 1,
      headSeq: 5,
      firstBad: { seq: 5, reason: 'edited', message: `entry 5 is not the entry the recorded head of the chain of case ${CASE_A} points to` },
    });
  });
});
