import { QuellError, type ErrorCode } from './api/errors.js';

/** An error as it crosses a worker boundary: structured-clone safe, typed again on the other side. */
export type WorkerError = { code: string; message: string; issues?: unknown; details?: unknown };

/** A QuellError keeps its code and details; anything else is a bug, with its stack for the log. */
export function toWorkerError(err: unknown): WorkerError {
  return err instanceof QuellError ? err.toApiError() : { code: 'bug', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

/** The same typed error the worker threw, so callers cannot tell a threaded run from an in-thread one. */
export function fromWorkerError(error: WorkerError): Error {
  const { code, message, ...extra } = error;
  return code === 'bug' ? new Error(message) : new QuellError(code as ErrorCode, message, extra as ConstructorParameters<typeof QuellError>[2]);
}
