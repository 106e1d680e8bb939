import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Core } from '../app.js';
import type { JournalEntry } from '../model/index.js';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_HASH, entryHash } from './journal.js';
import { CASE_A, CASE_B, alice, at, openTestCore, writeTwoCases, START } from './journal.test-helpers.js';

const count = (core: Core, table: string): number =>
  (core.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('journal: what is written', () => {
  test('a clean journal verifies with exact counts, overall and per case', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    const verify = async (input: unknown) => core.router.invoke('audit.verify', input, alice);

    assert.deepEqual(await verify({}), {
      ok: true,
      value: { ok: true, scope: 'all', entriesChecked: 5, chainsChecked: 2, headSeq: 5 },
    });
    assert.deepEqual(await verify({ caseId: CASE_A }), {
      ok: true,
      value: { ok: true, scope: CASE_A, entriesChecked: 3, chainsChecked: 1, headSeq: 5 },
    });
    assert.deepEqual(await verify({ caseId: CASE_B }), {
      ok: true,
      value: { ok: true, scope: CASE_B, entriesChecked: 2, chainsChecked: 1, headSeq: 4 },
    });
    // A case that never existed has nothing to break.
    assert.deepEqual(await verify({ caseId: 'case_7777' }), {
      ok: true,
      value: { ok: true, scope: 'case_7777', entriesChecked: 0, chainsChecked: 0, headSeq: 0 },
    });
  });

  test('an empty database verifies with zero entries', async (t) => {
    const core = openTestCore(t);
    assert.deepEqual(await core.router.invoke('audit.verify', {}, alice), {
      ok: true,
      value: { ok: true, scope: 'all', entriesChecked: 0, chainsChecked: 0, headSeq: 0 },
    });
  });

  test('entries hold what happened, who did it and when', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    const entries = core.store.journal.list({ afterSeq: 0, limit: 100 });
    assert.deepEqual(
      entries.map(({ seq, at, caseId, actor, action, payload }) => ({ seq, at, caseId, actor, action, payload })),
      [
        { seq: 1, at: at(1), caseId: CASE_A, actor: alice, action: 'case.created', payload: { name: 'Phishing wave', description: 'mail gateway alerts' } },
        { seq: 2, at: at(3), caseId: CASE_A, actor: alice, action: 'note.added', payload: { noteId: 'note_0002', body: 'first look' } },
        { seq: 3, at: at(5), caseId: CASE_B, actor: alice, action: 'case.created', payload: { name: 'Ransom note on FS02', description: '' } },
        { seq: 4, at: at(7), caseId: CASE_B, actor: alice, action: 'note.added', payload: { noteId: 'note_0004', body: 'isolated FS02' } },
        { seq: 5, at: at(9), caseId: CASE_A, actor: alice, action: 'note.added', payload: { noteId: 'note_0005', body: 'second look' } },
      ],
    );
    assert.deepEqual(core.store.journal.list({ caseId: CASE_B, afterSeq: 3, limit: 100 }).map((e) => e.seq), [4]);
    assert.deepEqual(core.store.journal.list({ afterSeq: 1, limit: 2 }).map((e) => e.seq), [2, 3]);
  });

  test("each hash covers the entry's fields and links to the previous entry of the same case", async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    const entries = core.store.journal.list({ afterSeq: 0, limit: 100 });
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    const hashOf = (seq: number) => bySeq.get(seq)!.hash;

    for (const e of entries) {
      const recomputed = entryHash({
        seq: e.seq,
        at: e.at,
        caseId: e.caseId,
        actorJson: canonicalJson(e.actor),
        action: e.action,
        payloadJson: canonicalJson(e.payload),
        prevHash: e.prevHash,
      });
      assert.equal(e.hash, recomputed, `hash of entry ${e.seq}`);
      assert.match(e.hash, /^[0-9a-f]{64}$/);
    }
    assert.deepEqual(
      entries.map((e) => e.prevHash),
      [GENESIS_HASH, hashOf(1), GENESIS_HASH, hashOf(3), hashOf(2)],
    );
    assert.equal(new Set(entries.map((e) => e.hash)).size, 5);

    // The stored text is the canonical JSON the hash was computed over.
    const row = core.store.db.prepare('SELECT actor, payload FROM journal WHERE seq = 1').get();
    assert.deepEqual(row, {
      actor: '{"id":"alice","kind":"analyst"}',
      payload: '{"description":"mail gateway alerts","name":"Phishing wave"}',
    });

    assert.deepEqual(core.store.db.prepare('SELECT chain, seq, hash, count FROM journal_heads ORDER BY chain').all(), [
      { chain: '*', seq: 5, hash: hashOf(5), count: 5 },
      { chain: CASE_A, seq: 5, hash: hashOf(5), count: 3 },
      { chain: CASE_B, seq: 4, hash: hashOf(4), count: 2 },
    ]);
  });

  test('UPDATE and DELETE on the journal are refused by the append-only triggers', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    const refused = { name: 'SqliteError', code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'journal entries are append-only' };
    assert.throws(() => core.store.db.prepare("UPDATE journal SET payload = '{}' WHERE seq = 2").run(), refused);
    assert.throws(() => core.store.db.prepare('DELETE FROM journal WHERE seq = 5').run(), refused);
    assert.equal(count(core, 'journal'), 5);
    assert.equal((core.store.db.prepare('SELECT payload FROM journal WHERE seq = 2').get() as { payload: string }).payload, '{"body":"first look","noteId":"note_0002"}');
  });
});

