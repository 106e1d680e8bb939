import type { JournalEntry } from '../model/index.js';
import { Journal } from './journal.js';
import { openDatabase, translateSqliteError, type Db, type OpenOptions } from './open.js';
import { AssetRepository } from './repositories/assets.js';
import { CaseRepository } from './repositories/cases.js';
import { DependencyRepository } from './repositories/dependencies.js';
import { EventRepository } from './repositories/events.js';
import { IntelRepository } from './repositories/intel.js';
import { NoteRepository } from './repositories/notes.js';

/**
 * The one writer of a case database. `write` is the only way to change state: it opens an IMMEDIATE transaction,
 * lets the caller change rows and append journal entries, and commits both together or neither.
 */
export class Store {
  readonly journal: Journal;
  readonly cases: CaseRepository;
  readonly notes: NoteRepository;
  readonly events: EventRepository;
  readonly assets: AssetRepository;
  readonly dependencies: DependencyRepository;
  readonly intel: IntelRepository;
  private readonly committedListeners = new Set<(entries: JournalEntry[]) => void>();
  /** Newest journal entry this connection has announced, its own or another process's. */
  private announcedSeq: number;
  private dataVersion: number;

  private constructor(
    readonly db: Db,
    readonly path: string,
  ) {
    this.journal = new Journal(db);
    this.tx = db.transaction((fn: () => unknown) => fn());
    this.cases = new CaseRepository(db);
    this.notes = new NoteRepository(db);
    this.events = new EventRepository(db);
    this.assets = new AssetRepository(db);
    this.dependencies = new DependencyRepository(db);
    this.intel = new IntelRepository(db);
    this.announcedSeq = this.journal.headSeq();
    this.dataVersion = this.readDataVersion();
  }

  static open(path: string, options: OpenOptions): Store {
    return new Store(openDatabase(path, options), path);
  }

  // Built once: better-sqlite3 prepares BEGIN/COMMIT for every db.transaction() call, a cost on every small write.
  private readonly tx: { immediate(fn: () => unknown): unknown };

  write<T>(fn: () => T): T {
    if (this.journal.inTransaction) return fn(); // nested: part of the enclosing transaction
    let committed: JournalEntry[] = [];
    let result: T;
    try {
      result = this.tx.immediate(() => {
        this.journal.beginTx();
        const out = fn();
        committed = this.journal.finishTx();
        return out;
      }) as T;
    } catch (err) {
      this.journal.abortTx();
      throw translateSqliteError(err, this.path);
    }
    if (committed.length) this.announce(committed);
    return result;
  }

  /**
   * Announces journal entries that other processes (a `quell` CLI, a second window) committed to this file since
   * the last call, so open views show them as they happen. Cheap when nothing changed: one PRAGMA read.
   */
  pollExternalCommits(): void {
    if (!this.db.open) return;
    const version = this.readDataVersion();
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    const entries = this.read(() => this.journal.list({ afterSeq: this.announcedSeq, limit: 1000 }));
    if (entries.length) this.announce(entries);
    if (entries.length === 1000) this.dataVersion = -1; // more to fetch on the next tick
  }

  private announce(entries: JournalEntry[]): void {
    const fresh = entries.filter((e) => e.seq > this.announcedSeq);
    if (!fresh.length) return;
    this.announcedSeq = fresh[fresh.length - 1]!.seq;
    for (const listener of this.committedListeners) listener(fresh);
  }

  private readDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Called after each commit with the journal entries it made durable. */
  onCommitted(listener: (entries: JournalEntry[]) => void): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw translateSqliteError(err, this.path);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
