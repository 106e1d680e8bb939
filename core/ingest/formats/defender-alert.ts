import { fromDefender } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { finish, hash, isObject, num, splitUpn, str, uniq, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';

/**
 * Microsoft Defender for Endpoint alerts as `GET /api/alerts` returns them (the `value[]` items), which is what the
 * Defender connector pulls. Current alerts carry `evidence[]` (`$expand=evidence`) and `relatedUser`; older ones
 * (and the demisto recordings) carry `alertUser`, `alertFiles`, `alertIps`, `alertDomains` instead, and write an
 * absent category as the string "null". Both are read.
 */

const list = (v: unknown): Doc[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Defender writes absent values as null and, in older alerts, as the string "null". */
const val = (v: unknown) => {
  const s = str(v);
  return s === 'null' ? undefined : s;
};

/** `C:\Windows\SysWOW64` + `rundll32.exe`, however the folder ends. */
function joinPath(folder: string | undefined, name: string | undefined): string | undefined {
  if (!folder) return name;
  if (!name) return folder;
  return /[\\/]$/.test(folder) ? `${folder}${name}` : `${folder}\\${name}`;
}

function userOf(alert: Doc, evidence: Doc[]) {
  const related = alert['relatedUser'];
  if (isObject(related) && val(related['userName'])) return { name: val(related['userName']), domain: val(related['domainName']) };
  const legacy = alert['alertUser'];
  if (isObject(legacy) && val(legacy['accountName'])) return { name: val(legacy['accountName']), domain: val(legacy['domainName']) };
  const account = evidence.find((e) => e['entityType'] === 'User' && (val(e['accountName']) || val(e['userPrincipalName'])));
  if (!account) return undefined;
  const upn = val(account['userPrincipalName']);
  return {
    name: val(account['accountName']) ?? (upn ? splitUpn(upn).name : undefined),
    domain: val(account['domainName']) ?? (upn ? splitUpn(upn).domain : undefined),
    email: upn?.includes('@') ? upn : undefined,
    id: val(account['aadUserId']) ?? val(account['userSid']),
  };
}

function processOf(evidence: Doc[]) {
  const p = evidence.find((e) => e['entityType'] === 'Process');
  if (!p) return undefined;
  return {
    pid: num(p['processId']),
    name: val(p['fileName']),
    executable: joinPath(val(p['filePath']), val(p['fileName'])),
    command_line: val(p['processCommandLine']),
    parent: {
      pid: num(p['parentProcessId']),
      name: val(p['parentProcessFileName']),
      executable: joinPath(val(p['parentProcessFilePath']), val(p['parentProcessFileName'])),
    },
  };
}

/** The first file evidence (or legacy `alertFiles` entry); a process's image counts when no file is named. */
function fileOf(evidence: Doc[], legacyFiles: Doc[]) {
  const f = evidence.find((e) => e['entityType'] === 'File') ?? legacyFiles[0] ?? evidence.find((e) => e['entityType'] === 'Process');
  if (!f) return undefined;
  return {
    name: val(f['fileName']),
    path: joinPath(val(f['filePath']), val(f['fileName'])),
    hash: { md5: hash('md5', f['md5']), sha1: hash('sha1', f['sha1']), sha256: hash('sha256', f['sha256']) },
  };
}

export function normalizeDefenderAlert(alert: Doc): NormalizeResult {
  const id = val(alert['id']);
  if (!id) throw new RecordError('id is missing or empty');
  const rawTime = alert['alertCreationTime'] ?? alert['lastUpdateTime'];
  const at = toUtc(rawTime);
  if (!at) throw new RecordError(`alertCreationTime is missing or not a time: ${JSON.stringify(rawTime ?? null)}`);

  const evidence = list(alert['evidence']);
  const legacyFiles = list(alert['alertFiles']);
  const severity = fromDefender(val(alert['severity']));
  const user = userOf(alert, evidence);
  const process = processOf(evidence);
  const file = fileOf(evidence, legacyFiles);
  const ips = uniq([
    ...evidence.filter((e) => e['entityType'] === 'Ip').map((e) => val(e['ipAddress'])),
    ...list(alert['alertIps']).map((e) => val(e['ipAddress'])),
  ]);
  const urls = uniq([
    ...evidence.filter((e) => e['entityType'] === 'Url').map((e) => val(e['url'])),
    ...list(alert['alertDomains']).map((e) => val(e['host']) ?? val(e['domain'])),
  ]);
  const techniques = uniq((Array.isArray(alert['mitreTechniques']) ? alert['mitreTechniques'] : []).map(val));
  const hostName = val(alert['computerDnsName']);
  const fileHashes = [...evidence, ...legacyFiles].flatMap((e) => [hash('md5', e['md5']), hash('sha1', e['sha1']), hash('sha256', e['sha256'])]);
  const registry = evidence.find((e) => e['entityType'] === 'Registry');

  const event = finish({
    '@timestamp': at,
    message: val(alert['description']),
    event: {
      kind: 'alert',
      action: val(alert['title']),
      dataset: 'defender.alert',
      provider: val(alert['detectionSource']),
      original_time: String(rawTime),
    },
    observer: { vendor: 'Microsoft', product: 'Microsoft Defender for Endpoint' },
    host: { name: hostName, hostname: hostName?.split('.')[0] },
    user,
    source: { ip: ips?.[0] },
    process,
    file,
    registry: registry ? { path: val(registry['registryKey']), value: val(registry['registryValueName']), data: { strings: uniq([val(registry['registryValue'])]) } } : undefined,
    url: urls?.[0] ? (urls[0].includes('://') ? { full: urls[0] } : { domain: urls[0] }) : undefined,
    rule: {
      id: val(alert['detectorId']),
      name: val(alert['title']),
      description: val(alert['description']),
      category: val(alert['category']),
      ruleset: val(alert['detectionSource']),
    },
    threat: techniques ? { technique: { id: techniques } } : undefined,
    related: {
      ip: ips,
      user: uniq([user?.name, user?.email]),
      hosts: uniq([hostName, ...urls?.filter((u) => !u.includes('://')) ?? []]),
      hash: uniq(fileHashes),
    },
    quell: {
      format: 'defender-alert',
      risk: severity.risk,
      level: severity.level,
      severityOriginal: severity.severityOriginal,
      // The machine id is what isolate/unisolate take: the join key to the response actions.
      uid: val(alert['machineId']),
      timeSource: alert['alertCreationTime'] === undefined ? 'lastUpdateTime (the alert has no alertCreationTime)' : undefined,
    },
  });
  return { kind: 'event', event, identity: id };
}

export const defenderAlert: FormatDef = {
  name: 'defender-alert',
  label: 'Microsoft Defender for Endpoint alerts (/api/alerts)',
  framing: 'json',
  detect(record) {
    if (typeof record['id'] !== 'string' || typeof record['alertCreationTime'] !== 'string') return 0;
    const markers = ['machineId', 'detectionSource', 'incidentId', 'investigationState', 'computerDnsName'];
    return markers.filter((k) => record[k] !== undefined).length >= 2 ? 0.95 : 0.6;
  },
  normalize: (record) => normalizeDefenderAlert(record),
};
