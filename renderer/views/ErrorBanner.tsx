import { useApp } from '../state/app-store.js';
import { ApiErrorMessage } from './common/ApiErrorMessage.js';

/** Every failed command surfaces here with its message and, for invalid input, which field was wrong. */
export function ErrorBanner() {
  const error = useApp((s) => s.error);
  const dismiss = useApp((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-code={error.code}>
      <ApiErrorMessage error={error} />
      <button type="button" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
