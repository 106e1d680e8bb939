import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromWorkerError } from '../worker-error.js';
import type { ImportWorkerData, ImportWorkerMessage } from './import-worker.js';
import type { ImportRunner } from './run-import.js';

export interface WorkerImporterOptions {
  /** The worker entry: the bundled import-worker, or import-worker-tsx.mjs when Quell runs from its sources. */
  script: string | URL;
  dbPath: string;
  appVersion: string;
  nativeBinding?: string | undefined;
}

/** Runs each evidence.import in a fresh worker thread; failures come back as the same typed errors. */
export function workerImporter(options: WorkerImporterOptions): ImportRunner {
  return (input, actor, onProgress) =>
    new Promise((resolve, reject) => {
      const workerData: ImportWorkerData = {
        role: 'import',
        script: options.script instanceof URL ? fileURLToPath(options.script) : options.script,
        dbPath: options.dbPath,
        appVersion: options.appVersion,
        input,
        actor,
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      };
      const worker = new Worker(options.script, { workerData });
      let settled = false;
      worker.on('message', (message: ImportWorkerMessage) => {
        if (message.type === 'progress') onProgress(message.progress);
        else if (message.type === 'done') {
          settled = true;
          resolve(message.result);
        } else {
          settled = true;
          reject(fromWorkerError(message.error));
        }
      });
      worker.on('error', (err) => {
        if (!settled) reject(err);
        settled = true;
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`the import worker stopped (exit code ${code}) before it finished`));
      });
    });
}
