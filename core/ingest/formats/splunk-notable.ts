import { fromLevelName, informational } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { finish, first, isObject, stableStringify, str, strs, uniq, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';

/**
 * Splunk search-result rows (`output_mode=json` `results[]` or export `result`), in particular Splunk ES notable
 * events as the `notable` macro returns them. Every value is a string (numbers too) or an array of strings for a
 * multi-value field; `_time` is ISO-8601 with the search head's UTC offset.
 */

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+:[0-9a-f:]*$/i;
const isIp = (s: string | undefined): s is string => s !== undefined && (IPV4.test(s) || (s.includes(':') && IPV6.test(s)));

/** A CIM field as a single string: multi-value fields give their first value. */
const one = (row: Doc, ...keys: string[]) => {
  for (const key of keys) {
    const v = row[key];
    const s = Array.isArray(v) ? str(v[0]) : str(v);
    if (s !== undefined) return s;
  }
  return undefined;
};

/** Splunk ES writes `unknown` and the redactions of test data write `xxx`-only strings; neither is a value. */
const meaningful = (s: string | undefined) => (s !== undefined && s !== 'unknown' && !/^x[x.:-]*$/i.test(s) ? s : undefined);

/**
 * ES correlation searches annotate notables with ATT&CK as `annotations.mitre_attack` (technique ids), and in newer
 * versions the enriched `annotations.mitre_attack.mitre_technique_id` / `…mitre_tactic` fields.
 */
function attack(row: Doc) {
  const ids = uniq([
    ...(strs(row['annotations.mitre_attack.mitre_technique_id']) ?? []),
    ...(strs(row['annotations.mitre_attack']) ?? []).filter((s) => /^T\d{4}(\.\d{3})?$/i.test(s)),
  ].map((s) => s.toUpperCase()));
  if (!ids) return undefined;
  return {
    technique: { id: ids, name: strs(row['annotations.mitre_attack.mitre_technique']) },
    tactic: { id: strs(row['annotations.mitre_attack.mitre_tactic_id']), name: strs(row['annotations.mitre_attack.mitre_tactic']) },
  };
}

export function normalizeSplunkNotable(row: Doc): NormalizeResult {
  const rawTime = first(row, '_time');
  const at = toUtc(rawTime) ?? toUtc(first(row, '_indextime'));
  if (!at) throw new RecordError(`_time is missing or not a time: ${JSON.stringify(rawTime ?? null)}`);
  const notable = one(row, 'index') === 'notable' || one(row, 'event_id')?.includes('@@notable@@') === true;

  const urgency = meaningful(one(row, 'urgency'));
  const severity = urgency ? fromLevelName(urgency) : meaningful(one(row, 'severity')) ? fromLevelName(one(row, 'severity')) : informational;

  // In a notable `host` is the search head that wrote it; the affected system is the CIM `dest`.
  const destIp = [one(row, 'dest_ip'), one(row, 'dest')].find(isIp);
  const hostName = meaningful(one(row, 'dest_nt_host', 'dest_dns')) ?? [meaningful(one(row, 'dest'))].find((d) => d !== undefined && !isIp(d)) ?? (notable ? undefined : one(row, 'host'));
  const srcIp = [one(row, 'src_ip'), one(row, 'src')].find(isIp);
  const userName = meaningful(one(row, 'user'));
  const srcUser = meaningful(one(row, 'src_user'));
  const ruleName = one(row, 'rule_name', 'search_name', 'source');
  const title = one(row, 'rule_title') ?? ruleName;
  const tags = uniq([...(strs(row['tag']) ?? []), ...(strs(row['orig_tag']) ?? [])]);

  const event = finish({
    '@timestamp': at,
    message: one(row, 'rule_description', 'savedsearch_description', 'signature', 'description') ?? title,
    tags,
    event: {
      kind: notable ? 'alert' : 'event',
      code: meaningful(one(row, 'signature_id')),
      action: meaningful(one(row, 'action')),
      dataset: notable ? 'splunk.notable' : `splunk.${one(row, 'sourcetype') ?? 'search'}`,
      module: 'splunk',
      provider: one(row, 'orig_sourcetype', 'sourcetype'),
      original_time: String(rawTime ?? first(row, '_indextime')),
    },
    observer: { vendor: 'Splunk', product: notable ? 'Splunk Enterprise Security' : 'Splunk', name: one(row, 'splunk_server') },
    host: { name: hostName, ip: uniq([destIp]) },
    user: { name: userName },
    source: { ip: srcIp, user: { name: srcUser } },
    destination: { ip: destIp },
    rule: {
      id: one(row, 'savedsearch_name', 'search_name', 'rule_name'),
      name: title,
      description: one(row, 'rule_description', 'savedsearch_description'),
      category: one(row, 'security_domain'),
      ruleset: notable ? 'splunk-es' : 'splunk',
    },
    threat: attack(row),
    related: { ip: uniq([srcIp, destIp]), user: uniq([userName, srcUser]), hosts: uniq([hostName]) },
    quell: {
      format: 'splunk-notable',
      risk: severity.risk,
      level: severity.level,
      severityOriginal: severity.severityOriginal,
    },
  });

  // A notable's `event_id` is its identity across searches; other rows are one event at `_cd` in bucket `_bkt`.
  const eventId = one(row, 'event_id');
  const cd = one(row, '_cd');
  const identity = eventId ?? (cd ? `${one(row, '_bkt') ?? ''}\0${cd}\0${String(rawTime)}` : `doc:${stableStringify(row)}`);
  return { kind: 'event', event, identity };
}

export const splunkNotable: FormatDef = {
  name: 'splunk-notable',
  label: 'Splunk search results / ES notable events (JSON rows)',
  framing: 'json',
  detect(row) {
    if (!isObject(row) || typeof row['_time'] !== 'string') return 0;
    const splunkParts = ['_raw', '_cd', '_bkt', '_si', '_indextime', '_serial', 'splunk_server', 'sourcetype'].filter((k) => k in row).length;
    if (one(row, 'event_id')?.includes('@@notable@@') || one(row, 'index') === 'notable') return 0.95;
    return splunkParts >= 3 ? 0.85 : splunkParts >= 1 ? 0.4 : 0;
  },
  normalize: (row) => normalizeSplunkNotable(row),
};
