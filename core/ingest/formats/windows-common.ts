import { createHash } from 'node:crypto';
import type { NormalizedEvent } from '../../model/index.js';
import { informational } from '../severity.js';

// ---------------------------------------------------------------------------------------------------------------
// Format-neutral helpers. Suricata and Zeek use them too; they would sit better in a formats/util.ts, which is not
// ours to add in this change (see the report).
// ---------------------------------------------------------------------------------------------------------------

/** `T` with every property optional and allowed to be `undefined`, so mappings can be written as one literal. */
export type Loose<T> = T extends readonly (infer U)[]
  ? Loose<U>[]
  : T extends object
    ? { [K in keyof T]?: Loose<T[K]> | undefined }
    : T;

/**
 * Drops `undefined`, empty objects and empty arrays, recursively, so that exactOptionalPropertyTypes holds and the
 * stored document carries no hollow `{ "process": {} }`. The caller vouches for required fields.
 */
export function compact<T>(value: Loose<T>): T {
  return prune(value) as T;
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** JSON with object keys sorted at every depth: the same record always serialises to the same text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Identity for a source without record ids: the record's own content, key order ignored. */
export function contentIdentity(record: unknown): string {
  return `content:${createHash('sha256').update(stableJson(record)).digest('hex')}`;
}

/** A meaningful string: trimmed, and `-`, `(empty)`, `null` and blanks count as absent, as Windows and Zeek write them. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' || t === '-' || t === '(empty)' ? undefined : t;
}

/** A non-negative integer from a number, a decimal string or a `0x…` hex string (Security log pids). */
export function int(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const t = text(value);
  if (t === undefined) return undefined;
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^\d+$/.test(t)) return Number(t);
  return undefined;
}

/** A TCP/UDP port, or undefined for anything outside 0–65535. */
export function port(value: unknown): number | undefined {
  const n = int(value);
  return n !== undefined && n <= 65535 ? n : undefined;
}

export const basename = (path: string): string => path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);

export const uniq = <T>(items: (T | undefined)[]): T[] => [...new Set(items.filter((i): i is T => i !== undefined))];

// ---------------------------------------------------------------------------------------------------------------
// Windows: the field mapping shared by the NXLog-flattened, Sentinel and evtx_dump shapes.
// ---------------------------------------------------------------------------------------------------------------

/** `PANDALAB\pupy.godoy`, `NT AUTHORITY\SYSTEM`, `user@domain` or a bare name, split as written. */
export function splitAccount(raw: unknown): { name: string; domain?: string } | undefined {
  const t = text(raw);
  if (t === undefined) return undefined;
  const slash = t.indexOf('\\');
  if (slash !== -1) {
    const domain = text(t.slice(0, slash));
    const name = text(t.slice(slash + 1));
    if (!name) return undefined;
    return domain ? { name, domain } : { name };
  }
  const at = t.lastIndexOf('@');
  if (at > 0 && at < t.length - 1) return { name: t.slice(0, at), domain: t.slice(at + 1) };
  return { name: t };
}

/** host.name exactly as written; host.hostname is the first label and host.domain the rest when it is an FQDN. */
export function hostFields(raw: unknown): NormalizedEvent['host'] {
  const name = text(raw);
  if (!name) return undefined;
  if (/^[\d.]+$/.test(name) || name.includes(':')) return { name, ip: [name] };
  const dot = name.indexOf('.');
  return dot > 0 ? { name, hostname: name.slice(0, dot), domain: name.slice(dot + 1) } : { name, hostname: name };
}

/** Sysmon `Hashes`: `SHA1=…,MD5=…,SHA256=…,IMPHASH=…` (any subset, any order), lower-cased. */
export function parseHashes(raw: unknown): { md5?: string; sha1?: string; sha256?: string } | undefined {
  const t = text(raw);
  if (!t) return undefined;
  const out: { md5?: string; sha1?: string; sha256?: string } = {};
  for (const part of t.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const algo = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim().toLowerCase();
    if (!/^[0-9a-f]+$/.test(value)) continue;
    if (algo === 'MD5') out.md5 = value;
    else if (algo === 'SHA1') out.sha1 = value;
    else if (algo === 'SHA256') out.sha256 = value;
  }
  return Object.keys(out).length ? out : undefined;
}

const IP_PROTOCOLS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

