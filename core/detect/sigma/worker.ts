// sigma.run in a worker thread (the hosts), so matching a large case never blocks the thread that answers the UI.
// The worker entry is the import worker's (core/ingest/import-worker.ts), in its `sigma` role.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromWorkerError, toWorkerError, type WorkerError } from '../../worker-error.js';
import type { Actor } from '../../model/index.js';
import { systemClock } from '../../runtime.js';
import { Store } from '../../store/index.js';
import { runSigma, type SigmaRunInput, type SigmaRunResult } from './run.js';

/** Where sigma.run runs: in a worker so a host stays responsive, or in this thread (the CLI). */
export type SigmaRunner = (input: SigmaRunInput, actor: Actor) => Promise<SigmaRunResult>;

export interface SigmaWorkerData {
  role: 'sigma';
  dbPath: string;
  appVersion: string;
  nativeBinding?: string;
  input: SigmaRunInput;
  actor: Actor;
}

export type SigmaWorkerMessage = { type: 'done'; result: SigmaRunResult } | { type: 'failed'; error: WorkerError };

export interface WorkerSigmaOptions {
  /** The worker entry: the bundled import-worker, or import-worker-tsx.mjs when Quell runs from its sources. */
  script: string | URL;
  dbPath: string;
  appVersion: string;
  nativeBinding?: string | undefined;
}

/** Runs each sigma.run in a fresh worker thread on its own connection; failures come back as the same typed errors. */
export function workerSigmaRunner(options: WorkerSigmaOptions): SigmaRunner {
  return (input, actor) =>
    new Promise((resolve, reject) => {
      const workerData: SigmaWorkerData = {
        role: 'sigma',
        dbPath: options.dbPath,
        appVersion: options.appVersion,
        input,
        actor,
        ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      };
      const worker = new Worker(options.script instanceof URL ? fileURLToPath(options.script) : options.script, { workerData });
      let settled = false;
      worker.on('message', (message: SigmaWorkerMessage) => {
        settled = true;
        if (message.type === 'done') resolve(message.result);
        else reject(fromWorkerError(message.error));
      });
      worker.on('error', (err) => {
        if (!settled) reject(err);
        settled = true;
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`the Sigma worker stopped (exit code ${code}) before it finished`));
      });
    });
}

/** The worker side: opens the database, runs the rules, posts the result or the failure. */
export function serveSigma(data: SigmaWorkerData, post: (m: SigmaWorkerMessage) => void): void {
  let store: Store | undefined;
  try {
    store = Store.open(data.dbPath, { appVersion: data.appVersion, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
    post({ type: 'done', result: runSigma(store, data.input, { actor: data.actor, clock: systemClock }) });
  } catch (err) {
    post({ type: 'failed', error: toWorkerError(err) });
  } finally {
    store?.close();
  }
}
