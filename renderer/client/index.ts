import type {
  ApiError,
  CommandInput,
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
  QuellBridge,
  Result,
} from '../../core/api/index.js';
import { httpBridge } from './http.js';

declare global {
  interface Window {
    /** Present only in the Electron shell, exposed by electron/preload. */
    quell?: QuellBridge;
  }
}

/** The one client the views use. They cannot tell whether Electron IPC or the browser host is underneath. */
export interface QuellClient {
  readonly transport: 'electron' | 'browser';
  invoke<N extends CommandName>(command: N, input: CommandInput<N>): Promise<Result<CommandOutput<N>>>;
  subscribe<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void;
  /** Makes a picked or dropped file importable; answers the path to pass to evidence.import. */
  upload(file: File): Promise<Result<{ path: string }>>;
}

export function createClient(bridge: QuellBridge | undefined = window.quell): QuellClient {
  const transport = bridge ? 'electron' : 'browser';
  const underlying = bridge ?? httpBridge();
  return {
    transport,
    invoke: async (command, input) => {
      try {
        return (await underlying.invoke(command, input)) as Result<never>;
      } catch (err) {
        const error: ApiError = { code: 'unavailable', message: `Quell did not answer: ${err instanceof Error ? err.message : String(err)}` };
        return { ok: false, error };
      }
    },
    subscribe: (event, listener) => underlying.subscribe(event, listener as (payload: unknown) => void),
    upload: async (file) => {
      try {
        return await underlying.upload(file);
      } catch (err) {
        return { ok: false, error: { code: 'unavailable', message: `Could not send ${file.name}: ${err instanceof Error ? err.message : String(err)}` } };
      }
    },
  };
}

/** Unwraps a result or throws its ApiError, for callers that surface failures through one error banner. */
export class ClientError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export async function call<N extends CommandName>(client: QuellClient, command: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const result = await client.invoke(command, input);
  if (!result.ok) throw new ClientError(result.error);
  return result.value;
}
