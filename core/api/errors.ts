import { z } from 'zod';

/**
 * Expected failures carry a code the UI can switch on; `bug` is kept apart for failures that mean Quell itself is
 * wrong (an output that breaks its own schema, an exception nobody anticipated).
 */
export const ErrorCode = z.enum([
  'invalid_input',
  'unknown_command',
  'not_found',
  'conflict',
  'db_path',
  'db_locked',
  'db_corrupt',
  'db_too_new',
  'db_foreign',
  'unauthorized',
  'forbidden',
  'unavailable',
  'bug',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiIssue = z.object({ path: z.string(), message: z.string() });
export type ApiIssue = z.infer<typeof ApiIssue>;

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(ApiIssue).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown inside core; the router turns it into `{ ok: false, error }` so it crosses IPC and HTTP intact. */
export class QuellError extends Error {
  readonly code: ErrorCode;
  readonly issues: ApiIssue[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, extra: { issues?: ApiIssue[]; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'QuellError';
    this.code = code;
    this.issues = extra.issues;
    this.details = extra.details;
  }

  toApiError(): ApiError {
    const error: ApiError = { code: this.code, message: this.message };
    if (this.issues) error.issues = this.issues;
    if (this.details) error.details = this.details;
    return error;
  }
}

/**
 * zod issues as `path: message` pairs a person can read; the root is called `input` unless the value checked was
 * something else (a handler's `output`, the `actor`), so a path never points at the wrong value.
 */
export function describeIssues(error: z.ZodError, root = 'input'): ApiIssue[] {
  return error.issues.map((issue) => ({
    path: [root, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

export function formatApiError(error: ApiError): string {
  const lines = [error.message];
  for (const issue of error.issues ?? []) lines.push(`  ${issue.path}: ${issue.message}`);
  return lines.join('\n');
}