/** Security 5156/5158 `Direction`. */
const DIRECTIONS: Record<string, string> = { '%%14592': 'ingress', '%%14593': 'egress', Inbound: 'ingress', Outbound: 'egress' };

type Source = 'sysmon' | 'security' | 'powershell' | 'adfs' | 'other';

interface Kind {
  category: string[];
  type?: string[];
  label: string;
}

const SYSMON: Record<string, Kind> = {
  '1': { category: ['process'], type: ['start'], label: 'Process Create' },
  '2': { category: ['file'], type: ['change'], label: 'File creation time changed' },
  '3': { category: ['network'], type: ['connection', 'start'], label: 'Network connection' },
  '4': { category: ['configuration'], type: ['change'], label: 'Sysmon service state changed' },
  '5': { category: ['process'], type: ['end'], label: 'Process terminated' },
  '6': { category: ['driver'], type: ['start'], label: 'Driver loaded' },
  '7': { category: ['library'], type: ['start'], label: 'Image loaded' },
  '8': { category: ['process'], type: ['change'], label: 'CreateRemoteThread' },
  '9': { category: ['process'], type: ['access'], label: 'RawAccessRead' },
  '10': { category: ['process'], type: ['access'], label: 'Process accessed' },
  '11': { category: ['file'], type: ['creation'], label: 'File created' },
  '12': { category: ['registry'], type: ['change'], label: 'Registry object added or deleted' },
  '13': { category: ['registry'], type: ['change'], label: 'Registry value set' },
  '14': { category: ['registry'], type: ['change'], label: 'Registry object renamed' },
  '15': { category: ['file'], type: ['creation'], label: 'File stream created' },
  '16': { category: ['configuration'], type: ['change'], label: 'Sysmon config state changed' },
  '17': { category: ['file'], type: ['creation'], label: 'Pipe Created' },
  '18': { category: ['file'], type: ['access'], label: 'Pipe Connected' },
  '19': { category: ['process'], type: ['change'], label: 'WmiEventFilter activity' },
  '20': { category: ['process'], type: ['change'], label: 'WmiEventConsumer activity' },
  '21': { category: ['process'], type: ['change'], label: 'WmiEventConsumerToFilter activity' },
  '22': { category: ['network'], type: ['protocol', 'info'], label: 'Dns query' },
  '23': { category: ['file'], type: ['deletion'], label: 'File Delete archived' },
  '24': { category: ['host'], type: ['change'], label: 'Clipboard changed' },
  '25': { category: ['process'], type: ['change'], label: 'Process Tampering' },
  '26': { category: ['file'], type: ['deletion'], label: 'File Delete logged' },
  '27': { category: ['file'], type: ['denied'], label: 'File Block Executable' },
  '28': { category: ['file'], type: ['denied'], label: 'File Block Shredding' },
  '29': { category: ['file'], type: ['creation'], label: 'File Executable Detected' },
};

