// Scratch measurement behind the import figure's profile: runs Quell's import in this process (runImport, as the CLI
// does) with every better-sqlite3 statement timed, to split the importer's time into SQLite work, statement by
// statement (COMMIT included, triggers inside their INSERT), and everything else (JavaScript). The timing wrapper
// costs well under a microsecond per call.
//
//   node --import tsx bench/import-sql-time.ts OUT_DB FILE…
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { runImport } from '../core/ingest/index.js';
import { CaseId } from '../core/model/index.js';
import { randomIds, systemClock } from '../core/runtime.js';
import { Store } from '../core/store/index.js';

const [dbFile, ...files] = process.argv.slice(2);
if (!dbFile || !files.length) {
  console.error('usage: node --import tsx bench/import-sql-time.ts OUT_DB FILE…');
  process.exit(2);
}

const spent = new Map<string, { calls: number; ms: number }>();
const probe = new Database(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
probe.close();
for (const method of ['run', 'get', 'all'] as const) {
  const original = proto[method] as (...args: unknown[]) => unknown;
  proto[method] = function (this: { source: string }, ...args: unknown[]) {
    const start = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const key = this.source.replace(/\s+/g, ' ').slice(0, 70);
      const s = spent.get(key) ?? { calls: 0, ms: 0 };
      s.calls++;
      s.ms += performance.now() - start;
      spent.set(key, s);
    }
  };
}

const store = Store.open(dbFile, { appVersion: 'bench', createDir: true });
const now = new Date().toISOString();
const caseId = CaseId.parse(`case_${randomUUID().replaceAll('-', '')}`);
store.write(() => store.cases.insert({ id: caseId, name: 'sql-time', description: '', status: 'open', createdAt: now, updatedAt: now }));
spent.clear();

const start = performance.now();
const result = await runImport(store, { caseId, paths: files }, {
  actor: { kind: 'analyst', id: 'bench' },
  clock: systemClock,
  ids: randomIds(randomUUID),
  onProgress: () => {},
});
const totalMs = performance.now() - start;
store.close();
const rows = result.totals.stored;

let sqlMs = 0;
console.log(`${rows} records stored in ${(totalMs / 1000).toFixed(1)} s (${((totalMs * 1000) / rows).toFixed(0)} µs/row), in process\n`);
console.log('   calls      ms   µs/row  statement');
for (const [sql, s] of [...spent.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
  sqlMs += s.ms;
  if (s.ms < totalMs / 1000) continue;
  console.log(`${String(s.calls).padStart(8)}${s.ms.toFixed(0).padStart(8)}${((s.ms * 1000) / rows).toFixed(1).padStart(9)}  ${sql}`);
}
console.log(`\n${((sqlMs * 1000) / rows).toFixed(0).padStart(6)} µs/row inside SQLite statements (all)`);
console.log(`${(((totalMs - sqlMs) * 1000) / rows).toFixed(0).padStart(6)} µs/row everything else (JavaScript, GC, reading files)`);
