// Scratch: how long reading, parsing and normalising each file takes on its own (no database), in this thread or in
// the reader worker the CLI uses. node --import tsx bench/import-waits.ts inline|thread FILE…
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvidence } from '../core/ingest/read-evidence.js';
import { readInThread } from '../core/ingest/reader-thread.js';

const [mode, ...files] = process.argv.slice(2);
const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../core/ingest/import-worker-tsx.mjs');
for (const file of files) {
  const opts = { filePath: file, caseId: `case_${randomUUID()}` };
  const it = (mode === 'thread' ? readInThread(script, opts) : readEvidence(opts))[Symbol.asyncIterator]();
  let wait = 0;
  let n = 0;
  const t0 = performance.now();
  for (;;) {
    const s = performance.now();
    const m = await it.next();
    wait += performance.now() - s;
    if (m.done) break;
    if (m.value.type === 'batch') for (const _ of m.value.records) n++;
  }
  const all = performance.now() - t0;
  console.log(`${path.basename(file)}: ${n} records, ${(all / 1000).toFixed(1)} s, ${((all * 1000) / n).toFixed(0)} µs/record to read+prepare (${mode})`);
}
