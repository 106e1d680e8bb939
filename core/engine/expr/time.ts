/**
 * ISO 8601 instants without the host's time zone: `Date.parse` reads a zone-less date-time as local time, which
 * would make a playbook's answer depend on the machine it runs on. A missing zone here means UTC.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Milliseconds since the epoch, or null when the text is not an ISO 8601 date or date-time. */
export function isoMillis(text: string): number | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  if (zone !== undefined && m[4] === undefined) return null; // a zone only makes sense with a time
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), Math.floor(Number(`0.${frac || '0'}`) * 1000));
  // Date.UTC rolls 31 February over into March; such a date does not exist.
  if (new Date(utc).getUTCDate() !== day) return null;
  let offset = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const sign = digits[0] === '-' ? -1 : 1;
    const oh = Number(digits.slice(1, 3)), om = Number(digits.slice(3, 5) || '0');
    if (oh > 23 || om > 59) return null;
    offset = sign * (oh * 60 + om) * 60_000;
  }
  return utc - offset;
}

/** The largest instant a Date can hold (ECMA-262 §21.4.1.1). */
const MAX_MS = 8.64e15;

export function millisToIso(ms: number): string | null {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS) return null;
  return new Date(ms).toISOString();
}
