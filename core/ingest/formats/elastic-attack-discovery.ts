import { fromElastic, type Severity } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { first, get, isObject, stableStringify, str, strs, unwrapElastic, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type ImportedIncident, type NormalizeResult } from './types.js';

/**
 * Elastic Attack Discovery: an LLM-built grouping of detection alerts into one attack chain, stored by Kibana as
 * an alert document (`kibana.alert.attack_discovery.*`). It becomes an imported incident, not an event; the member
 * alerts are named by id only and may or may not be in the case.
 */

const AD = 'kibana.alert.attack_discovery';

export function isAttackDiscovery(doc: Doc): boolean {
  return get(doc, `${AD}.alert_ids`) !== undefined || get(doc, `${AD}.title`) !== undefined || get(doc, `${AD}.summary_markdown`) !== undefined;
}

/** The anonymisation map: uuid → real value. Kibana has stored it both as `[{uuid, value}]` and as an object. */
export function replacementMap(doc: Doc): Map<string, string> {
  const raw = get(doc, `${AD}.replacements`);
  const map = new Map<string, string>();
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const uuid = str(get(item, 'uuid'));
      const value = typeof get(item, 'value') === 'string' ? (get(item, 'value') as string) : undefined;
      if (uuid && value !== undefined) map.set(uuid, value);
    }
  } else if (isObject(raw)) {
    for (const [uuid, value] of Object.entries(raw)) if (typeof value === 'string') map.set(uuid, value);
  }
  return map;
}

const PLACEHOLDER = /\{\{\s*([^\s{}]+)\s+([^{}]*?)\s*\}\}/g;

/**
 * `{{ host.name <uuid> }}` becomes the real value the uuid stands for. A placeholder whose value is not in the
 * replacements is kept verbatim, so the reader can see that something was not resolved.
 */
export function resolvePlaceholders(text: string, replacements: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, _field: string, value: string) => replacements.get(value) ?? whole);
}

/** Attack Discovery lets risk_score exceed 100 (the sum over its alerts); risk is clamped, the original kept. */
export function attackDiscoveryRisk(doc: Doc): Severity {
  // Only a present score is passed on: fromElastic reads null or "" as a score of 0.
  const score = first(doc, 'kibana.alert.risk_score');
  return fromElastic(first(doc, 'kibana.alert.severity'), typeof score === 'number' || typeof score === 'string' ? score : undefined);
}

export function normalizeAttackDiscovery(record: Doc): NormalizeResult {
  const { doc, index, id } = unwrapElastic(record);
  if (!isAttackDiscovery(doc)) {
    throw new RecordError(`not an Attack Discovery document: no ${AD}.* fields (import it as elastic-alert)`);
  }
  const replacements = replacementMap(doc);
  const rawTitle = str(first(doc, `${AD}.title`, `${AD}.title_with_replacements`));
  if (!rawTitle) throw new RecordError(`${AD}.title is missing or empty`);

  const memberValue = get(doc, `${AD}.alert_ids`);
  if (memberValue !== undefined && !Array.isArray(memberValue)) {
    throw new RecordError(`${AD}.alert_ids is not a list (found ${typeof memberValue})`);
  }
  const memberAlertIds = strs(memberValue) ?? [];

  const rawTime = first(doc, '@timestamp', 'kibana.alert.start');
  const timestamp = toUtc(rawTime);
  if (!timestamp) throw new RecordError(`@timestamp is missing or not a time: ${JSON.stringify(rawTime ?? null)}`);

  const summaryText = str(first(doc, `${AD}.summary_markdown`, `${AD}.summary_markdown_with_replacements`, `${AD}.entity_summary_markdown`)) ?? '';
  const identity = elasticIdentity(doc, index, id);
  const incident: ImportedIncident = {
    externalId: str(get(doc, 'kibana.alert.uuid')) ?? id ?? identity,
    title: resolvePlaceholders(rawTitle, replacements),
    timestamp,
    risk: attackDiscoveryRisk(doc).risk,
    ...riskOriginal(doc),
    memberAlertIds,
    summary: resolvePlaceholders(summaryText, replacements),
    tactics: strs(get(doc, `${AD}.mitre_attack_tactics`)) ?? [],
  };
  return { kind: 'incident', incident, identity };
}

function riskOriginal(doc: Doc): { riskOriginal?: number } {
  const score = Number(first(doc, 'kibana.alert.risk_score'));
  return Number.isFinite(score) ? { riskOriginal: score } : {};
}

/** es_archiver or hit index+id when wrapped, else the alert uuid, else the whole document. */
export function elasticIdentity(doc: Doc, index: string | undefined, id: string | undefined): string {
  if (id) return `id:${index ?? ''}/${id}`;
  const uuid = str(get(doc, 'kibana.alert.uuid'));
  if (uuid) return `uuid:${uuid}`;
  return `doc:${stableStringify(doc)}`;
}

export const elasticAttackDiscovery: FormatDef = {
  name: 'elastic-attack-discovery',
  label: 'Elastic Attack Discovery',
  framing: 'json',
  detect(record) {
    const { doc } = unwrapElastic(record);
    if (!isAttackDiscovery(doc)) return 0;
    return Array.isArray(get(doc, `${AD}.alert_ids`)) ? 0.99 : 0.9;
  },
  normalize: (record) => normalizeAttackDiscovery(record),
};
