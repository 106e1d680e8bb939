// Whole words of the member name only (camelCase split first), so `clientSecret` and `api_key` are caught but
// `bypass` or `passenger` are not.
const SECRET_WORD = /(^|_)(pass|passwd|password|passphrase|secret|token|apikey|api_key|authorization|authorisation|credential|credentials|privatekey|private_key|cookie|sessionid|session_id)(_|$)/;
const secretWord = (key: string) => SECRET_WORD.test(key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s.]/g, '_').toLowerCase());
// Payloads repeat the same few member names; remember the verdicts (bounded, since keys can be data such as IPs).
const verdicts = new Map<string, boolean>();
const isSecretKey = (key: string): boolean => {
  let secret = verdicts.get(key);
  if (secret === undefined) {
    secret = secretWord(key);
    if (verdicts.size < 4096) verdicts.set(key, secret);
  }
  return secret;
};

export const REDACTED = '[redacted]';

/**
 * Journal payloads describe what happened, never the credentials used to do it. Members whose names look like
 * secrets are replaced wherever they appear, so a connector that forgets to strip its config still cannot leak it.
 * The input is never changed: what needed redacting is copied (plain objects and arrays along the way), the rest is
 * returned as it is, so a payload with nothing to redact costs no copy and a Map or class instance still reaches
 * canonicalJson, which refuses it, instead of being flattened into `{}` here.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = redactSecrets(item);
      if (next !== item && !out) out = value.slice(0, i);
      out?.push(next);
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const keys = Object.keys(value);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const member = (value as Record<string, unknown>)[key];
      const next = isSecretKey(key) && member !== null && member !== undefined && typeof member !== 'boolean' ? REDACTED : redactSecrets(member);
      if (next !== member && !out) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]!] = (value as Record<string, unknown>)[keys[j]!];
      }
      if (out) out[key] = next;
    }
    return out ?? value;
  }
  return value;
}