const SECURITY: Record<string, Kind> = {
  '1102': { category: ['iam'], type: ['admin', 'change'], label: 'The audit log was cleared' },
  '4624': { category: ['authentication'], type: ['start'], label: 'An account was successfully logged on' },
  '4625': { category: ['authentication'], type: ['start'], label: 'An account failed to log on' },
  '4627': { category: ['iam'], type: ['group', 'info'], label: 'Group membership information' },
  '4634': { category: ['authentication'], type: ['end'], label: 'An account was logged off' },
  '4647': { category: ['authentication'], type: ['end'], label: 'User initiated logoff' },
  '4648': { category: ['authentication'], type: ['start'], label: 'A logon was attempted using explicit credentials' },
  '4656': { category: ['file'], type: ['access'], label: 'A handle to an object was requested' },
  '4658': { category: ['file'], type: ['access'], label: 'The handle to an object was closed' },
  '4661': { category: ['iam'], type: ['access'], label: 'A handle to an object was requested' },
  '4662': { category: ['iam'], type: ['access'], label: 'An operation was performed on an object' },
  '4663': { category: ['file'], type: ['access'], label: 'An attempt was made to access an object' },
  '4670': { category: ['iam'], type: ['change'], label: 'Permissions on an object were changed' },
  '4672': { category: ['iam'], type: ['admin'], label: 'Special privileges assigned to new logon' },
  '4673': { category: ['iam'], type: ['admin'], label: 'A privileged service was called' },
  '4688': { category: ['process'], type: ['start'], label: 'A new process has been created' },
  '4689': { category: ['process'], type: ['end'], label: 'A process has exited' },
  '4690': { category: ['file'], type: ['access'], label: 'An attempt was made to duplicate a handle to an object' },
  '4697': { category: ['configuration'], type: ['creation'], label: 'A service was installed in the system' },
  '4698': { category: ['configuration'], type: ['creation'], label: 'A scheduled task was created' },
  '4703': { category: ['iam'], type: ['change'], label: 'A user right was adjusted' },
  '4720': { category: ['iam'], type: ['user', 'creation'], label: 'A user account was created' },
  '4732': { category: ['iam'], type: ['group', 'change'], label: 'A member was added to a security-enabled local group' },
  '4768': { category: ['authentication'], type: ['start'], label: 'A Kerberos authentication ticket (TGT) was requested' },
  '4769': { category: ['authentication'], type: ['start'], label: 'A Kerberos service ticket was requested' },
  '4771': { category: ['authentication'], type: ['start'], label: 'Kerberos pre-authentication failed' },
  '4776': { category: ['authentication'], type: ['start'], label: 'The computer attempted to validate the credentials for an account' },
  '5140': { category: ['network', 'file'], type: ['access'], label: 'A network share object was accessed' },
  '5145': { category: ['network', 'file'], type: ['access'], label: 'A network share object was checked' },
  '5156': { category: ['network'], type: ['connection', 'allowed'], label: 'The Windows Filtering Platform has permitted a connection' },
  '5158': { category: ['network'], type: ['connection', 'allowed'], label: 'The Windows Filtering Platform has permitted a bind to a local port' },
};

const POWERSHELL: Record<string, Kind> = {
  '400': { category: ['process'], type: ['start'], label: 'PowerShell engine started' },
  '403': { category: ['process'], type: ['end'], label: 'PowerShell engine stopped' },
  '800': { category: ['process'], type: ['info'], label: 'PowerShell pipeline execution details' },
  '4103': { category: ['process'], type: ['info'], label: 'PowerShell module logging' },
  '4104': { category: ['process'], type: ['info'], label: 'PowerShell script block' },
};

/** AD FS Auditing (Security channel, provider `AD FS Auditing`). */
const ADFS: Record<string, Kind> = {
  '299': { category: ['authentication'], type: ['info'], label: 'AD FS issued a token for a relying party' },
  '403': { category: ['web'], type: ['access'], label: 'AD FS received an HTTP request' },
  '410': { category: ['web'], type: ['info'], label: 'AD FS request context headers' },
  '411': { category: ['authentication'], type: ['info'], label: 'AD FS token validation failed' },
  '412': { category: ['authentication'], type: ['info'], label: 'AD FS authenticated a token' },
  '500': { category: ['authentication'], type: ['info'], label: 'AD FS more information for an event' },
  '501': { category: ['authentication'], type: ['info'], label: 'AD FS caller claims for an event' },
  '1200': { category: ['authentication'], type: ['info'], label: 'AD FS issued a valid token' },
  '1201': { category: ['authentication'], type: ['info'], label: 'AD FS failed to issue a valid token' },
  '1202': { category: ['authentication'], type: ['info'], label: 'AD FS validated a new credential' },
  '1203': { category: ['authentication'], type: ['info'], label: 'AD FS failed to validate a new credential' },
};

/** Logon events name the account that logged on in Target*; everywhere else Subject* is the actor. */
const TARGET_IS_USER = new Set(['4624', '4625', '4634', '4647', '4768', '4769', '4771', '4776']);

function sourceOf(channel: string | undefined, provider: string | undefined, eventId: string): Source {
  const c = (channel ?? '').toLowerCase();
  const p = (provider ?? '').toLowerCase();
  if (c.includes('sysmon') || p.includes('sysmon')) return 'sysmon';
  if (c.includes('powershell') || p.includes('powershell')) return 'powershell';
  if (p.startsWith('ad fs')) return 'adfs';
  if (p === 'microsoft-windows-security-auditing' || p === 'microsoft windows security auditing.') return 'security';
  // 1102 (audit log cleared) is written to Security by the event log service itself.
  if (c === 'security' && p === 'microsoft-windows-eventlog') return 'security';
  // AD FS and other providers also log into the Security channel; their ids mean other things.
  if (c === 'security' && !p) return 'security';
  if (!c && !p && SECURITY[eventId]) return 'security';
  return 'other';
}

