import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { QuellError } from '../api/index.js';
import { openCore } from '../app.js';
import { handlers } from '../handlers/index.js';
import { EngineRuntime } from '../engine/index.js';
import { Router } from '../router.js';
import { sequentialIds, steppingClock } from '../runtime.js';
import { SCHEMA_VERSION, migrations } from './migrations/index.js';
import { Store } from './store.js';
import { START, alice, defer, tempDir } from './journal.test-helpers.js';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Asserts that opening `dbPath` fails with exactly `expected` and leaves the folder byte for byte as it was. */
function assertRefusedUnchanged(dbPath: string, expected: { code: string; message: string; details?: unknown }): void {
  const dir = path.dirname(dbPath);
  const before = { files: fs.readdirSync(dir).sort(), hash: sha256(dbPath) };
  let thrown: unknown;
  assert.throws(() => Store.open(dbPath, { appVersion: 'test' }), (err) => ((thrown = err), err instanceof QuellError));
  const err = thrown as QuellError;
  assert.deepEqual({ code: err.code, message: err.message, details: err.details }, { details: undefined, ...expected });
  assert.deepEqual({ files: fs.readdirSync(dir).sort(), hash: sha256(dbPath) }, before);
}

describe('opening a case database', () => {
  test('a new database is in WAL mode with foreign keys on and the current schema version', (t) => {
    const dir = tempDir(t);
    const store = Store.open(path.join(dir, 'nested', 'deeper', 'quell.db'), { appVersion: '9.9.9', createDir: true });
    defer(t, () => store.close());
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(store.db.pragma('synchronous', { simple: true }), 1); // NORMAL
    assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual(store.db.prepare('SELECT key, value FROM meta').all(), [{ key: 'written_by', value: '9.9.9' }]);
    assert.throws(
      () =>
        store.db
          .prepare("INSERT INTO notes (id, case_id, body, author, created_at) VALUES ('note_1', 'case_none', 'b', 'a', ?)")
          .run(START),
      { code: 'SQLITE_CONSTRAINT_FOREIGNKEY', message: 'FOREIGN KEY constraint failed' },
    );
  });

  test('reopening an existing database keeps its cases and its journal', async (t) => {
    const dir = tempDir(t);
    const options = { dbPath: path.join(dir, 'quell.db'), createDir: false, clock: steppingClock(START), ids: sequentialIds(), appVersion: 'test' };
    const first = openCore(options);
    const created = await first.router.invoke('case.create', { name: 'Beaconing from PRD01' }, alice);
    first.close();

    const second = openCore(options);
    defer(t, () => second.close());
    assert.deepEqual(await second.router.invoke('case.list', {}, alice), { ok: true, value: { cases: [created.ok && created.value] } });
    assert.deepEqual(await second.router.invoke('audit.verify', {}, alice), {
      ok: true,
      value: { ok: true, scope: 'all', entriesChecked: 1, chainsChecked: 1, headSeq: 1 },
    });
  });

  test('a database written by the first schema is migrated up and keeps its cases', (t) => {
    const dbPath = path.join(tempDir(t), 'quell.db');
    const old = new Database(dbPath);
    old.exec(migrations[0]!.sql);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO cases VALUES ('case_old', 'from v1', '', 'open', ?, ?)").run(START, START);
    old.close();

    const store = Store.open(dbPath, { appVersion: 'test' });
    defer(t, () => store.close());
    assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual(store.cases.list().map((c) => [c.id, c.name]), [['case_old', 'from v1']]);
    assert.deepEqual(store.db.prepare('SELECT value FROM meta WHERE key = ?').get('written_by'), { value: 'test' });
  });
});

