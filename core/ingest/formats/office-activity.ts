import { isIP } from 'node:net';
import { informational } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { finish, isObject, jsonField, splitUpn, stableStringify, str, uniq, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';

/**
 * Office 365 unified audit records, as Sentinel's `OfficeActivity` table or the Management Activity API exports them
 * (Exchange, SharePoint, Teams…). Sentinel writes nested parts as JSON strings (`Folders`, `OperationProperties`…);
 * the API writes them as JSON. Both are accepted; a string that is not JSON quarantines the record.
 */

const JSON_COLUMNS = ['Folders', 'OperationProperties', 'AffectedItems', 'Parameters', 'ModifiedProperties', 'ExtendedProperties', 'Item'] as const;

/** First-party application ids worth naming in a message (the mailbox was read through the Graph API). */
const WELL_KNOWN_APPS: Record<string, string> = {
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
};

/** `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:443` or a bare IPv6 address, to the address alone. */
export function clientIp(value: unknown): string | undefined {
  const text = str(value);
  if (!text) return undefined;
  if (isIP(text)) return text;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed && isIP(bracketed[1]!)) return bracketed[1];
  const withPort = /^([^:]+):\d+$/.exec(text);
  if (withPort && isIP(withPort[1]!) === 4) return withPort[1];
  return undefined;
}

/** "7 items in \Inbox" from the MailItemsAccessed folder list. */
function folderSummary(folders: unknown): string | undefined {
  if (!Array.isArray(folders)) return undefined;
  const parts = folders.filter(isObject).map((f) => {
    const items = Array.isArray(f['FolderItems']) ? f['FolderItems'].length : undefined;
    const path = str(f['Path']) ?? str(f['Id']) ?? '?';
    return items === undefined ? path : `${items} item${items === 1 ? '' : 's'} in ${path}`;
  });
  return parts.length ? parts.join(', ') : undefined;
}

export function normalizeOfficeActivity(record: Doc): NormalizeResult {
  const operation = str(record['Operation']);
  if (!operation) throw new RecordError('Operation is missing or empty');
  // Sentinel's TimeGenerated carries a zone; the API's CreationTime is UTC written without one.
  const rawTime = record['TimeGenerated'] ?? record['CreationTime'];
  const at = record['TimeGenerated'] !== undefined ? toUtc(rawTime) : toUtc(rawTime, { zonelessIsUtc: true });
  if (!at) throw new RecordError(`TimeGenerated is missing or not a time: ${JSON.stringify(rawTime ?? null)}`);
  const parsed: Partial<Record<(typeof JSON_COLUMNS)[number], unknown>> = {};
  for (const column of JSON_COLUMNS) parsed[column] = jsonField(record, column);

  const upn = str(record['UserId']) ?? str(record['UserId_']);
  const actor = upn ? splitUpn(upn) : undefined;
  const owner = str(record['MailboxOwnerUPN']);
  const ownerParts = owner && owner !== upn ? splitUpn(owner) : undefined;
  const ip = clientIp(record['Client_IPAddress'] ?? record['ClientIPAddress'] ?? record['ClientIP'] ?? record['ActorIpAddress']);
  const workload = str(record['OfficeWorkload']) ?? str(record['Workload']);
  const result = str(record['ResultStatus'])?.toLowerCase();
  const client = str(record['ClientInfoString']);
  const folders = folderSummary(parsed.Folders);
  const appId = str(record['AppId']);

  const clientApp = str(record['ClientAppId']);
  const details = [
    folders,
    client && `ClientInfoString ${JSON.stringify(client)}`,
    appId && `AppId ${appId}${WELL_KNOWN_APPS[appId] ? ` (${WELL_KNOWN_APPS[appId]})` : ''}`,
    clientApp && clientApp !== appId && `ClientAppId ${clientApp}`,
  ]
    .filter(Boolean)
    .join('; ');
  const event = finish({
    '@timestamp': at,
    message: `${operation} by ${upn ?? 'an unknown user'}${details ? ` (${details})` : ''}`,
    event: {
      kind: 'event',
      action: operation,
      dataset: 'o365.audit',
      provider: workload,
      outcome: result === 'succeeded' || result === 'success' ? 'success' : result === 'failed' || result === 'failure' ? 'failure' : undefined,
      original_time: String(rawTime),
    },
    observer: { vendor: 'Microsoft', product: 'Office 365' },
    user: {
      name: actor?.name,
      domain: actor?.domain,
      email: upn?.includes('@') ? upn : undefined,
      id: str(record['LogonUserSid']),
      target: { name: ownerParts?.name, domain: ownerParts?.domain },
    },
    source: { ip },
    cloud: { provider: 'azure', service: { name: workload } },
    related: { ip: uniq([ip]), user: uniq([upn, owner]) },
    quell: { format: 'office-activity', risk: informational.risk, level: informational.level },
  });

  const id = str(record['Id']) ?? str(record['OfficeId']) ?? str(record['SourceRecordId']);
  return { kind: 'event', event, identity: id ? `id:${id}` : `doc:${stableStringify(record)}` };
}

export const officeActivity: FormatDef = {
  name: 'office-activity',
  label: 'Office 365 activity (OfficeActivity / unified audit log)',
  framing: 'json',
  detect(record) {
    if (typeof record['Operation'] !== 'string') return 0;
    if (record['Type'] === 'OfficeActivity') return 0.95;
    const parts = ['UserId', 'OfficeWorkload', 'Workload', 'RecordType', 'OrganizationId', 'UserKey', 'ResultStatus'].filter((k) => k in record).length;
    return parts >= 3 ? 0.9 : parts >= 1 ? 0.4 : 0.05;
  },
  normalize: (record) => normalizeOfficeActivity(record),
};
