// Worker entry: runs one evidence.import on its own connection to the case database, so the host that started it
// keeps answering the UI. Its commits reach the host's views through the host's journal watcher.
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { QuellError } from '../api/errors.js';
import type { Actor } from '../model/index.js';
import { randomIds, systemClock } from '../runtime.js';
import { Store } from '../store/index.js';
import { runImport, type ImportInput } from './run-import.js';

export interface ImportWorkerData {
  dbPath: string;
  appVersion: string;
  nativeBinding?: string;
  input: ImportInput;
  actor: Actor;
}

export type ImportWorkerMessage =
  | { type: 'progress'; progress: Parameters<Parameters<typeof runImport>[2]['onProgress']>[0] }
  | { type: 'done'; result: Awaited<ReturnType<typeof runImport>> }
  | { type: 'failed'; error: { code: string; message: string; issues?: unknown; details?: unknown } };

const data = workerData as ImportWorkerData;
const post = (message: ImportWorkerMessage) => parentPort!.postMessage(message);

// No top-level await: the same entry is bundled as ESM (quell serve) and as CommonJS (Electron).
async function main(): Promise<void> {
  let store: Store | undefined;
  try {
    store = Store.open(data.dbPath, { appVersion: data.appVersion, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
    const result = await runImport(store, data.input, {
      actor: data.actor,
      clock: systemClock,
      ids: randomIds(randomUUID),
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    post({ type: 'done', result });
  } catch (err) {
    post({
      type: 'failed',
      error: err instanceof QuellError ? err.toApiError() : { code: 'bug', message: err instanceof Error ? (err.stack ?? err.message) : String(err) },
    });
  } finally {
    store?.close();
  }
}

void main();
