import { fromElastic } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { elasticIdentity, isAttackDiscovery, normalizeAttackDiscovery } from './elastic-attack-discovery.js';
import { finish, first, get, hash, num, port, str, strs, uniq, unwrapElastic, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';

/**
 * Elastic Security detection alerts: 8.x documents (`kibana.alert.*`) and 7.x legacy signals (`signal.*`), bare or
 * wrapped, with dotted-flat and nested keys mixed in one document. The source event's own ECS fields (host,
 * user, process, file, network) sit beside the alert fields and are read as they are.
 */

type Schema = { prefix: 'kibana.alert' | 'signal'; rule: string };

function schemaOf(doc: Doc): Schema | null {
  if (get(doc, 'kibana.alert.rule.name') !== undefined || get(doc, 'kibana.alert.rule.uuid') !== undefined) {
    return { prefix: 'kibana.alert', rule: 'kibana.alert.rule' };
  }
  if (get(doc, 'signal.rule.name') !== undefined || get(doc, 'signal.rule.id') !== undefined) return { prefix: 'signal', rule: 'signal.rule' };
  return null;
}

/** ATT&CK from the rule's `threat` list (`[{tactic:{id,name}, technique:[{id,name,subtechnique:[…]}]}]`). */
function threatOf(list: unknown) {
  if (!Array.isArray(list)) return undefined;
  const tacticId: string[] = [];
  const tacticName: string[] = [];
  const techniqueId: string[] = [];
  const techniqueName: string[] = [];
  const push = (into: string[], v: unknown) => {
    const s = str(v);
    if (s && !into.includes(s)) into.push(s);
  };
  for (const entry of list) {
    push(tacticId, get(entry, 'tactic.id'));
    push(tacticName, get(entry, 'tactic.name'));
    const techniques = get(entry, 'technique');
    for (const t of Array.isArray(techniques) ? techniques : []) {
      push(techniqueId, get(t, 'id'));
      push(techniqueName, get(t, 'name'));
      const subs = get(t, 'subtechnique');
      for (const s of Array.isArray(subs) ? subs : []) {
        push(techniqueId, get(s, 'id'));
        push(techniqueName, get(s, 'name'));
      }
    }
  }
  if (!tacticId.length && !techniqueId.length && !tacticName.length && !techniqueName.length) return undefined;
  return { technique: { id: techniqueId, name: techniqueName }, tactic: { id: tacticId, name: tacticName } };
}

/** The event's own ECS `threat.technique/tactic` (endpoint alerts carry them), when the rule names none. */
function eventThreat(doc: Doc) {
  const techniqueId = strs(get(doc, 'threat.technique.id'));
  const tacticId = strs(get(doc, 'threat.tactic.id'));
  if (!techniqueId && !tacticId) return undefined;
  return {
    technique: { id: techniqueId, name: strs(get(doc, 'threat.technique.name')) },
    tactic: { id: tacticId, name: strs(get(doc, 'threat.tactic.name')) },
  };
}

function timeOf(doc: Doc, prefix: Schema['prefix']): { at: string; raw: string; source: string } {
  const originalField = `${prefix}.original_time`;
  const original = first(doc, originalField);
  const originalUtc = toUtc(original);
  const stamp = first(doc, '@timestamp');
  const stampUtc = toUtc(stamp);
  if (originalUtc) {
    // An alert is written after its source event; a source time later than that is kept but flagged for the reader.
    const late = stampUtc && Date.parse(originalUtc) - Date.parse(stampUtc) > 60_000;
    return { at: originalUtc, raw: String(original), source: late ? `${originalField} (later than the alert's @timestamp ${stampUtc})` : originalField };
  }
  if (stampUtc) {
    const why = original === undefined ? '@timestamp' : `@timestamp (${originalField} ${JSON.stringify(original)} is not a time)`;
    return { at: stampUtc, raw: String(stamp), source: why };
  }
  throw new RecordError(`no usable timestamp: ${originalField} is ${JSON.stringify(original ?? null)} and @timestamp is ${JSON.stringify(stamp ?? null)}`);
}

/** Only a present score is passed on: fromElastic reads null or "" as a score of 0. */
const scoreOf = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? v : undefined);

function hashes(doc: Doc, at: string) {
  return { md5: hash('md5', get(doc, `${at}.md5`)), sha1: hash('sha1', get(doc, `${at}.sha1`)), sha256: hash('sha256', get(doc, `${at}.sha256`)) };
}