const DATASETS: Record<Source, string> = {
  sysmon: 'windows.sysmon_operational',
  security: 'windows.security',
  powershell: 'windows.powershell',
  adfs: 'windows.adfs',
  other: 'windows.event',
};

export interface WindowsInput {
  format: string;
  eventId: string;
  channel: string | undefined;
  provider: string | undefined;
  computer: string | undefined;
  /** Event data with names as Windows writes them (Image, TargetUserName…), flat. */
  data: Record<string, unknown>;
  timestamp: string;
  originalTime: string;
  timeSource: string;
  /** The source's record id (EventRecordID, RecordNumber), as a join key. */
  recordId: string | undefined;
  /** A first line to use when no summary can be built (the rendered message). */
  fallbackMessage: string | undefined;
}

/**
 * One Windows event, however it was shipped, to the normalised schema. Every Windows record is telemetry
 * (kind `event`, informational): detections come later from Sigma.
 */
export function mapWindowsEvent(input: WindowsInput): NormalizedEvent {
  const d = input.data;
  const get = (...names: string[]): string | undefined => {
    for (const n of names) {
      const v = text(d[n]);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  // Command lines stay exactly as written: a trailing space is part of what Sigma rules match.
  const verbatim = (name: string): string | undefined => (text(d[name]) !== undefined ? String(d[name]) : undefined);
  const eid = input.eventId;
  const source = sourceOf(input.channel, input.provider, eid);
  const tables: Record<Source, Record<string, Kind>> = { sysmon: SYSMON, security: SECURITY, powershell: POWERSHELL, adfs: ADFS, other: {} };
  const kind = tables[source][eid];
  const sysmon = source === 'sysmon';

  // Process: Sysmon names the actor Image/ProcessGuid (SourceImage… for 8 and 10); Security uses NewProcessName for
  // 4688 and ProcessName/Application elsewhere, with pids in hex.
  const access = sysmon && (eid === '8' || eid === '10');
  const executable = access
    ? get('SourceImage')
    : source === 'security' && eid === '4688'
      ? get('NewProcessName')
      : get('Image', 'ProcessName', 'Application', 'NewProcessName');
  // Security writes 0x0 when it does not know the process.
  const pid =
    (access ? int(d.SourceProcessId) : source === 'security' && eid === '4688' ? int(d.NewProcessId) : int(d.ProcessId ?? d.ProcessID ?? d.ProcessId_dynamic ?? d.ProcessId_string)) ||
    undefined;
  const parentExecutable = get('ParentImage', 'ParentProcessName');
  const process = {
    pid,
    executable,
    name: executable ? basename(executable) : undefined,
    command_line: verbatim('CommandLine'),
    entity_id: access ? get('SourceProcessGUID', 'SourceProcessGuid') : get('ProcessGuid'),
    parent: {
      pid: (source === 'security' && eid === '4688' ? int(d.ProcessId) : int(d.ParentProcessId)) || undefined,
      executable: parentExecutable,
      name: parentExecutable ? basename(parentExecutable) : undefined,
      command_line: verbatim('ParentCommandLine'),
      entity_id: get('ParentProcessGuid'),
    },
  };

  // User: Sysmon `User`/`SourceUser` hold DOMAIN\name; Security splits it over *UserName and *DomainName.
  const subject = account(get('SubjectUserName'), get('SubjectDomainName'), get('SubjectUserSid'));
  const target = account(get('TargetUserName'), get('TargetDomainName'), get('TargetUserSid'));
  let user: { name: string; domain?: string; id?: string } | undefined;
  let targetUser: { name: string; domain?: string } | undefined;
  if (sysmon) {
    user = splitAccount(access ? d.SourceUser : (d.User ?? d.UserName));
    if (access) targetUser = splitAccount(d.TargetUser);
  } else if (TARGET_IS_USER.has(eid) && target) {
    user = target;
  } else {
    user = subject ?? splitAccount(d.User ?? d.UserName ?? d.AccountName ?? d.ClaimsName);
    if (target && (!user || target.name !== user.name || target.domain !== user.domain)) targetUser = { name: target.name, ...(target.domain ? { domain: target.domain } : {}) };
  }
  const sid = get('UserSid');
  if (user && !user.id && sid) user = { ...user, id: sid };

  // Network: Sysmon 3, Security 5156/5158 and the client address of logons.
  const transport = (get('Protocol', 'Protocol_string') ?? '').toLowerCase();
  const network = {
    transport: IP_PROTOCOLS[transport] ?? (transport && /^[a-z]/.test(transport) ? transport : undefined),
    direction: sysmon && eid === '3' ? (get('Initiated') === 'true' ? 'egress' : get('Initiated') === 'false' ? 'ingress' : undefined) : DIRECTIONS[get('Direction') ?? ''],
  };
  const src = {
    ip: get('SourceIp', 'SourceAddress', 'IpAddress'),
    port: port(d.SourcePort ?? d.SourcePort_string ?? d.IpPort),
    domain: get('SourceHostname') ?? (TARGET_IS_USER.has(eid) ? get('WorkstationName') : undefined),
  };
  const dst = {
    ip: get('DestinationIp', 'DestAddress'),
    port: port(d.DestinationPort ?? d.DestPort),
    domain: get('DestinationHostname'),
  };

  // Files: the object a file event is about, or the image whose hashes a process/driver/image event carries.
  const filePath = sysmon
    ? get('TargetFilename', 'ImageLoaded') ?? (eid === '1' ? get('Image') : undefined)
    : get('ObjectType') === 'File'
      ? get('ObjectName')
      : get('RelativeTargetName') && get('ShareName')
        ? `${get('ShareName')}\\${get('RelativeTargetName')}`
        : undefined;
  const pipe = sysmon && (eid === '17' || eid === '18') ? get('PipeName') : undefined;
  const hash = parseHashes(d.Hashes ?? d.Hash);
  const file = { path: filePath, name: filePath ? basename(filePath) : pipe, hash };

  const registryPath = sysmon && (eid === '12' || eid === '13' || eid === '14') ? get('TargetObject') : undefined;
  const registry = {
    path: registryPath,
    value: registryPath && eid === '13' ? basename(registryPath) : undefined,
    data: { strings: eid === '13' && get('Details') ? [get('Details')!] : eid === '14' && get('NewName') ? [get('NewName')!] : undefined },
  };

  const dnsName = sysmon && eid === '22' ? get('QueryName') : undefined;
  const answers = sysmon && eid === '22' ? parseQueryResults(d.QueryResults) : [];

  const host = hostFields(input.computer);
  const written = (u: { name: string; domain?: string } | undefined) => (u ? (u.domain ? `${u.domain}\\${u.name}` : u.name) : undefined);
  const rawUsers = uniq(
    [get('User'), get('SourceUser'), get('TargetUser'), get('UserName'), get('Account'), written(user), written(targetUser)].filter((u) => splitAccount(u)),
  );
  const message = summary(source, eid, kind?.label, { ...process, src, dst, filePath, pipe, registryPath, dnsName, d, get }) ?? input.fallbackMessage;
  // Kerberos and NTLM validation events log failures too, with a non-zero Status.
  const failed = eid === '4625' || eid === '4771' || (['4768', '4769', '4776'].includes(eid) && (get('Status') ?? '0x0') !== '0x0');
  const outcome = source === 'security' && kind?.category.includes('authentication') ? (failed ? 'failure' : 'success') : undefined;

  return compact<NormalizedEvent>({
    '@timestamp': input.timestamp,
    message,
    event: {
      kind: 'event',
      category: kind?.category,
      type: kind?.type,
      code: eid,
      provider: input.provider,
      module: source === 'other' ? 'windows' : source,
      dataset: DATASETS[source],
      outcome,
      original_time: input.originalTime,
    },
    host: host ? { ...host, os: { platform: 'windows' } } : { os: { platform: 'windows' } },
    user: user ? { name: user.name, domain: user.domain, id: user.id, target: targetUser } : targetUser ? { target: targetUser } : undefined,
    source: src,
    destination: dst,
    network,
    process,
    file,
    registry,
    dns: dnsName ? { question: { name: dnsName }, answers: answers.map((data) => ({ data })) } : undefined,
    related: {
      user: rawUsers,
      ip: uniq([src.ip, dst.ip]),
      hash: hash ? uniq([hash.md5, hash.sha1, hash.sha256]) : undefined,
      hosts: uniq([input.computer && text(input.computer), dst.domain, src.domain]),
    },
    quell: {
      format: input.format,
      risk: informational.risk,
      level: informational.level,
      uid: process.entity_id ?? input.recordId,
      timeSource: input.timeSource,
    },
  });
}

function account(name: string | undefined, domain: string | undefined, sid: string | undefined) {
  if (!name) return undefined;
  const split = splitAccount(name);
  if (!split) return undefined;
  const dom = split.domain ?? domain;
  return { name: split.name, ...(dom ? { domain: dom } : {}), ...(sid ? { id: sid } : {}) };
}

/** Sysmon 22 `QueryResults`: `type:  5 name;::ffff:10.0.0.1;` — the answers without their record-type prefix. */
function parseQueryResults(raw: unknown): string[] {
  const t = text(raw);
  if (!t) return [];
  return uniq(t.split(';').map((part) => text(part.replace(/^type:\s+\d+\s+/, ''))));
}

interface SummaryParts {
  executable: string | undefined;
  command_line: string | undefined;
  src: { ip: string | undefined; port: number | undefined };
  dst: { ip: string | undefined; port: number | undefined; domain: string | undefined };
  filePath: string | undefined;
  pipe: string | undefined;
  registryPath: string | undefined;
  dnsName: string | undefined;
  d: Record<string, unknown>;
  get: (...names: string[]) => string | undefined;
}

const endpoint = (ip: string | undefined, p: number | undefined) => (ip ? (p !== undefined ? `${ip.includes(':') ? `[${ip}]` : ip}:${p}` : ip) : undefined);

/** One line saying what happened, for the queue and the timeline; the raw record stays in `original`. */
function summary(source: Source, eid: string, label: string | undefined, p: SummaryParts): string | undefined {
  const who = p.executable ? basename(p.executable) : undefined;
  let detail: string | undefined;
  if (source === 'sysmon') {
    switch (eid) {
      case '1':
        detail = p.command_line ?? p.executable;
        break;
      case '3':
        detail = `${who ?? '?'} ${endpoint(p.src.ip, p.src.port) ?? '?'} -> ${endpoint(p.dst.ip, p.dst.port) ?? '?'}`;
        break;
      case '8':
      case '10':
        detail = `${p.executable ?? '?'} -> ${p.get('TargetImage') ?? '?'}${eid === '10' && p.get('GrantedAccess') ? ` (${p.get('GrantedAccess')})` : ''}`;
        break;
      case '12':
      case '13':
      case '14':
        detail = `${p.registryPath ?? '?'}${eid === '13' && p.get('Details') ? ` = ${p.get('Details')}` : ''}`;
        break;
      case '17':
      case '18':
        detail = `${p.pipe ?? '?'} by ${who ?? '?'}`;
        break;
      case '22':
        detail = `${p.dnsName ?? '?'} by ${who ?? '?'}`;
        break;
      default:
        detail = p.filePath ?? p.executable;
    }
  } else if (source === 'security') {
    if (eid === '4688') detail = p.command_line ?? p.executable;
    else if (eid === '4697') detail = [p.get('ServiceName'), p.get('ServiceFileName')].filter(Boolean).join(': ');
    else if (eid === '4698') detail = p.get('TaskName');
    else if (eid === '5156' || eid === '5158') detail = `${who ?? '?'} ${endpoint(p.src.ip, p.src.port) ?? '?'}${p.dst.ip ? ` -> ${endpoint(p.dst.ip, p.dst.port)}` : ''}`;
    else if (p.get('TargetUserName') && ['4624', '4625', '4634', '4647', '4648'].includes(eid)) {
      const dom = p.get('TargetDomainName');
      detail = `${dom ? `${dom}\\` : ''}${p.get('TargetUserName')}${p.get('LogonType') ? ` (logon type ${p.get('LogonType')})` : ''}`;
    } else detail = p.filePath ?? p.get('ObjectName') ?? p.executable;
  } else if (source === 'powershell') {
    const script = p.get('ScriptBlockText');
    detail = script ? oneLine(script) : undefined;
  }
  if (!label) return detail ? oneLine(detail) : undefined;
  return detail ? `${label}: ${oneLine(detail)}` : label;
}

const oneLine = (s: string) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 499)}…` : flat;
};

/** First line of a rendered Windows `Message`, without its trailing colon. */
export function firstLine(message: unknown): string | undefined {
  const t = text(message);
  if (!t) return undefined;
  return text(t.split(/\r?\n/, 1)[0]!.replace(/:$/, ''));
}
