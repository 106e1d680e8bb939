import { Worker } from 'node:worker_threads';
import { fromWorkerError, type WorkerError } from '../worker-error.js';
import type { ReadMessage, ReadOptions } from './read-evidence.js';

/** What the import worker entry receives when it is started as a reader (see import-worker.ts). */
export interface ReaderWorkerData {
  role: 'read';
  options: ReadOptions;
}

export type ReaderWorkerMessage = ReadMessage | { type: 'failed'; error: WorkerError };

/** How many prepared batches the reader may run ahead of the writer: enough to overlap, few enough to bound memory. */
export const READ_AHEAD = 2;

/**
 * readEvidence in a worker thread: the file is read, parsed and normalised there while this thread writes the
 * previous batch, so the two cores share an import. Yields the same messages in the same order; errors come back
 * as the same typed QuellErrors. Stopping early (return/throw in the consumer) terminates the worker.
 */
export async function* readInThread(script: string | URL, options: ReadOptions): AsyncGenerator<ReadMessage> {
  const workerData: ReaderWorkerData = { role: 'read', options };
  // A small young generation: the reader makes short-lived garbage fast, and V8's default lets it grow to tens of
  // megabytes before collecting. 8 MB took the importer's peak RSS from 406–463 MB to 353–382 MB on 50k alerts
  // (three runs each), at no cost in time. Large records are allocated outside it, so they are not limited by it.
  const worker = new Worker(script, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  const queue: ReaderWorkerMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ReaderWorkerMessage) => {
    queue.push(m);
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
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        if (exited) throw new Error('the evidence reader stopped before it finished');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (m.type === 'failed') throw fromWorkerError(m.error);
      yield m;
      // Handed over and written: the reader may prepare one more batch.
      if (m.type === 'batch') worker.postMessage('next');
      if (m.type === 'end') return;
    }
  } finally {
    if (!exited) await worker.terminate();
  }
}

/** The reader side, run by the import worker entry: posts each message, staying at most READ_AHEAD batches ahead. */
export async function serveReader(
  read: AsyncIterable<ReadMessage>,
  port: { postMessage(m: ReaderWorkerMessage): void; on(event: 'message', listener: () => void): void },
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
    port.postMessage(m);
  }
}
