import type { NormalizedEvent } from '../../model/index.js';

/** Where a record came from, for quarantine entries and the detail drawer. */
export interface RecordContext {
  file: string;
  line: number;
}

/** A reason to quarantine one record: it keeps its raw bytes, file, line and this message. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

/** An incident the source already built (Elastic Attack Discovery): stored as an incident, not as an event. */
export interface ImportedIncident {
  externalId: string;
  title: string;
  timestamp: string;
  risk: number;
  /** The vendor's own score when it is not on the 0–100 scale (Attack Discovery: 1089). */
  riskOriginal?: number;
  /** Member alert ids as the vendor names them. */
  memberAlertIds: string[];
  summary: string;
  tactics: string[];
}

export type NormalizeResult =
  | { kind: 'event'; event: NormalizedEvent; identity: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'incident'; incident: ImportedIncident; identity: string };

/**
 * A source format: how to recognise one of its records and how to turn it into the normalised schema. `identity`
 * is the source's own notion of "the same record" (an alert id, a Zeek uid+ts…) from which the dedup key is made;
 * throwing RecordError quarantines the record with that message.
 */
export interface FormatDef {
  name: string;
  label: string;
  framing: 'json' | 'zeek-tsv';
  /** Confidence 0..1 that a parsed record is of this format; the best score over the first records wins. */
  detect(record: Record<string, unknown>): number;
  normalize(record: Record<string, unknown>, ctx: RecordContext): NormalizeResult;
  /**
   * Looks at the first records of a file before any is stored and may return a reader tuned to it (a clock offset
   * to correct), with a note for the journal saying what was found.
   */
  calibrate?(samples: Record<string, unknown>[]): { format: FormatDef; note: string } | null;
}
