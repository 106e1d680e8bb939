import type { Result } from './errors.js';
import type { EventName } from './events.js';

/**
 * What the Electron preload exposes as `window.quell`, and what the browser-mode client implements over HTTP.
 * Deliberately narrow: two functions, names checked against the contract on both sides.
 */
export interface QuellBridge {
  invoke(command: string, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export const IPC_INVOKE = 'quell:invoke';
export const IPC_SUBSCRIBE = 'quell:subscribe';
export const IPC_EVENT = 'quell:event';
