import type { Result } from './errors.js';
import type { EventName } from './events.js';

/** A browser File, described without DOM types so this contract stays isomorphic. */
export interface UploadableFile {
  readonly name: string;
  readonly size: number;
}

/**
 * What the Electron preload exposes as `window.quell`, and what the browser-mode client implements over HTTP.
 * Deliberately narrow: two functions, names checked against the contract on both sides.
 */
export interface QuellBridge {
  invoke(command: string, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  /**
   * Makes a file the user picked or dropped importable and answers the path evidence.import takes: Electron
   * answers the file's own path; the browser host receives a streamed copy under the data folder.
   */
  upload(file: UploadableFile): Promise<Result<{ path: string }>>;
}

export const IPC_INVOKE = 'quell:invoke';
export const IPC_SUBSCRIBE = 'quell:subscribe';
export const IPC_EVENT = 'quell:event';
