// What the connector and the emulator agree on about a Splunk result row: its identity and its time.

/** A field as one string: multi-value fields (arrays) give their first value. */
export function field(row: Record<string, unknown>, name: string): string | undefined {
  const v = row[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s !== '' ? s : undefined;
}

/**
 * The row's id: a notable's `event_id`, else the event's place in the index (`_bkt` bucket, `_cd` offset) at its
 * `_time` (bucket and offset alone are not unique once results are summarised into the notable index).
 */
export function rowId(row: Record<string, unknown>): string | undefined {
  const eventId = field(row, 'event_id');
  if (eventId) return eventId;
  const cd = field(row, '_cd');
  const time = field(row, '_time');
  if (!cd || !time) return undefined;
  return `${field(row, '_bkt') ?? ''}/${cd}@${time}`;
}

/** `_time` as epoch milliseconds (ISO-8601 with an offset, as Splunk writes it in JSON), or NaN. */
export function rowTimeMs(row: Record<string, unknown>): number {
  const t = field(row, '_time');
  if (t === undefined) return Number.NaN;
  return /^\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * 1000) : Date.parse(t);
}

/** Epoch milliseconds as Splunk's `earliest_time` (epoch seconds with milliseconds). */
export const epochSeconds = (ms: number) => (ms / 1000).toFixed(3);
