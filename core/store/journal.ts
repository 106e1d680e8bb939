import { hash } from 'node:crypto';
import type { Actor, JournalEntry, VerifyReport } from '../model/index.js';
import { canonicalJson } from './canonical-json.js';
import type { Db } from './open.js';
import { redactSecrets } from './redact.js';

export const GENESIS_HASH = '0'.repeat(64);
const GLOBAL = '*';

export interface AppendInput {
  at: string;
  caseId: string | null;
  actor: Actor;
  action: string;
  payload: unknown;
}

interface Head {
  seq: number;
  hash: string;
  count: number;
}

interface Row {
  seq: number;
  at: string;
  case_id: string | null;
  actor: string;
  action: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** Chain key of an entry: its case, or '' for entries that belong to no case. */
const chainOf = (caseId: string | null): string => caseId ?? '';

/**
 * The hash covers every stored field as stored (JSON members already canonical), laid out as the canonical JSON of
 * `{action, actor, at, caseId, payload, prevHash, seq}`. Built by concatenation because this is the append hot path.
 */
export function entryHash(e: {
  seq: number;
  at: string;
  caseId: string | null;
  actorJson: string;
  action: string;
  payloadJson: string;
  prevHash: string;
}): string {
  const text =
    `{"action":${JSON.stringify(e.action)},"actor":${e.actorJson},"at":${JSON.stringify(e.at)},` +
    `"caseId":${e.caseId === null ? 'null' : JSON.stringify(e.caseId)},"payload":${e.payloadJson},` +
    `"prevHash":${JSON.stringify(e.prevHash)},"seq":${e.seq}}`;
  return hash('sha256', text, 'hex');
}

/**
 * Append-only, hash-chained record of every state change. Appends happen only inside a store write transaction
 * (see Store.write), so an entry commits or rolls back with the change it describes. Chain heads are read once per
 * transaction, kept in memory while it runs, and written back just before it commits.
 */
export class Journal {
  private readonly insertRow;
  private readonly readHead;
  private readonly writeHead;
  private txHeads: Map<string, Head> | null = null;
  private txEntries: JournalEntry[] = [];

