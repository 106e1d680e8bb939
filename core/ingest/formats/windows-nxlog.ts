import { toUtc } from '../timestamps.js';
import { RecordError, type FormatDef } from './types.js';
import { contentIdentity, firstLine, mapWindowsEvent, text } from './windows-common.js';

/**
 * Windows events flattened by NXLog or Logstash into one JSON object per line, as in the OTRF Security-Datasets:
 * `Hostname`, `Channel`, `EventID`, `SourceName`, `Message` plus the event data as top-level keys.
 */
export interface NxlogOptions {
  /**
   * Minutes to add to `@timestamp` to reach UTC, for a file whose `@timestamp` is local time labelled `Z` (the OTRF
   * LSASS campaign 03 subset: +420; schtask_create: +300). Estimate it with {@link estimateTimestampOffset}. When
   * set, a Sysmon `UtcTime` that disagrees with the corrected `@timestamp` by more than ten minutes (a clock jump on
   * the host) loses to it. Without it the rule is plain: `UtcTime`, else `@timestamp`.
   */
  timestampOffsetMinutes?: number;
}

const AGREE_MS = 10 * 60_000;

interface Chosen {
  ts: string;
  source: string;
  original: string;
}

function chooseTime(record: Record<string, unknown>, offsetMinutes: number): Chosen {
  const rawUtc = record.UtcTime;
  const rawAt = record['@timestamp'];
  const utc = toUtc(rawUtc, { zonelessIsUtc: true });
  const at = toUtc(rawAt);
  const corrected = at && offsetMinutes ? new Date(Date.parse(at) + offsetMinutes * 60_000).toISOString() : at;

  if (utc && (!offsetMinutes || !corrected || Math.abs(Date.parse(utc) - Date.parse(corrected)) <= AGREE_MS)) {
    return { ts: utc, source: 'UtcTime', original: String(rawUtc) };
  }
  if (corrected) {
    const shift = offsetMinutes ? `${offsetMinutes > 0 ? '+' : ''}${offsetMinutes}m` : '';
    const why = utc ? ' (UtcTime disagrees)' : '';
    return { ts: corrected, source: `@timestamp${shift}${why}`, original: String(rawAt) };
  }

  // Say exactly what was there and why none of it was used.
  const reasons: string[] = [];
  reasons.push(rawUtc === undefined ? 'no UtcTime' : `UtcTime ${JSON.stringify(rawUtc)} is not a time`);
  reasons.push(
    rawAt === undefined
      ? 'no @timestamp'
      : `@timestamp ${JSON.stringify(rawAt)} is not a time with a zone`,
  );
  for (const local of ['TimeCreated', 'EventTime'] as const) {
    if (record[local] !== undefined) reasons.push(`${local} ${JSON.stringify(record[local])} is host-local time and is not used`);
  }
  throw new RecordError(`no usable timestamp: ${reasons.join('; ')}`);
}

export interface TimestampOffset {
  /** Minutes to add to `@timestamp` to reach Sysmon's `UtcTime`, in steps of 15. */
  minutes: number;
  /** Records that agree with that offset, of all records carrying both fields. */
  agreeing: number;
  pairs: number;
}

/**
 * The offset by which a file's `@timestamp` trails UTC, learnt from the records that carry both `@timestamp` and
 * Sysmon `UtcTime`: the most common difference (to 15 minutes), when more than half the pairs and at least three
 * agree. Null when there is nothing to learn from or no majority.
 */
export function estimateTimestampOffset(records: Iterable<Record<string, unknown>>): TimestampOffset | null {
  const votes = new Map<number, number>();
  let pairs = 0;
  for (const record of records) {
    const utc = toUtc(record.UtcTime, { zonelessIsUtc: true });
    const at = toUtc(record['@timestamp']);
    if (!utc || !at) continue;
    pairs++;
    const step = Math.round((Date.parse(utc) - Date.parse(at)) / 60_000 / 15) * 15 || 0;
    votes.set(step, (votes.get(step) ?? 0) + 1);
  }
  let best: { minutes: number; agreeing: number } | null = null;
  for (const [minutes, agreeing] of votes) if (!best || agreeing > best.agreeing) best = { minutes, agreeing };
  if (!best || pairs < 3 || best.agreeing < 3 || best.agreeing * 2 <= pairs) return null;
  return { ...best, pairs };
}

const hasEventId = (v: unknown) => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^\d+$/.test(v));

export function createWindowsNxlog(options: NxlogOptions = {}): FormatDef {
  const offset = options.timestampOffsetMinutes ?? 0;
  return {
    name: 'windows-nxlog',
    label: 'Windows events (NXLog/Logstash JSON, OTRF)',
    framing: 'json',
    detect(record) {
      if (typeof record.Hostname !== 'string' || !hasEventId(record.EventID)) return 0;
      if ('TimeGenerated' in record || 'Event' in record) return 0.2;
      return typeof record.Channel === 'string' || typeof record.SourceName === 'string' ? 0.9 : 0.6;
    },
    normalize(record) {
      const eventId = text(record.EventID);
      if (eventId === undefined || !/^\d+$/.test(eventId)) {
        throw new RecordError(`EventID: expected an event number, found ${JSON.stringify(record.EventID ?? null)}`);
      }
      const time = chooseTime(record, offset);
      const channel = text(record.Channel);
      const host = text(record.Hostname);
      const recordId = text(record.RecordNumber ?? record.EventRecordID);
      const event = mapWindowsEvent({
        format: 'windows-nxlog',
        eventId,
        channel,
        provider: text(record.SourceName ?? record.ProviderName),
        computer: host,
        data: record,
        timestamp: time.ts,
        originalTime: time.original,
        timeSource: time.source,
        recordId,
        fallbackMessage: firstLine(record.Message),
      });
      // NXLog keeps the record number when it ships it; OTRF's later datasets drop it, and then only the whole
      // record says which event it is.
      const identity = recordId ? `record:${host ?? ''}|${channel ?? ''}|${recordId}` : contentIdentity(record);
      return { kind: 'event', event, identity };
    },
  };
}

export const windowsNxlog: FormatDef = {
  ...createWindowsNxlog(),
  // Exporters that stamp local time with a Z (LSASS campaign 03: 7 h behind) are found by comparing @timestamp with
  // Sysmon's UtcTime on the same records; records that only have @timestamp are then corrected by that offset.
  calibrate(samples) {
    const offset = estimateTimestampOffset(samples);
    if (!offset || offset.minutes === 0) return null;
    return {
      format: createWindowsNxlog({ timestampOffsetMinutes: offset.minutes }),
      note: `@timestamp is ${offset.minutes} min behind Sysmon UtcTime on ${offset.agreeing} of ${offset.pairs} sampled records: records without UtcTime are corrected by ${offset.minutes} min`,
    };
  },
};
