const SECRET_KEY = /(pass(word|phrase)?|secret|token|api[-_]?key|authori[sz]ation|credential|private[-_]?key|cookie|session[-_]?id)/i;

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
      out[key] = SECRET_KEY.test(key) && member !== null && member !== undefined && typeof member !== 'boolean'
        ? REDACTED
        : redactSecrets(member);
    }
    return out;
  }
  return value;
}
