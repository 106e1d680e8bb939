// Worker entry, in three roles. As an importer: runs one evidence.import on its own connection to the case database,
// so the host that started it keeps answering the UI (its commits reach the host's views through the host's journal
// watcher). As a reader: reads and normalises one evidence file for an importer in another thread (reader-thread.ts).
// As a detector: runs one sigma.run on its own connection, for the same reason as the importer (detect/sigma/worker.ts).
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { toWorkerError, type WorkerError } from '../worker-error.js';
import { serveSigma, type SigmaWorkerData } from '../detect/sigma/worker.js';
import type { Actor } from '../model/index.js';
import { randomIds, systemClock } from '../runtime.js';
import { Store } from '../store/index.js';
import { readEvidence } from './read-evidence.js';
import { serveReader, type ReaderWorkerData } from './reader-thread.js';
import { runImport, type ImportInput } from './run-import.js';

export interface ImportWorkerData {
  role: 'import';
  /** This very entry, so the importer can start a reader beside it. */
  script: string;
  dbPath: string;
  appVersion: string;
  nativeBinding?: string;
  input: ImportInput;
  actor: Actor;
}

export type ImportWorkerMessage =
  | { type: 'progress'; progress: Parameters<Parameters<typeof runImport>[2]['onProgress']>[0] }
  | { type: 'done'; result: Awaited<ReturnType<typeof runImport>> }
  | { type: 'failed'; error: WorkerError };

const data = workerData as ImportWorkerData | ReaderWorkerData | SigmaWorkerData;
const post = (message: ImportWorkerMessage) => parentPort!.postMessage(message);
const failure = toWorkerError;

// No top-level await: the same entry is bundled as ESM (quell serve) and as CommonJS (Electron).
async function importer(data: ImportWorkerData): Promise<void> {
  let store: Store | undefined;
  try {
    store = Store.open(data.dbPath, { appVersion: data.appVersion, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
    const result = await runImport(store, data.input, {
      actor: data.actor,
      clock: systemClock,
      ids: randomIds(randomUUID),
      onProgress: (progress) => post({ type: 'progress', progress }),
      readerScript: data.script,
    });
    post({ type: 'done', result });
  } catch (err) {
    post({ type: 'failed', error: failure(err) });
  } finally {
    store?.close();
  }
}

async function reader(data: ReaderWorkerData): Promise<void> {
  const port = parentPort!;
  try {
    await serveReader(readEvidence(data.options), port, data.port);
  } catch (err) {
    data.port.postMessage({ type: 'failed', error: failure(err) });
    port.postMessage(0);
  }
  data.port.close();
  // Everything is posted; closing the port lets the thread end (its 'message' listener would keep it alive).
  port.close();
}

if (data.role === 'sigma') serveSigma(data, (m) => parentPort!.postMessage(m));
else void (data.role === 'read' ? reader(data) : importer(data));
