import type { ApiError } from '../../../core/api/index.js';

/** An ApiError as a person reads it: the message, then which field was wrong and why. */
export function ApiErrorMessage({ error }: { error: ApiError }) {
  return (
    <div>
      <strong>{error.message}</strong>
      {error.issues && (
        <ul>
          {error.issues.map((issue) => (
            <li key={issue.path}>
              {issue.path.replace(/^input\./, '')}: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
