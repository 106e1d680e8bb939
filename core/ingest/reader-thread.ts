import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { fromWorkerError, type WorkerError } from '../worker-error.js';
import type { PreparedRecord } from './prepare-record.js';
import type { ReadMessage, ReadOptions, StreamedReadMessage } from './read-evidence.js';

/** What the import worker entry receives when it is started as a reader (see import-worker.ts). */
export interface ReaderWorkerData {
  role: 'read';
  options: ReadOptions;
  /** Where the reader posts its messages; the writer takes each one off it only when it is ready to write it. */
  port: MessagePort;
}

/**
 * What the reader posts: a batch is sent as its head (`parts` says how many parts follow) and then its records in
 * parts, so that the writer deserializes a few hundred records at a time instead of the whole batch at once.
 */
export type ReaderWorkerMessage =
  | Exclude<ReadMessage, { type: 'batch' }>
  | { type: 'batch'; parts: number; lines: [first: number, last: number]; bytesRead: number }
  | { type: 'part'; records: PreparedRecord[] }
  | { type: 'failed'; error: WorkerError };

/**
 * Records per part of a batch. A batch of 2000 records (several MB of strings) deserialized at once outlived two
 * scavenges of the writer's young generation while it was written, so every batch was promoted and left its strings
 * as old-generation garbage: the importer's RSS swung between ~330 and ~460 MB. A part is written and dead before
 * the next scavenge.
 */
export const PART_RECORDS = 250;

/**
 * The records of one batch, taken off the port part by part as the writer iterates them (synchronously: the parts
 * were all posted before the message that announced the batch). `skipRest` drops the parts not taken.
 */
function batchParts(inbox: MessagePort, parts: number): { records: Iterable<PreparedRecord>; skipRest(): void } {
  let left = parts;
  function* records(): Generator<PreparedRecord> {
    while (left > 0) {
      left--;
      const part = receiveMessageOnPort(inbox)?.message as ReaderWorkerMessage | undefined;
      if (part?.type !== 'part') throw new Error('the evidence reader sent a batch without all its parts');
      yield* part.records;
    }
  }
  return {
    records: records(),
    skipRest() {
      for (; left > 0; left--) receiveMessageOnPort(inbox);
    },
  };
}

/** How many prepared batches the reader may run ahead of the writer: enough to overlap, few enough to bound memory. */
export const READ_AHEAD = 2;

/**
 * readEvidence in a worker thread: the file is read, parsed and normalised there while this thread writes the
 * previous batch, so the two cores share an import. Yields the same messages in the same order; errors come back
 * as the same typed QuellErrors. Stopping early (return/throw in the consumer) terminates the worker.
 */
export async function* readInThread(script: string | URL, options: ReadOptions): AsyncGenerator<StreamedReadMessage> {
  // Messages wait on a port of their own, still serialized (outside the JS heap); the worker's own channel only says
  // that one is there. A batch comes as its head and then parts of PART_RECORDS records, and the writer's loop over
  // its records takes each part off the port as it gets to it (see batchParts).
  const { port1: inbox, port2 } = new MessageChannel();
  const workerData: ReaderWorkerData = { role: 'read', options, port: port2 };
  // A small young generation: the reader makes short-lived garbage fast, and V8's default lets it grow to tens of
  // megabytes before collecting. 8 MB took the importer's peak RSS from 406–463 MB to 353–382 MB on 50k alerts
  // (three runs each), at no cost in time. Large records are allocated outside it, so they are not limited by it.
  const worker = new Worker(script, { workerData, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  let waiting = 0;
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', () => {
    waiting++;
    notify();
  });
  worker.on('error', (err) => {
    failure ??= err;
    notify();
  });
  worker.on('exit', (code) => {
    exited = true;
    if (code !== 0) failure ??= new Error(`the evidence reader stopped (exit code ${code}) before it finished`);
    notify();
  });

  try {
    for (;;) {
      if (waiting === 0) {
        if (failure) throw failure;
        if (exited) throw new Error('the evidence reader stopped before it finished');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      waiting--;
      const m = receiveMessageOnPort(inbox)?.message as ReaderWorkerMessage | undefined;
      if (!m) throw new Error('the evidence reader announced a message that never came');
      if (m.type === 'failed') throw fromWorkerError(m.error);
      if (m.type === 'part') throw new Error('the evidence reader sent part of a batch outside a batch');
      if (m.type === 'batch') {
        const parts = batchParts(inbox, m.parts);
        yield { type: 'batch', records: parts.records, lines: m.lines, bytesRead: m.bytesRead };
        // Parts the writer did not take (it stopped on an error) are not mistaken for the next message.
        parts.skipRest();
      } else yield m;
      // Handed over and written: the reader may prepare one more batch.
      if (m.type === 'batch') worker.postMessage('next');
      if (m.type === 'end') return;
    }
  } finally {
    inbox.close();
    if (!exited) await worker.terminate();
  }
}

/** The reader side, run by the import worker entry: posts each message, staying at most READ_AHEAD batches ahead. */
export async function serveReader(
  read: AsyncIterable<ReadMessage>,
  port: { postMessage(m: unknown): void; on(event: 'message', listener: () => void): void },
  outbox: { postMessage(m: ReaderWorkerMessage): void },
): Promise<void> {
  let credits = READ_AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits++;
    wake?.();
    wake = null;
  });
  for await (const m of read) {
    if (m.type === 'batch') {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
    }
    if (m.type === 'batch') {
      const parts = Math.ceil(m.records.length / PART_RECORDS);
      outbox.postMessage({ type: 'batch', parts, lines: m.lines, bytesRead: m.bytesRead } satisfies ReaderWorkerMessage);
      for (let k = 0; k < parts; k++) {
        outbox.postMessage({ type: 'part', records: m.records.slice(k * PART_RECORDS, (k + 1) * PART_RECORDS) } satisfies ReaderWorkerMessage);
      }
    } else outbox.postMessage(m);
    port.postMessage(0); // one more message (with its parts) waits in the outbox
  }
}
