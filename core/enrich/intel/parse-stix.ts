import { ParsedFeed } from './parsed-feed.js';
import { patternIndicators } from './stix-pattern.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const SCO_TYPES: Record<string, 'ip' | 'domain' | 'url'> = { 'ipv4-addr': 'ip', 'ipv6-addr': 'ip', 'domain-name': 'domain', url: 'url' };
const FILE_HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256' };

/**
 * A STIX 2.1 bundle: `indicator` objects with `pattern_type: stix` patterns, and cyber-observable objects
 * (ipv4-addr, ipv6-addr, domain-name, url, file hashes) taken as indicators themselves. Other objects (identity,
 * malware, relationship…) carry no indicator and are counted as skipped by type; revoked indicators likewise.
 */
export function parseStix(text: string, file: string): ParsedFeed {
  const feed = new ParsedFeed(file);
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (err) {
    throw feed.error('bundle', `not JSON (${(err as Error).message})`);
  }
  if (!isObj(bundle) || bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) {
    throw feed.error('bundle', 'not a STIX 2.1 bundle (expected an object with "type": "bundle" and an "objects" array)');
  }
  bundle.objects.forEach((o: unknown, index) => {
    if (!isObj(o)) throw feed.error(`objects[${index}]`, 'is not an object');
    if (typeof o.type !== 'string') throw feed.error(`objects[${index}]`, '"type" is missing');
    const ref = typeof o.id === 'string' ? o.id : `objects[${index}]`;
    const where = `objects[${index}] (${ref})`;
    if (o.type === 'indicator') return indicator(feed, o, where, ref);
    const scoType = SCO_TYPES[o.type];
    if (scoType) {
      if (typeof o.value !== 'string') throw feed.error(where, `"value" is missing`);
      if (scoType === 'ip' && o.value.includes('/') && !/\/(32|128)$/.test(o.value)) {
        feed.unsupported.push({ ref, reason: `${o.type} ${o.value} is a CIDR range (only single addresses are matched)` });
        return;
      }
      return feed.add(scoType, o.value.replace(/\/(32|128)$/, ''), where, ref, null);
    }
    if (o.type === 'file' && isObj(o.hashes)) {
      let any = false;
      for (const [key, value] of Object.entries(o.hashes)) {
        const algo = FILE_HASHES[key.toUpperCase()];
        if (!algo || typeof value !== 'string') continue;
        feed.add('hash', value, `${where} hashes.${key}`, ref, null, algo);
        any = true;
      }
      if (!any) feed.skip('STIX file without an MD5, SHA-1 or SHA-256 hash');
      return;
    }
    feed.skip(`STIX ${o.type}`);
  });
  return feed;
}

function indicator(feed: ParsedFeed, o: Obj, where: string, ref: string): void {
  if (typeof o.pattern !== 'string' || !o.pattern.trim()) throw feed.error(where, '"pattern" is missing');
  if (typeof o.pattern_type !== 'string') throw feed.error(where, '"pattern_type" is missing (required in STIX 2.1)');
  if (o.revoked === true) return feed.skip('STIX indicator revoked');
  if (o.pattern_type !== 'stix') {
    feed.unsupported.push({ ref, reason: `pattern_type ${o.pattern_type} (only stix patterns are read)` });
    return;
  }
  const confidence = typeof o.confidence === 'number' && Number.isInteger(o.confidence) ? o.confidence : null;
  const result = patternIndicators(o.pattern);
  if (!result.ok) {
    feed.unsupported.push({ ref, reason: `${result.reason}: ${o.pattern}` });
    return;
  }
  for (const i of result.indicators) feed.add(i.type, i.value, `${where} pattern`, ref, confidence, i.algo);
}
