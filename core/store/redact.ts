// Whole words of the member name only (camelCase split first), so `clientSecret` and `api_key` are caught but
// `bypass` or `passenger` are not.
const SECRET_WORD = /(^|_)(pass|passwd|password|passphrase|secret|token|apikey|api_key|authorization|authorisation|credential|credentials|privatekey|private_key|cookie|sessionid|session_id)(_|$)/;
const isSecretKey = (key: string) => SECRET_WORD.test(key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s.]/g, '_').toLowerCase());

export const REDACTED = '[redacted]';

/**
 * Journal payloads describe what happened, never the credentials used to do it. Members whose names look like
 * secrets are replaced wherever they appear, so a connector that forgets to strip its config still cannot leak it.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      out[key] = isSecretKey(key) && member !== null && member !== undefined && typeof member !== 'boolean'
        ? REDACTED
        : redactSecrets(member);
    }
    return out;
  }
  return value;
}
