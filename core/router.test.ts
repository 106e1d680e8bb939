import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { QuellError } from './api/index.js';
import { seedDemo } from './demo/seed.js';
import { handlers } from './handlers/index.js';
import type { Actor, JournalEntry } from './model/index.js';
import { Router, type Handler, type Handlers } from './router.js';
import { sequentialIds, steppingClock } from './runtime.js';
import { SCHEMA_VERSION, Store } from './store/index.js';
import { START, alice, at, defer, openTestCore, tempDir } from './store/journal.test-helpers.js';
import { EngineRuntime } from './engine/index.js';

/** A router over a real store whose handlers are the real ones except `overrides`, with every reported bug kept. */
function routerWith(t: TestContext, overrides: Partial<Handlers>) {
  const store = Store.open(path.join(tempDir(t), 'quell.db'), { appVersion: 'test' });
  defer(t, () => store.close());
  const bugs: { command: string; err: unknown }[] = [];
  const router = new Router({
    store,
    clock: steppingClock(START),
    ids: sequentialIds(),
    handlers: { ...handlers('test', { engine: new EngineRuntime() }), ...overrides },
    logBug: (command, err) => bugs.push({ command, err }),
  });
  const count = (table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { router, store, bugs, count };
}

describe('router: failures as data', () => {
  test('an unknown command is unknown_command, including names every object has', async (t) => {
    const { router } = routerWith(t, {});
    for (const name of ['nope', 'constructor', '__proto__', 'toString']) {
      assert.deepEqual(await router.invoke(name, {}, alice), {
        ok: false,
        error: { code: 'unknown_command', message: `Unknown command "${name}".`, details: { command: name } },
      });
    }
  });

  test('invalid input is invalid_input with one issue per problem, paths rooted at "input"', async (t) => {
    const { router, count } = routerWith(t, {});
    const invalid = (command: string, issues: { path: string; message: string }[]) => ({
      ok: false,
      error: { code: 'invalid_input', message: `Invalid input for ${command}.`, issues },
    });
    assert.deepEqual(await router.invoke('case.create', { name: '' }, alice), invalid('case.create', [{ path: 'input.name', message: 'a case needs a name' }]));
    assert.deepEqual(await router.invoke('case.create', { name: '   ' }, alice), invalid('case.create', [{ path: 'input.name', message: 'a case needs a name' }]));
    assert.deepEqual(
      await router.invoke('case.create', { name: 'x'.repeat(201) }, alice),
      invalid('case.create', [{ path: 'input.name', message: 'keep the name under 200 characters' }]),
    );
    assert.deepEqual(
      await router.invoke('note.add', undefined, alice),
      invalid('note.add', [
        { path: 'input.caseId', message: 'Invalid input: expected string, received undefined' },
        { path: 'input.body', message: 'Invalid input: expected string, received undefined' },
      ]),
    );
    assert.deepEqual(
      await router.invoke('case.get', { caseId: 'bad id!' }, alice),
      invalid('case.get', [{ path: 'input.caseId', message: 'must contain only letters, digits, "_" and "-"' }]),
    );
    assert.deepEqual(
      await router.invoke('case.list', [], alice),
      invalid('case.list', [{ path: 'input', message: 'Invalid input: expected object, received array' }]),
    );
    assert.deepEqual(
      await router.invoke('journal.list', { afterSeq: -1, limit: 0 }, alice),
      invalid('journal.list', [
        { path: 'input.afterSeq', message: 'Too small: expected number to be >=0' },
        { path: 'input.limit', message: 'Too small: expected number to be >=1' },
      ]),
    );
    assert.deepEqual([count('cases'), count('journal')], [0, 0]);
  });

  test('an output that breaks its schema is a bug, with issues rooted at "output"', async (t) => {
    const bad = (() => ({ cases: [{ bogus: 1 }] })) as unknown as Handler<'case.list'>;
    const { router, bugs } = routerWith(t, { 'case.list': bad });
    const expected = {
      code: 'bug',
      message: 'Quell produced an invalid result for case.list; this is a bug.',
      issues: [
        { path: 'output.cases.0.id', message: 'Invalid input: expected string, received undefined' },
        { path: 'output.cases.0.name', message: 'Invalid input: expected string, received undefined' },
        { path: 'output.cases.0.description', message: 'Invalid input: expected string, received undefined' },
        { path: 'output.cases.0.status', message: 'Invalid option: expected one of "open"|"closed"' },
        { path: 'output.cases.0.createdAt', message: 'Invalid input: expected string, received undefined' },
        { path: 'output.cases.0.updatedAt', message: 'Invalid input: expected string, received undefined' },
      ],
    };
    assert.deepEqual(await router.invoke('case.list', {}, alice), { ok: false, error: expected });
    assert.equal(bugs.length, 1);
    assert.equal(bugs[0]!.command, 'case.list');
    assert.ok(bugs[0]!.err instanceof QuellError);
    assert.deepEqual((bugs[0]!.err as QuellError).toApiError(), expected);
  });

  test('an exception nobody expected is a bug naming the command; expected failures are not logged', async (t) => {
    const boom: Handler<'case.list'> = () => {
      throw new RangeError('boom');
    };
    const { router, bugs } = routerWith(t, { 'case.list': boom });
    assert.deepEqual(await router.invoke('case.list', {}, alice), {
      ok: false,
      error: { code: 'bug', message: 'Unexpected failure in case.list: boom. This is a bug; nothing was changed.' },
    });
    assert.deepEqual(await router.invoke('case.get', { caseId: 'case_0404' }, alice), {
      ok: false,
      error: { code: 'not_found', message: 'No case with id case_0404.', details: { caseId: 'case_0404' } },
    });
    assert.deepEqual(bugs.map((b) => [b.command, (b.err as Error).message]), [['case.list', 'boom']]);
  });

  test('a state-changing handler that journals nothing is rolled back and reported as a bug', async (t) => {
    const silent: Handler<'case.create'> = (input, ctx) => {
      const created = { id: 'case_0001' as never, name: input.name, description: '', status: 'open' as const, createdAt: START, updatedAt: START };
      ctx.store.cases.insert(created);
      return created;
    };
    const { router, count, bugs } = routerWith(t, { 'case.create': silent });
    assert.deepEqual(await router.invoke('case.create', { name: 'unrecorded' }, alice), {
      ok: false,
      error: {
        code: 'bug',
        message: 'Unexpected failure in case.create: case.create changed state without writing a journal entry. This is a bug; nothing was changed.',
      },
    });
    assert.deepEqual([count('cases'), count('journal'), bugs.length], [0, 0, 1]);
  });

  test('an async state-changing handler is refused and rolled back', async (t) => {
    const asyncCreate = (async (input, ctx) => {
      ctx.journal(null, 'case.created', { name: input.name });
      return { id: 'case_0001', name: input.name, description: '', status: 'open', createdAt: START, updatedAt: START };
    }) as Handler<'case.create'>;
    const { router, count } = routerWith(t, { 'case.create': asyncCreate });
    assert.deepEqual(await router.invoke('case.create', { name: 'later' }, alice), {
      ok: false,
      error: {
        code: 'bug',
        message: 'Unexpected failure in case.create: case.create is a state-changing command but its handler is async. This is a bug; nothing was changed.',
      },
    });
    assert.deepEqual([count('cases'), count('journal')], [0, 0]);
  });

  // Regression: an over-long QUELL_ANALYST made `quell case new` commit the case, report "nothing was changed",
  // and leave an entry that failed journal.list's output check from then on.
  test('an actor that breaks its schema is refused before anything is written', async (t) => {
    const { router, count } = routerWith(t, {});
    const actor = { kind: 'robot', id: 'x'.repeat(201) } as unknown as Actor;
    assert.deepEqual(await router.invoke('case.create', { name: 'by nobody' }, actor), {
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'Invalid actor for case.create.',
        issues: [
          { path: 'actor.kind', message: 'Invalid option: expected one of "analyst"|"playbook"|"importer"|"connector"|"system"' },
          { path: 'actor.id', message: 'Too big: expected string to have <=200 characters' },
        ],
      },
    });
    assert.deepEqual([count('cases'), count('journal')], [0, 0]);
    assert.deepEqual(await router.invoke('journal.list', {}, alice), { ok: true, value: { entries: [] } });
  });

  test('members an actor should not have are not journaled', async (t) => {
    const { router, store } = routerWith(t, {});
    const actor = { kind: 'analyst', id: 'bob', password: 'hunter2' } as Actor;
    assert.equal((await router.invoke('case.create', { name: 'x' }, actor)).ok, true);
    assert.deepEqual(store.db.prepare('SELECT actor FROM journal').all(), [{ actor: '{"id":"bob","kind":"analyst"}' }]);
  });
});

