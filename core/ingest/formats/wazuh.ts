import { fromWazuh } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { finish, first, get, isObject, num, port, stableStringify, str, strs, uniq, unwrapElastic, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';

/**
 * Wazuh 4.x `alerts.json` records (one JSON alert per line, as the manager writes them and as the indexer stores
 * them). The alert time is the manager's; the log line's own time (`predecoder.timestamp`, syslog style with no
 * year or zone) is kept as the original time for context but never used to place the event.
 */

/** Records of the ruleset test-case file: rule metadata and a raw log, but no alert time or alert id. */
const isRulesetTestCase = (r: Doc) => 'suite' in r && 'test' in r && isObject(r['expected']) && isObject(r['rule']);

/**
 * Windows eventchannel values arrive with every backslash doubled (`C:\\Windows\\…` inside the decoded string),
 * as Wazuh's JSON decoder stores them; one level is undone so paths match other sources.
 */
const winPath = (v: unknown) => str(v)?.replace(/\\\\/g, '\\');

export function normalizeWazuh(input: Doc): NormalizeResult {
  // Alerts exported from the Wazuh indexer (OpenSearch) arrive as search hits around the same document.
  const record = unwrapElastic(input).doc;
  if (isRulesetTestCase(record)) return { kind: 'skip', reason: 'Wazuh ruleset test case, not an alert (no alert time)' };
  const ruleValue = record['rule'];
  if (!isObject(ruleValue)) throw new RecordError('rule is missing or not an object');
  const ruleId = str(ruleValue['id']);
  if (!ruleId) throw new RecordError('rule.id is missing');
  if (num(ruleValue['level']) === undefined) throw new RecordError(`rule.level is missing or not a number: ${JSON.stringify(ruleValue['level'] ?? null)}`);

  const rawTime = first(record, 'timestamp', '@timestamp');
  const at = toUtc(rawTime);
  if (!at) throw new RecordError(`timestamp is missing or not a time: ${JSON.stringify(rawTime ?? null)}`);
  const logTime = str(get(record, 'predecoder.timestamp'));

  const severity = fromWazuh(ruleValue['level']);
  const win = get(record, 'data.win.eventdata');
  const srcUser = str(get(record, 'data.srcuser'));
  const winUser = isObject(win) ? winPath(first(win, 'targetUserName', 'user', 'subjectUserName')) : undefined;
  const userName = str(get(record, 'data.dstuser')) ?? srcUser ?? winUser;
  const srcIp = str(first(record, 'data.srcip', 'data.win.eventdata.ipAddress', 'data.win.eventdata.sourceIp'));
  const dstIp = str(first(record, 'data.dstip', 'data.win.eventdata.destinationIp'));
  const hostName = str(first(record, 'agent.name', 'data.win.system.computer', 'predecoder.hostname'));
  const groups = strs(ruleValue['groups']);
  const techniqueIds = strs(get(ruleValue, 'mitre.id'));

  const event = finish({
    '@timestamp': at,
    message: str(record['full_log']) ?? str(ruleValue['description']),
    tags: groups,
    event: {
      kind: 'alert',
      code: ruleId,
      dataset: 'wazuh.alerts',
      module: 'wazuh',
      provider: str(first(record, 'decoder.parent', 'decoder.name')),
      original_time: logTime ?? String(rawTime),
      severity: num(ruleValue['level']),
    },
    observer: { vendor: 'Wazuh', product: 'Wazuh', name: str(get(record, 'manager.name')) },
    host: { name: hostName, ip: strs(get(record, 'agent.ip')) },
    user: { name: userName },
    source: { ip: srcIp, port: port(get(record, 'data.srcport')), user: { name: srcUser } },
    destination: { ip: dstIp, port: port(get(record, 'data.dstport')) },
    network: { protocol: str(get(record, 'data.protocol')) },
    process: isObject(win)
      ? {
          pid: num(win['processId']),
          executable: winPath(win['image']),
          command_line: winPath(win['commandLine']),
          parent: { pid: num(win['parentProcessId']), executable: winPath(win['parentImage']), command_line: winPath(win['parentCommandLine']) },
        }
      : { name: str(get(record, 'predecoder.program_name')) },
    url: { full: str(get(record, 'data.url')) },
    rule: {
      id: ruleId,
      name: str(ruleValue['description']),
      description: str(ruleValue['description']),
      category: groups?.join(', '),
      ruleset: 'wazuh',
    },
    threat: techniqueIds
      ? {
          technique: { id: techniqueIds, name: strs(get(ruleValue, 'mitre.technique')) },
          tactic: { name: strs(get(ruleValue, 'mitre.tactic')) },
        }
      : undefined,
    related: { ip: uniq([srcIp, dstIp]), user: uniq([userName, srcUser]), hosts: uniq([hostName]) },
    quell: {
      format: 'wazuh-alert',
      risk: severity.risk,
      level: severity.level,
      severityOriginal: severity.severityOriginal,
      timeSource: logTime ? `timestamp (manager alert time; the log line says ${JSON.stringify(logTime)}, with no year or zone)` : 'timestamp',
    },
  });

  // The alert id (`<epoch>.<offset in alerts.json>`) is unique per manager; time and rule guard against reuse.
  const alertId = str(record['id']);
  const identity = alertId ? `${alertId}\0${String(rawTime)}\0${ruleId}` : `doc:${stableStringify(record)}`;
  return { kind: 'event', event, identity };
}

export const wazuhAlert: FormatDef = {
  name: 'wazuh-alert',
  label: 'Wazuh alerts (alerts.json)',
  framing: 'json',
  detect(input) {
    const record = unwrapElastic(input).doc;
    const rule = record['rule'];
    if (!isObject(rule) || rule['id'] === undefined || num(rule['level']) === undefined) return 0;
    // Recognised so the file is not refused outright, and skipped record by record with the reason.
    if (isRulesetTestCase(record)) return 0.6;
    const hasTime = typeof record['timestamp'] === 'string' || typeof record['@timestamp'] === 'string';
    const wazuhParts = ['agent', 'manager', 'decoder', 'predecoder', 'full_log', 'location'].filter((k) => k in record).length;
    if (!hasTime) return 0.3;
    return wazuhParts >= 2 ? 0.95 : wazuhParts === 1 ? 0.8 : 0.6;
  },
  normalize: (record) => normalizeWazuh(record),
};
