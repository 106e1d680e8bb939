import type { IndicatorType } from '../../model/index.js';
import { ParsedFeed } from './parsed-feed.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * MISP attribute types Quell reads, each as [indicator type, which part of a `a|b` composite value, hash algorithm].
 * Composite types carry two values in one (`filename|sha256` is `name.exe|<hash>`, `ip-dst|port` is `1.2.3.4|443`).
 */
const TYPES: Record<string, [IndicatorType, 0 | 1, string?][]> = {
  'ip-src': [['ip', 0]],
  'ip-dst': [['ip', 0]],
  'ip-src|port': [['ip', 0]],
  'ip-dst|port': [['ip', 0]],
  domain: [['domain', 0]],
  hostname: [['domain', 0]],
  'hostname|port': [['domain', 0]],
  'domain|ip': [['domain', 0], ['ip', 1]],
  url: [['url', 0]],
  md5: [['hash', 0, 'md5']],
  sha1: [['hash', 0, 'sha1']],
  sha256: [['hash', 0, 'sha256']],
  'filename|md5': [['hash', 1, 'md5']],
  'filename|sha1': [['hash', 1, 'sha1']],
  'filename|sha256': [['hash', 1, 'sha256']],
};

/**
 * A MISP JSON event export: `{"Event": {...}}`, a list of them, or the REST `{"response": [...]}`. Attributes of the
 * event and of its objects (`Object[].Attribute[]`) are read; only those flagged `to_ids` (meant for detection, as
 * MISP defines it) become indicators, and the rest are counted as skipped, as are types Quell does not match on.
 */
export function parseMisp(text: string, file: string): ParsedFeed {
  const feed = new ParsedFeed(file);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw feed.error('event', `not JSON (${(err as Error).message})`);
  }
  const list = Array.isArray(root) ? root : isObj(root) && Array.isArray(root.response) ? root.response : [root];
  list.forEach((item: unknown, e) => {
    const prefix = list.length > 1 || Array.isArray(root) || (isObj(root) && 'response' in root) ? `[${e}].Event` : 'Event';
    if (!isObj(item) || !isObj(item.Event)) throw feed.error(prefix, 'not a MISP event (expected an object with an "Event" member)');
    const event = item.Event;
    attributes(feed, event.Attribute, `${prefix}.Attribute`);
    if (event.Object === undefined) return;
    if (!Array.isArray(event.Object)) throw feed.error(`${prefix}.Object`, 'is not an array');
    event.Object.forEach((o: unknown, i) => {
      if (!isObj(o)) throw feed.error(`${prefix}.Object[${i}]`, 'is not an object');
      attributes(feed, o.Attribute, `${prefix}.Object[${i}].Attribute`);
    });
  });
  return feed;
}

function attributes(feed: ParsedFeed, list: unknown, path: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw feed.error(path, 'is not an array');
  list.forEach((a: unknown, i) => {
    const where = `${path}[${i}]`;
    if (!isObj(a)) throw feed.error(where, 'is not an object');
    if (typeof a.type !== 'string' || !a.type) throw feed.error(where, '"type" is missing');
    if (typeof a.value !== 'string' || !a.value) throw feed.error(where, '"value" is missing');
    if (a.deleted === true || a.deleted === '1') return feed.skip('MISP attribute deleted');
    if (!(a.to_ids === true || a.to_ids === '1' || a.to_ids === 1)) return feed.skip('MISP attribute not to_ids');
    const parts = TYPES[a.type];
    if (!parts) return feed.skip(`MISP type ${a.type}`);
    // Only composite types split on |: a URL may contain one.
    const values = a.type.includes('|') ? a.value.split('|') : [a.value];
    const ref = typeof a.uuid === 'string' ? a.uuid : where;
    for (const [type, part, algo] of parts) {
      const value = values.length === 1 ? (part === 0 ? values[0] : undefined) : values.length === 2 ? values[part] : undefined;
      if (value === undefined) throw feed.error(where, `${JSON.stringify(a.value)} is not a ${a.type} value (expected two parts joined by |)`);
      feed.add(type, value, where, ref, null, algo);
    }
  });
}
