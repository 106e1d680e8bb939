/**
 * Every timestamp dialect in the evidence, to ISO-8601 UTC with milliseconds. Returns null when the value is not
 * a time at all, so the caller can fall back to another field or quarantine the record with a clear reason.
 */
export interface TimeOptions {
  /** A zone-less value is UTC (Sysmon UtcTime) rather than unknown local time. */
  zonelessIsUtc?: boolean;
  /** For syslog stamps that carry no year (`May 11 12:29:18`). */
  year?: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SYSLOG = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function toUtc(value: unknown, options: TimeOptions = {}): string | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  // Epoch text: seconds from 9 digits (1973 on) or milliseconds up to 13; shorter digit runs ("2021", "20210802")
  // are dates or ids, not epochs.
  if (/^\d{9,13}(\.\d+)?$/.test(text)) return fromEpoch(Number(text));

  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s = '00', frac = '', zone] = iso;
    if (!zone && !options.zonelessIsUtc) return null;
    const ms = Number((frac + '000').slice(0, 3));
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
    if (!validParts(t, Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s))) return null;
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
      t -= sign * offset * 60_000;
    }
    return new Date(t).toISOString();
  }

  const syslog = SYSLOG.exec(text);
  if (syslog && options.year !== undefined) {
    const [, mon, d, h, mi, s] = syslog;
    const month = MONTHS.indexOf(mon!) + 1;
    const t = Date.UTC(options.year, month - 1, Number(d), Number(h), Number(mi), Number(s));
    return validParts(t, options.year, month, Number(d), Number(h), Number(mi), Number(s)) ? new Date(t).toISOString() : null;
  }
  return null;
}

/** Seconds (Zeek, Unix) below 1e11, milliseconds (Elastic endpoint) above. */
function fromEpoch(n: number): string | null {
  if (!Number.isFinite(n) || n < 0) return null;
  // Truncated like ISO fractions are, so the same instant reads the same from either dialect.
  const ms = n < 1e11 ? Math.floor(n * 1000) : Math.floor(n);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() > 9999 ? null : d.toISOString();
}

function validParts(t: number, y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (Number.isNaN(t)) return false;
  const date = new Date(t);
  return (
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60
  );
}
