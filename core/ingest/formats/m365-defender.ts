import { fromDefender, informational } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { finish, get, hash, isObject, jsonField, num, port, splitUpn, stableStringify, str, uniq, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';

/**
 * Microsoft 365 Defender advanced-hunting rows (DeviceEvents, DeviceProcessEvents, DeviceNetworkEvents,
 * IdentityDirectoryEvents, CloudAppEvents…), as exported from the portal or Sentinel. They are telemetry, not
 * alerts. Exports append the column type to some names (`ReportId_long`, `AdditionalFields_string`) and write empty
 * columns as "", so every column is read through those variants.
 */

/** A column by its name or its typed export names (`ReportId`, `ReportId_long`, `ReportId_string`…). */
function col(row: Doc, name: string): unknown {
  for (const key of [name, `${name}_string`, `${name}_long`, `${name}_int`, `${name}_dynamic`]) {
    const v = row[key];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}
const s = (row: Doc, name: string) => str(col(row, name));

/** Which hunting table the row most likely came from, when the export does not say (it rarely does). */
function tableOf(row: Doc): string | undefined {
  const named = s(row, 'Type') ?? s(row, '$table') ?? s(row, 'TableName');
  if (named) return named;
  if (col(row, 'ActivityObjects') !== undefined || (s(row, 'Application') && s(row, 'ActivityType'))) return 'CloudAppEvents';
  if (s(row, 'DestinationDeviceName') !== undefined && s(row, 'InitiatingProcessFileName') === undefined) return 'IdentityDirectoryEvents';
  if (s(row, 'RemoteIP') !== undefined) return 'DeviceNetworkEvents';
  if (s(row, 'RegistryKey') !== undefined) return 'DeviceRegistryEvents';
  if (s(row, 'ProcessCommandLine') !== undefined) return 'DeviceProcessEvents';
  if (s(row, 'InitiatingProcessFileName') !== undefined) return 'DeviceEvents';
  return undefined;
}

/** Additional fields as an object; JSON text is parsed (and must parse), exported under several column names. */
function additional(row: Doc): Doc | undefined {
  for (const key of ['AdditionalFields', 'AdditionalFields_string', 'AdditionalFields_dynamic']) {
    const v = jsonField(row, key);
    if (isObject(v)) return v;
  }
  return undefined;
}

export function normalizeDefender(row: Doc): NormalizeResult {
  const action = s(row, 'ActionType');
  if (!action) throw new RecordError('ActionType is missing or empty');
  const rawTime = col(row, 'Timestamp');
  const at = toUtc(rawTime);
  if (!at) throw new RecordError(`Timestamp is missing or not a time: ${JSON.stringify(rawTime ?? null)}`);
  const extra = additional(row);
  const table = tableOf(row);

  // The actor: the account columns (identity tables), else the audit record's UserId (cloud tables), else the
  // initiating process's account (device tables). Each reading takes name, domain and id from the same place: in
  // CloudAppEvents AccountObjectId can be an app while UserId is the mailbox user.
  const accountUpn = s(row, 'AccountUpn');
  const auditUpn = s(row, 'UserId') ?? str(get(col(row, 'RawEventData'), 'UserId'));
  const user =
    s(row, 'AccountName') !== undefined || accountUpn !== undefined
      ? {
          name: s(row, 'AccountName') ?? (accountUpn ? splitUpn(accountUpn).name : undefined),
          domain: s(row, 'AccountDomain') ?? (accountUpn ? splitUpn(accountUpn).domain : undefined),
          email: accountUpn,
          id: s(row, 'AccountObjectId') ?? s(row, 'AccountSid'),
        }
      : auditUpn !== undefined
        ? { name: splitUpn(auditUpn).name, domain: splitUpn(auditUpn).domain, email: auditUpn.includes('@') ? auditUpn : undefined }
        : {
            name: s(row, 'InitiatingProcessAccountName'),
            domain: s(row, 'InitiatingProcessAccountDomain'),
            email: s(row, 'InitiatingProcessAccountUpn'),
            id: s(row, 'InitiatingProcessAccountObjectId') ?? s(row, 'InitiatingProcessAccountSid'),
          };

  // A process-creation row describes the new process, whose parent is the initiating process.
  const created = s(row, 'ProcessCommandLine') !== undefined || num(col(row, 'ProcessId')) !== undefined;
  const initiating = {
    pid: num(col(row, 'InitiatingProcessId')),
    name: s(row, 'InitiatingProcessFileName'),
    executable: s(row, 'InitiatingProcessFolderPath'),
    command_line: s(row, 'InitiatingProcessCommandLine'),
  };
  const process = created
    ? { pid: num(col(row, 'ProcessId')), name: s(row, 'FileName'), executable: s(row, 'FolderPath'), command_line: s(row, 'ProcessCommandLine'), parent: initiating }
    : { ...initiating, parent: { pid: num(col(row, 'InitiatingProcessParentId')), name: s(row, 'InitiatingProcessParentFileName') } };
  const fileHash = { md5: hash('md5', col(row, 'MD5')), sha1: hash('sha1', col(row, 'SHA1')), sha256: hash('sha256', col(row, 'SHA256')) };

  const sourceIp = s(row, 'LocalIP') ?? s(row, 'IPAddress') ?? s(row, 'FileOriginIP');
  const destinationIp = s(row, 'RemoteIP') ?? s(row, 'DestinationIPAddress');
  const hostName = s(row, 'DeviceName');
  const severity = s(row, 'Severity') ? fromDefender(s(row, 'Severity')) : informational;
  const searchFilter = str(extra?.['SearchFilter']);

  const event = finish({
    '@timestamp': at,
    message: searchFilter
      ? `LDAP search ${searchFilter} under ${str(extra?.['DistinguishedName']) ?? '(root)'}`
      : s(row, 'AccountDisplayName') && `${action} by ${s(row, 'AccountDisplayName')}`,
    event: {
      kind: 'event',
      action,
      dataset: table,
      provider: s(row, 'Application'),
      original_time: String(rawTime),
    },
    observer: { vendor: 'Microsoft', product: 'Microsoft 365 Defender' },
    host: { name: hostName },
    user,
    source: { ip: sourceIp, port: port(col(row, 'LocalPort') ?? col(row, 'Port')) },
    destination: {
      ip: destinationIp,
      port: port(col(row, 'RemotePort') ?? col(row, 'DestinationPort')),
      domain: s(row, 'DestinationDeviceName') ?? s(row, 'RemoteUrl'),
    },
    network: { protocol: s(row, 'Protocol') },
    process,
    file: created ? undefined : { path: s(row, 'FolderPath'), name: s(row, 'FileName'), hash: fileHash },
    registry: { path: s(row, 'RegistryKey'), value: s(row, 'RegistryValueName'), data: { strings: uniq([s(row, 'RegistryValueData')]) } },
    http: { user_agent: s(row, 'UserAgent') },
    cloud: table === 'CloudAppEvents' ? { provider: 'azure', service: { name: s(row, 'Application') } } : undefined,
    related: {
      ip: uniq([sourceIp, destinationIp]),
      user: uniq([user.name, user.email]),
      hosts: uniq([hostName, s(row, 'DestinationDeviceName')]),
      hash: uniq([
        ...Object.values(fileHash),
        hash('md5', col(row, 'InitiatingProcessMD5')),
        hash('sha1', col(row, 'InitiatingProcessSHA1')),
        hash('sha256', col(row, 'InitiatingProcessSHA256')),
      ]),
    },
    quell: { format: 'm365-defender', risk: severity.risk, level: severity.level, severityOriginal: severity.severityOriginal },
  });

  // ReportId is unique per device and time, not globally; DeviceId is all zeros in anonymised exports, hence the name too.
  const reportId = s(row, 'ReportId');
  const identity = reportId
    ? [reportId, s(row, 'DeviceId') ?? '', hostName ?? '', String(rawTime), action].join('\0')
    : `doc:${stableStringify(row)}`;
  return { kind: 'event', event, identity };
}

export const m365Defender: FormatDef = {
  name: 'm365-defender',
  label: 'Microsoft 365 Defender advanced hunting',
  framing: 'json',
  detect(row) {
    if (typeof row['Timestamp'] !== 'string' || typeof row['ActionType'] !== 'string') return 0;
    const markers = ['ReportId', 'ReportId_long', 'ReportId_string', 'DeviceId', 'DeviceName', 'AccountObjectId', 'InitiatingProcessFileName'];
    return markers.some((k) => row[k] !== undefined && row[k] !== '') ? 0.95 : 0.7;
  },
  normalize: (row) => normalizeDefender(row),
};
