import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { QuellError } from '../api/errors.js';
import { SCHEMA_VERSION, migrations } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Create missing parent folders (only for the default location; a mistyped `--db` folder is an error). */
  createDir?: boolean;
  /** Milliseconds to wait for another writer before giving up with `db_locked`. */
  busyTimeoutMs?: number;
  appVersion: string;
  /** A better-sqlite3 addon built for another runtime (Electron's ABI); the default is the one built for Node. */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) a case database and brings its schema up to date. Every failure is a QuellError
 * naming the file and what is wrong with it, and nothing is written to a file that is not ours or is too new.
 */
export function openDatabase(dbPath: string, options: OpenOptions): Db {
  const dir = path.dirname(dbPath);
  if (fs.existsSync(dbPath) && fs.statSync(dbPath).isDirectory()) {
    throw new QuellError('db_path', `Cannot open case database ${dbPath}: it is a folder, not a file.`);
  }
  if (!fs.existsSync(dir)) {
    if (!options.createDir) {
      throw new QuellError('db_path', `Cannot open case database ${dbPath}: folder ${dir} does not exist.`);
    }
    fs.mkdirSync(dir, { recursive: true });
  }

  let db: Db;
  try {
    db = new Database(dbPath, {
      timeout: options.busyTimeoutMs ?? 5000,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (err) {
    throw translateSqliteError(err, dbPath);
  }
  try {
    db.pragma('foreign_keys = ON');
    checkOwnership(db, dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint every ~40 MB of WAL instead of every 4 MB: each checkpoint syncs and rewrites the hot pages (journal
    // heads, a run's row), and at the default a stream of small durable commits (playbook steps) stalled on one
    // every few hundred steps (bench: 39–73 µs a step, against 36–43 µs with this).
    db.pragma('wal_autocheckpoint = 10000');
    // Imports insert by hashed keys into several indexes: a 32 MiB page cache (default 2 MiB) keeps their upper
    // levels in memory without weighing on the 400 MB budget of a large import.
    db.pragma('cache_size = -32768');
    db.pragma('temp_store = MEMORY');
    migrate(db, dbPath, options.appVersion);
    return db;
  } catch (err) {
    db.close();
    throw translateSqliteError(err, dbPath);
  }
}

function checkOwnership(db: Db, dbPath: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new QuellError(
      'db_too_new',
      `Case database ${dbPath} was written by a newer Quell (schema version ${version}; this Quell knows up to ` +
        `${SCHEMA_VERSION}). Update Quell to open it; the file was not changed.`,
      { details: { dbPath, schemaVersion: version, supported: SCHEMA_VERSION } },
    );
  }
  if (version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) {
      throw new QuellError(
        'db_foreign',
        `${dbPath} is a SQLite database but not a Quell case database; the file was not changed.`,
        { details: { dbPath } },
      );
    }
  }
}

function migrate(db: Db, dbPath: string, appVersion: string): void {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from === SCHEMA_VERSION) return;
  const run = db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(migrations[v]!.sql);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run('written_by', appVersion);
  });
  try {
    run.immediate();
  } catch (err) {
    throw translateSqliteError(err, dbPath);
  }
}

/** better-sqlite3 reports SQLite result codes in `code`; these are the ones a responder can act on. */
export function translateSqliteError(err: unknown, dbPath: string): unknown {
  if (err instanceof QuellError) return err;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
    case 'SQLITE_BUSY_SNAPSHOT':
      return new QuellError(
        'db_locked',
        `Case database ${dbPath} is locked by another program (is another Quell writing to it?). Nothing was changed; try again when it is done.`,
        { details: { dbPath } },
      );
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return new QuellError(
        'db_corrupt',
        `Case database ${dbPath} is damaged or is not a database (${message}). Nothing was changed.`,
        { details: { dbPath } },
      );
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return new QuellError('db_path', `Cannot open case database ${dbPath}: ${message}.`, { details: { dbPath } });
    default:
      return err;
  }
}