describe('journal: secrets and transactions', () => {
  test('secrets in a payload are redacted before the entry is hashed and stored', (t) => {
    const core = openTestCore(t);
    const { store } = core;
    const entry = store.write(() =>
      store.journal.append({
        at: START,
        caseId: null,
        actor: alice,
        action: 'connector.configured',
        payload: { apiKey: 's3cret', nested: { password: 'x' }, token: 'abc', note: 'fine' },
      }),
    );
    const expected = { apiKey: '[redacted]', nested: { password: '[redacted]' }, token: '[redacted]', note: 'fine' };
    assert.deepEqual(entry.payload, expected);

    const stored = (store.db.prepare('SELECT payload, hash FROM journal WHERE seq = 1').get() as { payload: string; hash: string });
    assert.equal(stored.payload, '{"apiKey":"[redacted]","nested":{"password":"[redacted]"},"note":"fine","token":"[redacted]"}');
    assert.equal(stored.payload.includes('s3cret'), false);
    assert.equal(stored.payload.includes('abc'), false);
    assert.equal(
      stored.hash,
      entryHash({
        seq: 1,
        at: START,
        caseId: null,
        actorJson: '{"id":"alice","kind":"analyst"}',
        action: 'connector.configured',
        payloadJson: stored.payload,
        prevHash: GENESIS_HASH,
      }),
    );
    // Entries of no case form their own chain ('').
    assert.deepEqual(store.journal.verify(), { ok: true, scope: 'all', entriesChecked: 1, chainsChecked: 1, headSeq: 1 });
    assert.deepEqual(store.db.prepare("SELECT seq, count FROM journal_heads WHERE chain = ''").get(), { seq: 1, count: 1 });
  });

  test('journal.append outside store.write throws and writes nothing', (t) => {
    const core = openTestCore(t);
    assert.throws(
      () => core.store.journal.append({ at: START, caseId: null, actor: alice, action: 'x', payload: {} }),
      { name: 'Error', message: 'journal.append outside a write transaction: the entry could not commit with its change' },
    );
    assert.equal(count(core, 'journal'), 0);
    assert.equal(count(core, 'journal_heads'), 0);
  });

  test('a write that throws after appending rolls back the entry, the row and the chain heads', (t) => {
    const core = openTestCore(t);
    const { store } = core;
    const announced: number[][] = [];
    store.onCommitted((entries) => announced.push(entries.map((e) => e.seq)));
    const caseRow = {
      id: 'case_0042' as never,
      name: 'doomed',
      description: '',
      status: 'open' as const,
      createdAt: START,
      updatedAt: START,
    };
    assert.throws(
      () =>
        store.write(() => {
          store.cases.insert(caseRow);
          store.journal.append({ at: START, caseId: 'case_0042', actor: alice, action: 'case.created', payload: {} });
          throw new Error('disk on fire');
        }),
      { name: 'Error', message: 'disk on fire' },
    );
    assert.equal(store.journal.inTransaction, false);
    assert.deepEqual([count(core, 'cases'), count(core, 'journal'), count(core, 'journal_heads')], [0, 0, 0]);
    assert.deepEqual(announced, []);

    // The next write starts the chain afresh: no gap, no link to the entry that never was.
    const next = store.write(() => store.journal.append({ at: START, caseId: null, actor: alice, action: 'y', payload: {} }));
    assert.deepEqual([next.seq, next.prevHash], [1, GENESIS_HASH]);
    assert.deepEqual(announced, [[1]]);
  });

  test('a nested write joins the enclosing transaction and is announced once with it', (t) => {
    const core = openTestCore(t);
    const { store } = core;
    const announced: JournalEntry[][] = [];
    store.onCommitted((entries) => announced.push(entries));
    const append = (action: string) => store.journal.append({ at: START, caseId: null, actor: alice, action, payload: {} });

    store.write(() => {
      store.write(() => append('inner'));
      append('outer');
    });
    assert.deepEqual(announced.map((batch) => batch.map((e) => [e.seq, e.action])), [[[1, 'inner'], [2, 'outer']]]);

    assert.throws(() =>
      store.write(() => {
        store.write(() => append('inner, rolled back'));
        throw new Error('outer fails');
      }),
      { name: 'Error', message: 'outer fails' },
    );
    assert.equal(count(core, 'journal'), 2);
    assert.equal(announced.length, 1);
  });

  test('a command whose handler throws leaves neither its row nor a journal entry', async (t) => {
    const core = openTestCore(t);
    await writeTwoCases(core);
    const result = await core.router.invoke('note.add', { caseId: 'case_9999', body: 'lost' }, alice);
    assert.deepEqual(result, {
      ok: false,
      error: { code: 'not_found', message: 'No case with id case_9999.', details: { caseId: 'case_9999' } },
    });
    assert.deepEqual([count(core, 'notes'), count(core, 'journal')], [3, 5]);

    const next = await core.router.invoke('note.add', { caseId: CASE_B, body: 'still counting' }, alice);
    assert.equal(next.ok, true);
    assert.deepEqual(core.store.journal.verify(), { ok: true, scope: 'all', entriesChecked: 6, chainsChecked: 2, headSeq: 6 });
  });
});