export function normalizeElasticAlert(record: Doc): NormalizeResult {
  const { doc, index, id } = unwrapElastic(record);
  if (isAttackDiscovery(doc)) return normalizeAttackDiscovery(record);
  const schema = schemaOf(doc);
  if (!schema) throw new RecordError('not an Elastic detection alert: no kibana.alert.rule.* or signal.rule.* fields');
  const { prefix, rule } = schema;
  const time = timeOf(doc, prefix);

  const severity = fromElastic(
    first(doc, `${prefix}.severity`, `${rule}.severity`),
    scoreOf(first(doc, `${prefix}.risk_score`, `${rule}.risk_score`)),
  );
  const threat = threatOf(first(doc, `${rule}.threat`, `${rule}.parameters.threat`)) ?? eventThreat(doc);

  const fileHash = hashes(doc, 'file.hash');
  const processHash = hashes(doc, 'process.hash');
  const hostIps = strs(get(doc, 'host.ip'));
  const sourceIp = str(get(doc, 'source.ip'));
  const destinationIp = str(get(doc, 'destination.ip'));
  const userName = str(get(doc, 'user.name'));

  const event = finish({
    '@timestamp': time.at,
    message: str(first(doc, `${prefix}.reason`, 'message')),
    tags: strs(get(doc, `${rule}.tags`)),
    event: {
      kind: 'alert',
      category: strs(first(doc, 'event.category', `${prefix}.original_event.category`)),
      type: strs(first(doc, 'event.type', `${prefix}.original_event.type`)),
      action: str(first(doc, 'event.action', `${prefix}.original_event.action`)),
      code: str(first(doc, 'event.code', `${prefix}.original_event.code`)),
      dataset: str(first(doc, 'event.dataset', `${prefix}.original_event.dataset`)),
      module: str(first(doc, 'event.module', `${prefix}.original_event.module`)),
      provider: str(first(doc, 'event.provider', `${prefix}.original_event.provider`)),
      outcome: str(first(doc, 'event.outcome', `${prefix}.original_event.outcome`)),
      original_time: time.raw,
      risk_score: num(first(doc, `${prefix}.risk_score`, `${rule}.risk_score`)),
    },
    observer: { vendor: 'Elastic', product: 'Elastic Security' },
    host: {
      name: str(get(doc, 'host.name')),
      hostname: str(get(doc, 'host.hostname')),
      domain: str(get(doc, 'host.domain')),
      ip: hostIps,
      os: { name: str(get(doc, 'host.os.name')), platform: str(get(doc, 'host.os.platform')) },
    },
    user: {
      name: userName,
      domain: str(get(doc, 'user.domain')),
      id: str(get(doc, 'user.id')),
      email: str(get(doc, 'user.email')),
      target: { name: str(get(doc, 'user.target.name')), domain: str(get(doc, 'user.target.domain')) },
    },
    source: { ip: sourceIp, port: port(get(doc, 'source.port')), domain: str(get(doc, 'source.domain')), user: { name: str(get(doc, 'source.user.name')) } },
    destination: { ip: destinationIp, port: port(get(doc, 'destination.port')), domain: str(get(doc, 'destination.domain')) },
    network: {
      transport: str(get(doc, 'network.transport')),
      protocol: str(get(doc, 'network.protocol')),
      direction: str(get(doc, 'network.direction')),
    },
    process: {
      pid: num(get(doc, 'process.pid')),
      name: str(get(doc, 'process.name')),
      executable: str(get(doc, 'process.executable')),
      command_line: str(get(doc, 'process.command_line')),
      entity_id: str(get(doc, 'process.entity_id')),
      parent: {
        pid: num(get(doc, 'process.parent.pid')),
        name: str(get(doc, 'process.parent.name')),
        executable: str(get(doc, 'process.parent.executable')),
        command_line: str(get(doc, 'process.parent.command_line')),
        entity_id: str(get(doc, 'process.parent.entity_id')),
      },
    },
    file: { path: str(get(doc, 'file.path')), name: str(get(doc, 'file.name')), hash: fileHash },
    dns: { question: { name: str(get(doc, 'dns.question.name')), type: str(get(doc, 'dns.question.type')) } },
    url: { full: str(get(doc, 'url.full')), domain: str(get(doc, 'url.domain')), path: str(get(doc, 'url.path')) },
    rule: {
      id: str(first(doc, `${rule}.rule_id`, `${rule}.uuid`, `${rule}.id`)),
      name: str(get(doc, `${rule}.name`)),
      description: str(get(doc, `${rule}.description`)),
      category: str(get(doc, `${rule}.category`)),
    },
    threat,
    cloud: { provider: str(get(doc, 'cloud.provider')), service: { name: str(get(doc, 'cloud.service.name')) } },
    related: {
      ip: uniq([...(hostIps ?? []), sourceIp, destinationIp]),
      user: uniq([userName]),
      hosts: uniq([str(get(doc, 'host.name')), str(get(doc, 'host.hostname'))]),
      hash: uniq([...Object.values(fileHash), ...Object.values(processHash)]),
    },
    quell: {
      format: 'elastic-alert',
      risk: severity.risk,
      level: severity.level,
      severityOriginal: severity.severityOriginal,
      timeSource: time.source,
    },
  });
  return { kind: 'event', event, identity: elasticIdentity(doc, index, id) };
}

export const elasticAlert: FormatDef = {
  name: 'elastic-alert',
  label: 'Elastic Security alerts (8.x kibana.alert.*, 7.x signal.*)',
  framing: 'json',
  detect(record) {
    const { doc, envelope } = unwrapElastic(record);
    // An Attack Discovery is also a Kibana alert; this reader can take it, but its own format should win.
    if (isAttackDiscovery(doc)) return 0.4;
    if (!schemaOf(doc)) return 0;
    return envelope === 'bare' && get(doc, '@timestamp') === undefined ? 0.8 : 0.95;
  },
  normalize: (record) => normalizeElasticAlert(record),
};
