import { toUtc } from '../timestamps.js';
import { RecordError, type FormatDef } from './types.js';
import { contentIdentity, mapWindowsEvent, text } from './windows-common.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** evtx_dump writes an element with attributes as `{ "#text": value, "#attributes": {...} }`. */
const value = (v: unknown): unknown => obj(v)?.['#text'] ?? v;
const attribute = (v: unknown, name: string): unknown => obj(obj(v)?.['#attributes'])?.[name];

/**
 * The event data, flat: `EventData` with named fields, or the single child of `UserData` (1102 and friends). Unnamed
 * `Data` arrays stay as they are; nothing maps from them.
 */
function eventData(event: Obj): Obj {
  const data = obj(event.EventData);
  if (data) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(data)) if (k !== '#attributes') out[k] = value(v);
    return out;
  }
  const user = obj(event.UserData);
  if (user) {
    const child = Object.entries(user).find(([k]) => k !== '#attributes');
    return obj(child?.[1]) ?? {};
  }
  return {};
}

/** `evtx_dump -o json` (omerbenamram/evtx) records: `{ Event: { System: {...}, EventData: {...} } }`. */
export const windowsEvtx: FormatDef = {
  name: 'windows-evtx',
  label: 'Windows events (evtx_dump JSON)',
  framing: 'json',
  detect(record) {
    const system = obj(obj(record.Event)?.System);
    if (!system) return 0;
    return system.EventID !== undefined ? 0.95 : 0.5;
  },
  normalize(record) {
    const event = obj(record.Event);
    const system = obj(event?.System);
    if (!event || !system) throw new RecordError('Event.System: missing; not an evtx_dump record');

    const eventId = text(value(system.EventID));
    if (eventId === undefined || !/^\d+$/.test(eventId)) {
      throw new RecordError(`Event.System.EventID: expected an event number, found ${JSON.stringify(system.EventID ?? null)}`);
    }
    const data = eventData(event);
    const systemTime = attribute(system.TimeCreated, 'SystemTime');
    let ts = toUtc(systemTime);
    let timeSource = 'System.TimeCreated.SystemTime';
    let original = systemTime;
    if (!ts) {
      ts = toUtc(data.UtcTime, { zonelessIsUtc: true });
      timeSource = 'EventData.UtcTime';
      original = data.UtcTime;
    }
    if (!ts) {
      throw new RecordError(
        `no usable timestamp: System.TimeCreated.SystemTime ${systemTime === undefined ? 'is missing' : `${JSON.stringify(systemTime)} is not a time`}` +
          `; EventData.UtcTime ${data.UtcTime === undefined ? 'is missing' : `${JSON.stringify(data.UtcTime)} is not a time`}`,
      );
    }

    const computer = text(system.Computer);
    const channel = text(system.Channel);
    const recordId = text(value(system.EventRecordID));
    const normalized = mapWindowsEvent({
      format: 'windows-evtx',
      eventId,
      channel,
      provider: text(attribute(system.Provider, 'Name')),
      computer,
      data,
      timestamp: ts,
      originalTime: String(original),
      timeSource,
      recordId,
      fallbackMessage: undefined,
    });
    const identity = recordId ? `record:${computer ?? ''}|${channel ?? ''}|${recordId}` : contentIdentity(record);
    return { kind: 'event', event: normalized, identity };
  },
};