  constructor(private readonly db: Db) {
    this.insertRow = db.prepare(
      'INSERT INTO journal (seq, at, case_id, actor, action, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.readHead = db.prepare('SELECT seq, hash, count FROM journal_heads WHERE chain = ?');
    this.writeHead = db.prepare(
      'INSERT INTO journal_heads (chain, seq, hash, count) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, count = excluded.count',
    );
  }

  /** @internal Store.write calls these around its transaction. */
  beginTx(): void {
    this.txHeads = new Map();
    this.txEntries = [];
  }

  /** @internal Writes the heads touched in this transaction; returns the entries it appended. */
  finishTx(): JournalEntry[] {
    const heads = this.txHeads;
    if (heads) for (const [chain, head] of heads) this.writeHead.run(chain, head.seq, head.hash, head.count);
    const entries = this.txEntries;
    this.txHeads = null;
    this.txEntries = [];
    return entries;
  }

  /** @internal */
  abortTx(): void {
    this.txHeads = null;
    this.txEntries = [];
  }

  get inTransaction(): boolean {
    return this.txHeads !== null;
  }

  append(input: AppendInput): JournalEntry {
    const heads = this.txHeads;
    if (!heads) throw new Error('journal.append outside a write transaction: the entry could not commit with its change');
    const global = this.head(heads, GLOBAL);
    const chain = chainOf(input.caseId);
    const head = this.head(heads, chain);

    const payload = redactSecrets(input.payload ?? null);
    const payloadJson = canonicalJson(payload);
    const actorJson = canonicalJson(input.actor);
    const seq = global.seq + 1;
    const prevHash = head.hash;
    const hash = entryHash({ seq, at: input.at, caseId: input.caseId, actorJson, action: input.action, payloadJson, prevHash });

    this.insertRow.run(seq, input.at, input.caseId, actorJson, input.action, payloadJson, prevHash, hash);
    heads.set(GLOBAL, { seq, hash, count: global.count + 1 });
    heads.set(chain, { seq, hash, count: head.count + 1 });

    const entry: JournalEntry = {
      seq,
      at: input.at,
      caseId: input.caseId as JournalEntry['caseId'],
      actor: input.actor,
      action: input.action,
      payload,
      prevHash,
      hash,
    };
    this.txEntries.push(entry);
    return entry;
  }

  private head(heads: Map<string, Head>, chain: string): Head {
    let head = heads.get(chain);
    if (!head) {
      head = (this.readHead.get(chain) as Head | undefined) ?? { seq: 0, hash: GENESIS_HASH, count: 0 };
      heads.set(chain, head);
    }
    return head;
  }

  /** The global head as this transaction sees it, counting its own appends. */
  headSeqInTx(): number {
    return this.txHeads ? this.head(this.txHeads, GLOBAL).seq : this.headSeq();
  }

  headSeq(): number {
    return (this.readHead.get(GLOBAL) as Head | undefined)?.seq ?? 0;
  }

  list(options: { caseId?: string | undefined; afterSeq: number; limit: number }): JournalEntry[] {
    const rows = (
      options.caseId === undefined
        ? this.db.prepare('SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?').all(options.afterSeq, options.limit)
        : this.db
            .prepare('SELECT * FROM journal WHERE case_id = ? AND seq > ? ORDER BY seq LIMIT ?')
            .all(options.caseId, options.afterSeq, options.limit)
    ) as Row[];
    return rows.map(toEntry);
  }

  /**
   * Walks the chain(s) and reports the first entry that is not what was written. Scope 'all' also checks that the
   * global sequence has no gaps; a case scope checks that case's chain and its recorded head.
   */
  verify(caseId?: string): VerifyReport {
    const scope = caseId ?? 'all';
    const rows = (
      caseId === undefined
        ? this.db.prepare('SELECT * FROM journal ORDER BY seq')
        : this.db.prepare('SELECT * FROM journal WHERE case_id = ? ORDER BY seq')
    ).iterate(...(caseId === undefined ? [] : [caseId])) as IterableIterator<Row>;

    const last = new Map<string, { seq: number; hash: string; count: number }>();
    let checked = 0;
    let lastSeq = 0;
    const fail = (seq: number, reason: NonNullable<VerifyReport['firstBad']>['reason'], message: string): VerifyReport => ({
      ok: false,
      scope: scope as VerifyReport['scope'],
      entriesChecked: checked,
      chainsChecked: last.size,
      headSeq: lastSeq,
      firstBad: { seq, reason, message },
    });

    for (const row of rows) {
      if (caseId === undefined && row.seq !== lastSeq + 1) {
        rows.return?.();
        return row.seq > lastSeq + 1
          ? fail(lastSeq + 1, 'missing', `entry ${lastSeq + 1} is missing: the journal jumps from ${lastSeq} to ${row.seq}`)
          : fail(row.seq, 'malformed', `entry ${row.seq} is out of order after ${lastSeq}`);
      }
      const recomputed = entryHash({
        seq: row.seq,
        at: row.at,
        caseId: row.case_id,
        actorJson: row.actor,
        action: row.action,
        payloadJson: row.payload,
        prevHash: row.prev_hash,
      });
      if (recomputed !== row.hash) {
        rows.return?.();
        return fail(row.seq, 'edited', `entry ${row.seq} was changed after it was written: its content no longer matches its hash`);
      }
      const chain = chainOf(row.case_id);
      const prev = last.get(chain);
      if (row.prev_hash !== (prev?.hash ?? GENESIS_HASH)) {
        rows.return?.();
        return fail(
          row.seq,
          'broken_link',
          `entry ${row.seq} does not follow the entry before it in ${describeChain(chain)}` +
            (prev ? ` (seq ${prev.seq})` : ' (it claims a predecessor but is the first entry left)') +
            ': an entry was deleted, inserted or reordered before it',
        );
      }
      last.set(chain, { seq: row.seq, hash: row.hash, count: (prev?.count ?? 0) + 1 });
      lastSeq = row.seq;
      checked++;
    }

    const chains = caseId === undefined ? this.allRecordedChains() : [chainOf(caseId)];
    if (caseId === undefined) chains.unshift(GLOBAL);
    for (const chain of new Set([...chains, ...last.keys()])) {
      const recorded = this.readHead.get(chain) as Head | undefined;
      const seen = chain === GLOBAL ? (lastSeq ? { seq: lastSeq, hash: '', count: checked } : undefined) : last.get(chain);
      const bad = compareHead(chain, recorded, seen);
      if (bad) return fail(bad.seq, bad.reason, bad.message);
      if (chain === GLOBAL && recorded && seen) {
        const lastRowHash = (this.db.prepare('SELECT hash FROM journal WHERE seq = ?').get(lastSeq) as { hash: string }).hash;
        if (lastRowHash !== recorded.hash) {
          return fail(lastSeq, 'edited', `entry ${lastSeq} is not the entry the recorded journal head points to`);
        }
      }
    }
    return {
      ok: true,
      scope: scope as VerifyReport['scope'],
      entriesChecked: checked,
      chainsChecked: last.size,
      headSeq: lastSeq,
    };
  }

  private allRecordedChains(): string[] {
    return (this.db.prepare("SELECT chain FROM journal_heads WHERE chain <> '*'").all() as { chain: string }[]).map(
      (r) => r.chain,
    );
  }
}

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

function describeChain(chain: string): string {
  return chain === '' ? 'the database chain' : `the chain of case ${chain}`;
}

function compareHead(
  chain: string,
  recorded: Head | undefined,
  seen: { seq: number; hash: string; count: number } | undefined,
): { seq: number; reason: 'truncated' | 'unrecorded' | 'edited'; message: string } | undefined {
  const name = chain === GLOBAL ? 'the journal' : describeChain(chain);
  if (!recorded && !seen) return undefined;
  if (!recorded) {
    return { seq: seen!.seq, reason: 'unrecorded', message: `entry ${seen!.seq} of ${name} is not covered by any recorded head: it was added outside Quell` };
  }
  if (!seen || seen.seq < recorded.seq || seen.count < recorded.count) {
    const after = seen?.seq ?? 0;
    return {
      seq: recorded.seq,
      reason: 'truncated',
      message:
        `the newest entries of ${name} are gone: its recorded head is entry ${recorded.seq} ` +
        `(${entries(recorded.count)}) but the last one present is ${after || 'none'} (${entries(seen?.count ?? 0)})`,
    };
  }
  if (seen.seq > recorded.seq || seen.count > recorded.count) {
    return {
      seq: seen.seq,
      reason: 'unrecorded',
      message: `entry ${seen.seq} of ${name} is past its recorded head (entry ${recorded.seq}): it was added outside Quell`,
    };
  }
  if (chain !== GLOBAL && seen.hash !== recorded.hash) {
    return { seq: seen.seq, reason: 'edited', message: `entry ${seen.seq} is not the entry the recorded head of ${name} points to` };
  }
  return undefined;
}

function toEntry(row: Row): JournalEntry {
  return {
    seq: row.seq,
    at: row.at,
    caseId: row.case_id as JournalEntry['caseId'],
    actor: JSON.parse(row.actor) as Actor,
    action: row.action,
    payload: JSON.parse(row.payload) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
