import { createHash } from 'node:crypto';
import { QuellError } from '../api/index.js';
import { withAttack } from '../detect/attack/index.js';
import type { NormalizedEvent } from '../model/index.js';
import { extractEntities } from './entities.js';
import type { RawRecord } from './framing.js';
import { RecordError, type FormatDef, type ImportedIncident, type NormalizeResult } from './formats/types.js';

/**
 * One record made ready to write: everything the importer computes per record except the database work, as plain
 * data, so it can be prepared in one thread and written in another. Ids are content hashes, so preparing needs no
 * database.
 */
export type PreparedRecord =
  | { kind: 'event'; row: EventRow; links: EntityLink[] }
  | { kind: 'incident'; row: IncidentRow }
  | { kind: 'skipped'; reason: string }
  | { kind: 'quarantined'; row: QuarantineRow; reason: string };

/** The `events` columns in the order import-writer inserts them (stamp and import id are the writer's). */
export type EventRow = [
  id: string, kind: string, ts: string, dedupKey: string, risk: number, level: string, doc: string, original: string,
  format: string, title: string, host: string | null, user: string | null, techniques: string, line: number, tags: string,
];
export type EntityLink = [entityId: string, type: string, value: string, canonical: string, role: string];
export type QuarantineRow = [id: string, dedupKey: string, line: number, raw: Buffer];
export type IncidentRow = [
  id: string, title: string, risk: number, level: string, rationale: string, externalId: string,
  firstTs: string, lastTs: string, summary: string, detail: string,
];

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

export function prepareRecord(record: RawRecord, format: FormatDef, file: string, caseId: string): PreparedRecord {
  if (record.error || !record.value) return quarantine(record, file, record.error ?? 'empty record');
  let result: NormalizeResult;
  try {
    result = format.normalize(record.value, { file, line: record.line });
  } catch (err) {
    return quarantine(record, file, err instanceof RecordError ? err.message : `the ${format.name} reader failed on this record: ${(err as Error).message}`);
  }
  if (result.kind === 'skip') return { kind: 'skipped', reason: result.reason };
  if (result.kind === 'incident') return { kind: 'incident', row: incidentRow(result.incident, `${format.name}\0${result.identity}`, file, caseId) };
  if (!isTime(result.event['@timestamp'])) return quarantine(record, file, `no usable timestamp (${String(result.event['@timestamp'])})`);
  return eventRecord(canonicalAttack(result.event), `${format.name}\0${result.identity}`, record, caseId);
}

/**
 * Technique and tactic ids in the catalogue's canonical form, so the queue, the matrix and Sigma detections agree.
 * Without a catalogue (a damaged install) the record keeps its ATT&CK as the source wrote it: never lose evidence.
 */
function canonicalAttack(event: NormalizedEvent): NormalizedEvent {
  try {
    return withAttack(event);
  } catch (err) {
    if (err instanceof QuellError && err.code === 'unavailable') return event;
    throw err;
  }
}

const isTime = (t: unknown) => typeof t === 'string' && !Number.isNaN(Date.parse(t));

function quarantine(record: RawRecord, file: string, reason: string): PreparedRecord {
  // Keyed by file, line and bytes: re-importing the same damaged file finds its earlier quarantine rows.
  const dedupKey = sha256(Buffer.concat([Buffer.from(`${file}\0${record.line}\0`), record.bytes]));
  return { kind: 'quarantined', reason, row: [`q_${dedupKey.slice(0, 32)}`, dedupKey, record.line, record.bytes] };
}

function eventRecord(e: NormalizedEvent, identity: string, record: RawRecord, caseId: string): PreparedRecord {
  const dedupKey = sha256(identity);
  const id = `ev_${sha256(`${caseId}\0${dedupKey}`).slice(0, 32)}`;
  const title = e.rule?.name ?? e.event.action ?? e.message?.slice(0, 160) ?? `${e.event.dataset ?? e.quell.format} ${e.event.code ?? ''}`.trim();
  const host = e.host?.name ?? e.host?.hostname ?? null;
  const user = e.user?.name ? (e.user.domain && !e.user.name.includes('\\') ? `${e.user.domain}\\${e.user.name}` : e.user.name) : null;
  const links: EntityLink[] = extractEntities(e).map((entity) => [
    `en_${sha256(`${caseId}\0${entity.type}\0${entity.canonical}`).slice(0, 32)}`,
    entity.type,
    entity.value,
    entity.canonical,
    entity.role,
  ]);
  return {
    kind: 'event',
    links,
    row: [
      id, e.event.kind, e['@timestamp'], dedupKey, e.quell.risk, e.quell.level, JSON.stringify(e), record.bytes.toString('utf8'),
      e.quell.format, title, host, user, (e.threat?.technique?.id ?? []).join(' '), record.line,
      e.tags?.length ? `\x1f${e.tags.join('\x1f')}\x1f` : '',
    ],
  };
}

function incidentRow(i: ImportedIncident, identity: string, file: string, caseId: string): IncidentRow {
  const level = i.risk >= 90 ? 'critical' : i.risk >= 70 ? 'high' : i.risk >= 40 ? 'medium' : i.risk >= 20 ? 'low' : 'informational';
  return [
    `inc_${sha256(`${caseId}\0${identity}`).slice(0, 32)}`,
    i.title,
    i.risk,
    level,
    JSON.stringify([`imported from ${file}: the source grouped ${i.memberAlertIds.length} alerts`]),
    i.externalId,
    i.timestamp,
    i.timestamp,
    i.summary,
    JSON.stringify({ memberAlertIds: i.memberAlertIds, tactics: i.tactics, ...(i.riskOriginal !== undefined ? { riskOriginal: i.riskOriginal } : {}) }),
  ];
}
