import type { ErrorCode } from '../../core/index.js';

/** HTTP status for an API error; the body always carries the ApiError, and clients switch on its code. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'invalid_input':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
    case 'unknown_command':
      return 404;
    case 'conflict':
      return 409;
    case 'db_locked':
    case 'unavailable':
      return 503;
    case 'db_path':
    case 'db_corrupt':
    case 'db_too_new':
    case 'db_foreign':
    case 'bug':
      return 500;
  }
}
