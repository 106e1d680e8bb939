// The reader thread hands each batch over in parts (PART_RECORDS records each) that the writer takes as it iterates:
// the batches must come out whole and in order, exactly as readEvidence makes them in this thread, and a batch the
// writer stops iterating must not leak its remaining parts into the next message.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../store/journal.test-helpers.js';
import { generateEve } from './import.test-helpers.js';
import type { PreparedRecord } from './prepare-record.js';
import { readEvidence, type StreamedReadMessage } from './read-evidence.js';
import { PART_RECORDS, readInThread } from './reader-thread.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-worker-tsx.mjs');

async function collect(messages: AsyncIterable<StreamedReadMessage>, skipBatch = -1) {
  const out: { type: string; records?: PreparedRecord[] }[] = [];
  let batch = 0;
  for await (const m of messages) {
    if (m.type !== 'batch') out.push({ type: m.type });
    else if (batch++ === skipBatch) {
      // Take one record and stop, as a writer does when its transaction fails.
      for (const r of m.records) {
        out.push({ type: 'batch', records: [r] });
        break;
      }
    } else out.push({ type: 'batch', records: [...m.records] });
  }
  return out;
}

describe('evidence read in a thread, batches handed over in parts', () => {
  test('5,300 records come out as the same batches of 2000, 2000 and 1300 records as read in this thread', async (t) => {
    const file = path.join(tempDir(t), 'eve.ndjson');
    generateEve(file, 5300, 11, 0);
    const options = { filePath: file, caseId: 'case_parts' };
    const here = await collect(readEvidence(options));
    const there = await collect(readInThread(WORKER, options));
    assert.deepEqual(here.map((m) => m.records?.length ?? m.type), ['header', 2000, 2000, 1300, 'end']);
    assert.equal(PART_RECORDS, 250);
    assert.deepEqual(there, here);
  });

  test('a batch left after its first record is followed by the next batch, not by its own remaining parts', async (t) => {
    const file = path.join(tempDir(t), 'eve.ndjson');
    generateEve(file, 5300, 12, 0);
    const options = { filePath: file, caseId: 'case_parts' };
    const here = await collect(readEvidence(options), 0);
    const there = await collect(readInThread(WORKER, options), 0);
    assert.deepEqual(there.map((m) => m.records?.length ?? m.type), ['header', 1, 2000, 1300, 'end']);
    assert.deepEqual(there, here);
  });
});
