import type { Connector } from '../connectors/sdk/index.js';
import { ConnectRuntime, type ConnectOptions } from './connect/runtime.js';
import { EngineRuntime, type EngineOptions } from './engine/index.js';
import type { SecretStore } from './connect/secrets.js';
import { workerSigmaRunner } from './detect/sigma/worker.js';
import { handlers } from './handlers/index.js';
import { workerImporter } from './ingest/index.js';
import { Router } from './router.js';
import type { Clock, IdSource } from './runtime.js';
import { Store } from './store/index.js';

export interface CoreOptions {
  dbPath: string;
  /** Create the database folder when missing: true for the default data directory, false for an explicit --db. */
  createDir: boolean;
  clock: Clock;
  ids: IdSource;
  appVersion: string;
  logBug?: (command: string, err: unknown) => void;
  /** better-sqlite3 addon for a non-Node runtime (see OpenOptions.nativeBinding). */
  nativeBinding?: string;
  /** Poll for journal entries committed by other processes every N ms (hosts with live views); off by default. */
  watchIntervalMs?: number;
  /**
   * Run evidence.import and sigma.run in a worker thread from this script (the hosts), so requests keep being
   * answered during long work; without it they run in the calling thread (the CLI, which has nothing else to do).
   */
  importWorker?: string | URL;
  /**
   * The same worker entry, for a CLI import in this thread: each file is then read and normalised in a worker while
   * this thread writes. Ignored when importWorker is set (that worker starts its own reader).
   */
  readerWorker?: string | URL;
  /** The connector vendors this host ships (cli/connector-registry.ts, electron/connector-registry.ts). */
  connectors?: readonly Connector[];
  /** Where connector credentials live (Electron safeStorage, an encrypted file, the environment). */
  secrets?: SecretStore;
  /** Connector timing knobs (tests make waits instant). */
  connect?: Omit<ConnectOptions, 'connectors' | 'secrets'>;
  /** Playbook engine knobs (tests make waits instant, point at another playbook library). */
  engine?: EngineOptions;
}

export interface Core {
  readonly router: Router;
  readonly store: Store;
  /** Connector runtime: the registered vendors and the pulls running now. */
  readonly connect: ConnectRuntime;
  /** Playbook runs alive in this process. */
  readonly engine: EngineRuntime;
  close(): void;
}

/** Opens the case database and wires every command handler to it. Both hosts (CLI/serve and Electron) start here. */
export function openCore(options: CoreOptions): Core {
  const store = Store.open(options.dbPath, {
    createDir: options.createDir,
    appVersion: options.appVersion,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  const connect = new ConnectRuntime({
    ...(options.connect ?? {}),
    ...(options.connectors ? { connectors: options.connectors } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  const engine = new EngineRuntime(options.engine ?? {});
  const router = new Router({
    store,
    clock: options.clock,
    ids: options.ids,
    handlers: handlers(options.appVersion, {
      importRunner: options.importWorker
        ? workerImporter({ script: options.importWorker, dbPath: options.dbPath, appVersion: options.appVersion, nativeBinding: options.nativeBinding })
        : undefined,
      readerScript: options.readerWorker,
      sigmaRunner: options.importWorker
        ? workerSigmaRunner({ script: options.importWorker, dbPath: options.dbPath, appVersion: options.appVersion, nativeBinding: options.nativeBinding })
        : undefined,
      connect,
      engine,
    }),
    ...(options.logBug ? { logBug: options.logBug } : {}),
  });
  engine.bind(router, store, options.clock, options.ids);
  const timer = options.watchIntervalMs ? setInterval(() => {
        try {
          store.pollExternalCommits();
        } catch (err) {
          options.logBug?.('journal watch', err); // a locked or vanished file must not kill the host
        }
      }, options.watchIntervalMs) : undefined;
  timer?.unref();
  return {
    router,
    store,
    connect,
    engine,
    close: () => {
      if (timer) clearInterval(timer);
      engine.close();
      for (const run of connect.running.values()) run.abort(new Error('Quell is closing'));
      store.close();
    },
  };
}