describe('databases Quell must not touch', () => {
  test('a newer schema: db_too_new naming the file and both versions; the file is unchanged', (t) => {
    const dbPath = path.join(tempDir(t), 'quell.db');
    Store.open(dbPath, { appVersion: 'test' }).close();
    const newer = new Database(dbPath);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();

    assertRefusedUnchanged(dbPath, {
      code: 'db_too_new',
      message:
        `Case database ${dbPath} was written by a newer Quell (schema version ${SCHEMA_VERSION + 1}; this Quell knows up to ` +
        `${SCHEMA_VERSION}). Update Quell to open it; the file was not changed.`,
      details: { dbPath, schemaVersion: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION },
    });
  });

  test('a file that is not SQLite: db_corrupt; the file is unchanged', (t) => {
    const dbPath = path.join(tempDir(t), 'quell.db');
    fs.writeFileSync(dbPath, 'incident notes, not a database\n'.repeat(200));
    assertRefusedUnchanged(dbPath, {
      code: 'db_corrupt',
      message: `Case database ${dbPath} is damaged or is not a database (file is not a database). Nothing was changed.`,
      details: { dbPath },
    });
  });

  test("a SQLite database with someone else's tables: db_foreign; the file is unchanged", (t) => {
    const dbPath = path.join(tempDir(t), 'other.sqlite');
    const other = new Database(dbPath);
    other.exec("CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://example.org')");
    other.close();
    assertRefusedUnchanged(dbPath, {
      code: 'db_foreign',
      message: `${dbPath} is a SQLite database but not a Quell case database; the file was not changed.`,
      details: { dbPath },
    });
  });

  test('a missing folder without createDir: db_path naming the folder, and nothing is created', (t) => {
    const dir = tempDir(t);
    const missing = path.join(dir, 'typo');
    const dbPath = path.join(missing, 'quell.db');
    assert.throws(() => Store.open(dbPath, { appVersion: 'test', createDir: false }), {
      name: 'QuellError',
      code: 'db_path',
      message: `Cannot open case database ${dbPath}: folder ${missing} does not exist.`,
    });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test('a folder where the file should be: db_path', (t) => {
    const dbPath = path.join(tempDir(t), 'quell.db');
    fs.mkdirSync(dbPath);
    assert.throws(() => Store.open(dbPath, { appVersion: 'test', createDir: true }), {
      name: 'QuellError',
      code: 'db_path',
      message: `Cannot open case database ${dbPath}: it is a folder, not a file.`,
    });
    assert.deepEqual(fs.readdirSync(dbPath), []);
  });
});

describe('a database another program is writing to', () => {
  test('a write waits briefly, then fails with db_locked; reads go on; the data is intact afterwards', async (t) => {
    const dbPath = path.join(tempDir(t), 'quell.db');
    const store = Store.open(dbPath, { appVersion: 'test', busyTimeoutMs: 100 });
    const router = new Router({ store, clock: steppingClock(START), ids: sequentialIds(), handlers: handlers('test', { engine: new EngineRuntime() }) });
    const other = new Database(dbPath);
    defer(t, () => {
      other.close();
      store.close();
    });
    const before = await router.invoke('case.create', { name: 'before the lock' }, alice);
    assert.equal(before.ok, true);

    other.exec('BEGIN EXCLUSIVE');
    const started = Date.now();
    assert.deepEqual(await router.invoke('case.create', { name: 'during the lock' }, alice), {
      ok: false,
      error: {
        code: 'db_locked',
        message: `Case database ${dbPath} is locked by another program (is another Quell writing to it?). Nothing was changed; try again when it is done.`,
        details: { dbPath },
      },
    });
    assert.ok(Date.now() - started >= 90, 'waited for the busy timeout');
    assert.equal(store.journal.inTransaction, false);
    const whileLocked = await router.invoke('case.list', {}, alice);
    assert.deepEqual(whileLocked.ok && whileLocked.value.cases.map((c) => c.name), ['before the lock']);
    other.exec('ROLLBACK');

    const after = await router.invoke('case.list', {}, alice);
    assert.deepEqual(after.ok && after.value.cases.map((c) => c.name), ['before the lock']);
    const again = await router.invoke('case.create', { name: 'after the lock' }, alice);
    assert.equal(again.ok, true);
    assert.deepEqual(store.journal.verify(), { ok: true, scope: 'all', entriesChecked: 2, chainsChecked: 2, headSeq: 2 });
  });

  test('opening a database held exclusively fails with db_locked, and succeeds once it is released', (t) => {
    const dbPath = path.join(tempDir(t), 'quell.db');
    const other = new Database(dbPath);
    other.exec('CREATE TABLE scratch (x); BEGIN EXCLUSIVE; DROP TABLE scratch;');
    assert.throws(() => Store.open(dbPath, { appVersion: 'test', busyTimeoutMs: 50 }), {
      name: 'QuellError',
      code: 'db_locked',
      message: `Case database ${dbPath} is locked by another program (is another Quell writing to it?). Nothing was changed; try again when it is done.`,
    });
    other.exec('COMMIT');
    other.close();
    const store = Store.open(dbPath, { appVersion: 'test', busyTimeoutMs: 50 });
    defer(t, () => store.close());
    assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  });
});
