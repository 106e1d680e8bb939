import { informational } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { finish, first, get, isObject, jsonField, splitUpn, stableStringify, str, uniq, type Doc } from './flatten.js';
import { RecordError, type FormatDef, type NormalizeResult } from './types.js';

/**
 * Entra ID (Azure AD) audit events as Sentinel's `AuditLogs` table exports them: the nested parts (`InitiatedBy`,
 * `TargetResources`, `AdditionalDetails`, and the `target`/`keyEvents` columns that queries add with mv-expand)
 * are JSON strings. Graph API exports (camelCase, already-parsed objects) are read the same way.
 */

/** Columns that carry JSON text; each must parse, or the record is quarantined naming the column. */
const JSON_COLUMNS = ['InitiatedBy', 'TargetResources', 'AdditionalDetails', 'target', 'keyEvents'] as const;

/** The key a column has in this record: Sentinel spells columns in PascalCase, Graph in camelCase. */
function keyOf(record: Doc, name: string): string {
  const lower = name[0]!.toLowerCase() + name.slice(1);
  const upper = name[0]!.toUpperCase() + name.slice(1);
  return name in record ? name : lower in record ? lower : upper in record ? upper : name;
}
const pascal = (record: Doc, name: string): unknown => record[keyOf(record, name)];

function parsedColumns(record: Doc): Record<(typeof JSON_COLUMNS)[number], unknown> {
  const out = {} as Record<(typeof JSON_COLUMNS)[number], unknown>;
  for (const column of JSON_COLUMNS) out[column] = jsonField(record, keyOf(record, column));
  return out;
}

interface Target {
  id?: string;
  displayName?: string;
  type?: string;
  userPrincipalName?: string;
}

function targetsOf(value: unknown): Target[] {
  const list = Array.isArray(value) ? value : isObject(value) ? [value] : [];
  return list.filter(isObject).map((t) => {
    const target: Target = {};
    for (const key of ['id', 'displayName', 'type', 'userPrincipalName'] as const) {
      const v = str(t[key]);
      if (v !== undefined) target[key] = v;
    }
    return target;
  });
}

const EVENT_TYPE: Record<string, string> = { add: 'creation', create: 'creation', delete: 'deletion', remove: 'deletion', update: 'change', assign: 'change', unassign: 'change' };

export function normalizeEntraAudit(record: Doc): NormalizeResult {
  const operation = str(pascal(record, 'OperationName')) ?? str(pascal(record, 'ActivityDisplayName'));
  if (!operation) throw new RecordError('OperationName is missing or empty');
  const rawTime = first(record, 'TimeGenerated', 'ActivityDateTime', 'activityDateTime');
  const at = toUtc(rawTime);
  if (!at) throw new RecordError(`TimeGenerated is missing or not a time: ${JSON.stringify(rawTime ?? null)}`);
  const parsed = parsedColumns(record);

  const initiatedBy = parsed.InitiatedBy;
  if (initiatedBy !== undefined && !isObject(initiatedBy)) throw new RecordError('InitiatedBy is JSON but not an object');
  const upn = str(get(initiatedBy, 'user.userPrincipalName')) ?? str(pascal(record, 'InitiatingUserOrApp')) ?? str(record['InitiatingUser']);
  const app = str(get(initiatedBy, 'app.displayName'));
  const actor = upn && upn.includes('@') ? splitUpn(upn) : undefined;

  const targets = targetsOf(parsed.TargetResources ?? parsed.target);
  const targetUser = targets.find((t) => t.userPrincipalName);
  const targetUpn = targetUser?.userPrincipalName ? splitUpn(targetUser.userPrincipalName) : undefined;
  const targetText = targets.map((t) => (t.type ? `${t.displayName ?? t.id ?? '?'} (${t.type})` : (t.displayName ?? t.id ?? '?'))).join(', ');
  const details = Array.isArray(parsed.AdditionalDetails) ? parsed.AdditionalDetails : [];
  const userAgent = str(record['UserAgent']) ?? str(get(details.find((d) => get(d, 'key') === 'User-Agent'), 'value'));
  const result = str(pascal(record, 'Result'))?.toLowerCase();
  const opType = str(pascal(record, 'AADOperationType') ?? record['operationType'])?.toLowerCase();
  const service = str(pascal(record, 'LoggedByService'));
  const sourceIp = str(get(initiatedBy, 'user.ipAddress')) ?? str(get(initiatedBy, 'app.ipAddress'));

  const event = finish({
    '@timestamp': at,
    message: `${operation}${targetText ? ` on ${targetText}` : ''} by ${upn ?? app ?? 'an unknown actor'}`,
    event: {
      kind: 'event',
      category: ['iam'],
      type: opType && EVENT_TYPE[opType] ? [EVENT_TYPE[opType]] : undefined,
      action: operation,
      dataset: 'azure.auditlogs',
      provider: service,
      outcome: result === 'success' ? 'success' : result === 'failure' ? 'failure' : undefined,
      original_time: String(rawTime),
    },
    observer: { vendor: 'Microsoft', product: 'Entra ID' },
    user: {
      name: actor?.name ?? (upn && !upn.includes('@') ? upn : undefined),
      domain: actor?.domain,
      email: actor ? upn : undefined,
      id: str(get(initiatedBy, 'user.id')),
      target: { name: targetUpn?.name, domain: targetUpn?.domain },
    },
    source: { ip: sourceIp },
    http: { user_agent: userAgent },
    cloud: { provider: 'azure', service: { name: service } },
    related: { ip: uniq([sourceIp]), user: uniq([upn, targetUser?.userPrincipalName]) },
    tags: uniq(targets.map((t) => t.displayName && `target:${t.displayName}`)),
    quell: { format: 'entra-audit', risk: informational.risk, level: informational.level },
  });

  // Sentinel queries mv-expand modified properties into one row each: those rows share Id and differ only in the
  // expanded columns, so those columns are part of the identity (two distinct rows must not collapse into one).
  const id = str(pascal(record, 'Id'));
  const expanded = parsed.keyEvents !== undefined ? `\0${stableStringify(parsed.keyEvents)}` : '';
  const correlation = str(pascal(record, 'CorrelationId'));
  const identity = id
    ? `${id}\0${operation}${expanded}`
    : correlation
      ? `${correlation}\0${operation}\0${String(rawTime)}${expanded}`
      : `doc:${stableStringify(record)}`;
  return { kind: 'event', event, identity };
}

export const entraAudit: FormatDef = {
  name: 'entra-audit',
  label: 'Entra ID audit logs (AuditLogs)',
  framing: 'json',
  detect(record) {
    const operation = pascal(record, 'OperationName') ?? pascal(record, 'ActivityDisplayName');
    if (typeof operation !== 'string') return 0;
    const parts = ['InitiatedBy', 'TargetResources', 'LoggedByService', 'AADOperationType', 'CorrelationId'].filter(
      (k) => pascal(record, k) !== undefined,
    ).length;
    return parts >= 3 ? 0.95 : parts >= 1 && pascal(record, 'InitiatedBy') !== undefined ? 0.8 : 0.1;
  },
  normalize: (record) => normalizeEntraAudit(record),
};
