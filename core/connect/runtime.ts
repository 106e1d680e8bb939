// What the connector handlers share: the registry of connectors the host passed in, the secret store it chose, the
// pulls running now (to stop them), per-connector sessions (a cached OAuth2 token) and timing knobs for tests.
import { QuellError } from '../api/errors.js';
import type { Connector, ContextOptions } from '../../connectors/sdk/index.js';
import type { SecretStore } from './secrets.js';

export interface ConnectOptions {
  connectors?: readonly Connector[];
  secrets?: SecretStore;
  /** HTTP client tuning passed to every connector context (tests inject a sleep that does not wait). */
  http?: ContextOptions['http'];
  /** Waits between polls of a pending action (default: real time). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** First wait between polls of a pending action; it grows ×1.5 up to 10 s. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How long connector.action polls a pending action before leaving it pending. Default 60 s. */
  pollTimeoutMs?: number;
}

export class ConnectRuntime {
  readonly connectors = new Map<string, Connector>();
  readonly running = new Map<string, AbortController>();
  readonly sessions = new Map<string, Map<string, unknown>>();

  constructor(readonly options: ConnectOptions = {}) {
    for (const c of options.connectors ?? []) {
      if (this.connectors.has(c.manifest.id)) throw new Error(`two connectors registered with id ${c.manifest.id}`);
      this.connectors.set(c.manifest.id, c);
    }
  }

  vendor(id: string): Connector {
    const c = this.connectors.get(id);
    if (!c) {
      const known = [...this.connectors.keys()].sort();
      throw new QuellError('not_found', `No connector vendor "${id}" (known: ${known.length ? known.join(', ') : 'none'}).`, {
        details: { vendor: id, known },
      });
    }
    return c;
  }

  secrets(): SecretStore {
    const s = this.options.secrets;
    if (!s) throw new QuellError('unavailable', 'No secret store is configured, so connector credentials cannot be kept.');
    return s;
  }

  session(name: string): Map<string, unknown> {
    let s = this.sessions.get(name);
    if (!s) this.sessions.set(name, (s = new Map()));
    return s;
  }
}
