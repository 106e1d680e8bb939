import type { Level } from '../../model/index.js';
import { levelFromRisk, type Severity } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { finish, get, hash, isObject, num, str, strs, uniq, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';

/**
 * CrowdStrike Falcon alerts as `POST /alerts/entities/alerts/v2` returns them (the `resources[]` items), which is
 * what the CrowdStrike connector pulls: endpoint (`epp`, with a `device` block and the process), identity (`idp`)
 * and cloud (`fcs`, with the cloud account and the caller's address) alerts share the top-level fields.
 */

const LEVELS: Record<string, Level> = { informational: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

/** `severity` is already 0–100; `severity_name` names the band, and wins when it is one Quell knows. */
export function fromCrowdStrike(severity: unknown, name: unknown): Severity {
  const n = num(severity);
  const label = str(name);
  const risk = n === undefined ? 0 : Math.max(0, Math.min(100, Math.round(n)));
  const level: Level = (label ? LEVELS[label.toLowerCase()] : undefined) ?? (n === undefined ? 'informational' : levelFromRisk(risk));
  const original = label && n !== undefined ? `${label}/${n}` : (label ?? n);
  return { risk, level, ...(original === undefined ? {} : { severityOriginal: original }) };
}

/** ATT&CK from `mitre_attack[]` and the top-level tactic/technique, in first-seen order. */
function threatOf(alert: Doc) {
  const entries = [alert, ...(Array.isArray(alert['mitre_attack']) ? alert['mitre_attack'].filter(isObject) : [])];
  const techniqueId = uniq(entries.map((e) => str(e['technique_id'])));
  const techniqueName = uniq(entries.map((e) => str(e['technique'])));
  const tacticId = uniq(entries.map((e) => str(e['tactic_id'])));
  const tacticName = uniq(entries.map((e) => str(e['tactic'])));
  if (!techniqueId && !tacticId && !tacticName) return undefined;
  return { technique: { id: techniqueId, name: techniqueName }, tactic: { id: tacticId, name: tacticName } };
}

export function normalizeCrowdStrikeAlert(alert: Doc): NormalizeResult {
  const id = str(alert['composite_id']) ?? str(alert['id']);
  if (!id) throw new RecordError('composite_id and id are missing or empty');
  const field = alert['created_timestamp'] !== undefined ? 'created_timestamp' : 'timestamp';
  const rawTime = alert[field];
  const at = toUtc(rawTime);
  if (!at) throw new RecordError(`created_timestamp is missing or not a time: ${JSON.stringify(rawTime ?? null)}`);

  const severity = fromCrowdStrike(alert['severity'], alert['severity_name']);
  const device = isObject(alert['device']) ? alert['device'] : {};
  const hostName = str(device['hostname']);
  const hostIps = uniq([str(device['local_ip']), str(device['external_ip'])]);
  const sourceIp = str(alert['source_ip_address']) ?? strs(alert['source_ips'])?.[0] ?? str(alert['local_ip']);
  const userName = str(alert['user_name']);
  const parent = isObject(alert['parent_details']) ? alert['parent_details'] : {};
  const fileHash = { md5: hash('md5', alert['md5']), sha1: hash('sha1', alert['sha1']), sha256: hash('sha256', alert['sha256']) };
  const product = str(alert['product']);

  const event = finish({
    '@timestamp': at,
    message: str(alert['description']),
    tags: strs(alert['tags']),
    event: {
      kind: 'alert',
      action: str(alert['event_name']),
      category: strs(alert['data_domains']),
      dataset: product ? `crowdstrike.alert.${product}` : 'crowdstrike.alert',
      provider: str(alert['event_source']) ?? product,
      original_time: String(rawTime),
      severity: num(alert['severity']),
    },
    observer: { vendor: 'CrowdStrike', product: 'Falcon' },
    host: {
      name: hostName,
      hostname: hostName,
      domain: str(device['machine_domain']),
      ip: hostIps,
      os: { name: str(device['os_version']), platform: str(device['platform_name']) },
    },
    user: { name: userName, domain: str(alert['logon_domain']), id: str(alert['user_id']) ?? str(alert['user_principal_id']) },
    source: { ip: sourceIp },
    process: {
      pid: num(alert['local_process_id']),
      name: str(alert['filename']),
      executable: str(alert['filepath']),
      command_line: str(alert['cmdline']),
      entity_id: str(alert['process_id']),
      parent: {
        name: str(parent['filename']),
        executable: str(parent['filepath']),
        command_line: str(parent['cmdline']),
        entity_id: str(parent['process_id']),
      },
    },
    file: { name: str(alert['filename']), path: str(alert['filepath']), hash: fileHash },
    rule: {
      id: str(alert['pattern_id']) ?? str(alert['rule_id']),
      name: str(alert['display_name']) ?? str(alert['name']),
      description: str(alert['description']),
      category: str(alert['type']),
      ruleset: product,
    },
    threat: threatOf(alert),
    cloud: { provider: str(alert['cloud_provider']), service: { name: str(alert['service']) } },
    related: {
      ip: uniq([...(hostIps ?? []), sourceIp, ...(strs(alert['source_ips']) ?? [])]),
      user: uniq([userName, ...(strs(alert['user_names']) ?? [])]),
      hosts: uniq([hostName]),
      hash: uniq([...Object.values(fileHash), hash('sha256', get(parent, 'sha256')), hash('md5', get(parent, 'md5'))]),
    },
    quell: {
      format: 'crowdstrike-alert',
      risk: severity.risk,
      level: severity.level,
      severityOriginal: severity.severityOriginal,
      // The agent id is what containment and RTR take: the join key to the response actions.
      uid: str(device['device_id']) ?? str(alert['agent_id']),
      timeSource: field === 'created_timestamp' ? undefined : 'timestamp (the alert has no created_timestamp)',
    },
  });
  return { kind: 'event', event, identity: id };
}

export const crowdstrikeAlert: FormatDef = {
  name: 'crowdstrike-alert',
  label: 'CrowdStrike Falcon alerts (Alerts API v2 entities)',
  framing: 'json',
  detect(record) {
    if (typeof record['composite_id'] !== 'string') return 0;
    const markers = ['cid', 'severity_name', 'created_timestamp', 'falcon_host_link', 'product'];
    return markers.filter((k) => record[k] !== undefined).length >= 2 ? 0.95 : 0.6;
  },
  normalize: (record) => normalizeCrowdStrikeAlert(record),
};