describe('router: events and the demo', () => {
  test('journal.appended is delivered after commit with each entry, and never for a rolled-back command', async (t) => {
    const core = openTestCore(t);
    const seen: { entry: JournalEntry; inTransaction: boolean }[] = [];
    const off = core.router.subscribe('journal.appended', (entry) => seen.push({ entry, inTransaction: core.store.db.inTransaction }));

    const created = await core.router.invoke('case.create', { name: 'Phishing wave' }, alice);
    assert.equal(created.ok, true);
    const failed = await core.router.invoke('note.add', { caseId: 'case_9999', body: 'lost' }, alice);
    assert.equal(failed.ok, false);
    await core.router.invoke('note.add', { caseId: 'case_0001', body: 'first look' }, alice);

    assert.deepEqual(seen.map((s) => s.inTransaction), [false, false]);
    assert.deepEqual(
      seen.map((s) => s.entry),
      core.store.journal.list({ afterSeq: 0, limit: 10 }),
    );
    assert.deepEqual(
      seen.map(({ entry }) => [entry.seq, entry.at, entry.action, entry.caseId]),
      [
        [1, at(1), 'case.created', 'case_0001'],
        [2, at(3), 'note.added', 'case_0001'],
      ],
    );

    off();
    await core.router.invoke('case.create', { name: 'unheard' }, alice);
    assert.equal(seen.length, 2);
  });

  test('a listener that throws is reported as a bug; other listeners and the command are unaffected', async (t) => {
    const { router, bugs } = routerWith(t, {});
    router.subscribe('journal.appended', () => {
      throw new Error('listener broke');
    });
    const heard: number[] = [];
    router.subscribe('journal.appended', (entry) => heard.push(entry.seq));
    assert.equal((await router.invoke('case.create', { name: 'x' }, alice)).ok, true);
    assert.deepEqual(heard, [1]);
    assert.deepEqual(bugs.map((b) => [b.command, (b.err as Error).message]), [['event journal.appended', 'listener broke']]);
  });

  test('seedDemo creates one case with two notes, three journal entries, and only on an empty database', async (t) => {
    const core = openTestCore(t);
    const events: string[] = [];
    core.router.subscribe('journal.appended', (e) => events.push(e.action));
    assert.equal(await seedDemo(core.router), 'case_0001');

    const cases = await core.router.invoke('case.list', {}, alice);
    assert.deepEqual(cases.ok && cases.value.cases.map((c) => [c.id, c.name, c.status]), [
      ['case_0001', 'Demo: LSASS credential theft on PRD01', 'open'],
    ]);
    const notes = await core.router.invoke('note.list', { caseId: 'case_0001' }, alice);
    assert.deepEqual(notes.ok && notes.value.notes.map((n) => [n.id, n.author]), [
      ['note_0002', 'demo-seed'],
      ['note_0003', 'demo-seed'],
    ]);
    const journal = core.store.journal.list({ afterSeq: 0, limit: 10 });
    assert.deepEqual(journal.map((e) => [e.seq, e.action, e.actor]), [
      [1, 'case.created', { kind: 'system', id: 'demo-seed' }],
      [2, 'note.added', { kind: 'system', id: 'demo-seed' }],
      [3, 'note.added', { kind: 'system', id: 'demo-seed' }],
    ]);
    assert.deepEqual(events, ['case.created', 'note.added', 'note.added']);

    assert.equal(await seedDemo(core.router), null);
    assert.equal(core.store.journal.headSeq(), 3);
  });

  test('system.info names the version, schema, file and journal head', async (t) => {
    const core = openTestCore(t);
    await core.router.invoke('case.create', { name: 'x' }, alice);
    assert.deepEqual(await core.router.invoke('system.info', undefined, alice), {
      ok: true,
      value: { version: 'test', schemaVersion: SCHEMA_VERSION, dbPath: core.dbPath, journalHeadSeq: 1 },
    });
  });

  test('journal.list of a case that does not exist is not_found', async (t) => {
    const core = openTestCore(t);
    assert.deepEqual(await core.router.invoke('journal.list', { caseId: 'case_0404' }, alice), {
      ok: false,
      error: { code: 'not_found', message: 'No case with id case_0404.', details: { caseId: 'case_0404' } },
    });
  });
});
