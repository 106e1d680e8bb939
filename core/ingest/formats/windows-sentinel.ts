import { toUtc } from '../timestamps.js';
import { RecordError, type FormatDef } from './types.js';
import { contentIdentity, mapWindowsEvent, text } from './windows-common.js';

const CLAIM_NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const CLAIM_SID = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid';

/**
 * `EventData_dynamic` arrives as an object, or as JSON text of an object or of the positional parameters (AD FS
 * 412/501 write claim-type/value pairs). Named data joins the record's fields; from claims, the caller's name and SID.
 */
function eventData(raw: unknown): Record<string, unknown> {
  let value = raw;
  if (typeof raw === 'string') {
    if (!raw.trim()) return {};
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new RecordError(`EventData_dynamic is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (Array.isArray(value)) {
    const after = (claim: string) => {
      const i = value.indexOf(claim);
      return i !== -1 ? text(value[i + 1]) : undefined;
    };
    const out: Record<string, unknown> = {};
    const name = after(CLAIM_NAME);
    const sid = after(CLAIM_SID);
    if (name) out.ClaimsName = name;
    if (sid) out.UserSid = sid;
    return out;
  }
  if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
  return {};
}

/**
 * Azure Sentinel `SecurityEvent`/`Event` rows (OTRF Golden SAML `WindowsEvents.json`): `TimeGenerated` in UTC,
 * `Computer`, `EventID`, the event data as columns and sometimes again in `EventData_dynamic`.
 */
export const windowsSentinel: FormatDef = {
  name: 'windows-sentinel',
  label: 'Windows events (Azure Sentinel SecurityEvent/Event rows)',
  framing: 'json',
  detect(record) {
    const id = record.EventID;
    const numeric = (typeof id === 'number' && Number.isInteger(id)) || (typeof id === 'string' && /^\d+$/.test(id));
    if (typeof record.TimeGenerated !== 'string' || typeof record.Computer !== 'string' || !numeric) return 0;
    return 'Event' in record ? 0.2 : 0.9;
  },
  normalize(record) {
    const eventId = text(record.EventID);
    if (eventId === undefined || !/^\d+$/.test(eventId)) {
      throw new RecordError(`EventID: expected an event number, found ${JSON.stringify(record.EventID ?? null)}`);
    }
    const ts = toUtc(record.TimeGenerated);
    if (!ts) {
      throw new RecordError(
        `no usable timestamp: TimeGenerated ${record.TimeGenerated === undefined ? 'is missing' : `${JSON.stringify(record.TimeGenerated)} is not a time with a zone`}`,
      );
    }
    // The columns Sentinel extracted win over the same names inside EventData_dynamic.
    const data = { ...eventData(record.EventData_dynamic), ...record };
    const origin = text(record.EventOriginId);
    const event = mapWindowsEvent({
      format: 'windows-sentinel',
      eventId,
      channel: text(record.Channel ?? record.EventLog),
      provider: text(record.EventSourceName ?? record.Source),
      computer: text(record.Computer),
      data,
      timestamp: ts,
      originalTime: String(record.TimeGenerated),
      timeSource: 'TimeGenerated',
      recordId: origin,
      // Activity is `<id> - <description>`, and Sentinel's description is sometimes another provider's (AD FS 501
      // reads "The Desktop Window Manager is experiencing heavy resource contention"), so it is the last resort.
      fallbackMessage: text(record.RenderedDescription) ?? text(record.Activity),
    });
    return { kind: 'event', event, identity: origin ? `origin:${origin}` : contentIdentity(record) };
  },
};
