import type { IndicatorType } from '../../model/index.js';

export interface PatternIndicator {
  type: IndicatorType;
  value: string;
  algo?: string;
}

export type PatternResult = { ok: true; indicators: PatternIndicator[] } | { ok: false; reason: string };

// One comparison `object-type:path OP value` of the STIX 2.1 patterning language (section 9).
const COMPARISON =
  /([a-z0-9-]+):((?:[A-Za-z0-9_-]+|'[^']*')(?:\.(?:[A-Za-z0-9_-]+|'[^']*')|\[(?:\d+|\*)\])*)\s*((?:NOT\s+)?(?:=|!=|<=|>=|<|>|LIKE|MATCHES|IN|ISSUBSET|ISSUPERSET))\s*('(?:[^'\\]|\\.)*'|[a-z]'(?:[^'\\]|\\.)*'|\((?:[^()']|'(?:[^'\\]|\\.)*')*\)|-?\d+(?:\.\d+)?|true|false)/y;
const OTHER = /[^\s[\]()]+/y;

const HASH_KEYS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', SHA1: 'sha1', 'SHA-256': 'sha256', SHA256: 'sha256' };

/**
 * The indicators a STIX pattern names, when it is one or more `=` comparisons on values Quell knows joined only by
 * OR (each then matches on its own). Anything else — AND, FOLLOWEDBY, qualifiers, other operators, CIDR ranges,
 * object paths that are not an address, domain, URL or file hash — cannot become indicators matched one value at a
 * time, so the whole pattern is refused with the reason, and counted by the importer.
 */
export function patternIndicators(pattern: string): PatternResult {
  const found: PatternIndicator[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (/\s/.test(c) || c === '[' || c === ']' || c === '(' || c === ')') {
      i++;
      continue;
    }
    COMPARISON.lastIndex = i;
    const m = COMPARISON.exec(pattern);
    if (m) {
      const [, objectType, path, op, literal] = m as unknown as [string, string, string, string, string];
      if (op !== '=') return { ok: false, reason: `operator ${op} in ${objectType}:${path} (only = is supported)` };
      if (!literal.startsWith("'")) return { ok: false, reason: `${objectType}:${path} compared with ${literal}, not a string` };
      const value = literal.slice(1, -1).replace(/\\(['\\])/g, '$1');
      const indicator = toIndicator(objectType, path, value);
      if (typeof indicator === 'string') return { ok: false, reason: indicator };
      found.push(indicator);
      i = COMPARISON.lastIndex;
      continue;
    }
    OTHER.lastIndex = i;
    const word = OTHER.exec(pattern)![0];
    if (word !== 'OR') return { ok: false, reason: `${word} is not supported (only comparisons joined by OR)` };
    i = OTHER.lastIndex;
  }
  if (!found.length) return { ok: false, reason: 'no comparison found' };
  return { ok: true, indicators: found };
}

function toIndicator(objectType: string, path: string, value: string): PatternIndicator | string {
  const where = `${objectType}:${path}`;
  switch (objectType) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      if (path !== 'value') return `${where} is not supported (only ${objectType}:value)`;
      if (value.includes('/') && !/\/(32|128)$/.test(value)) return `${where} = '${value}' is a CIDR range (only single addresses are matched)`;
      return { type: 'ip', value: value.replace(/\/(32|128)$/, '') };
    case 'domain-name':
      return path === 'value' ? { type: 'domain', value } : `${where} is not supported (only domain-name:value)`;
    case 'url':
      return path === 'value' ? { type: 'url', value } : `${where} is not supported (only url:value)`;
    case 'file': {
      const key = /^hashes\.(?:'([^']+)'|([A-Za-z0-9-]+))$/.exec(path);
      const algo = key ? HASH_KEYS[(key[1] ?? key[2])!.toUpperCase()] : undefined;
      return algo ? { type: 'hash', value, algo } : `${where} is not supported (only file:hashes.MD5, 'SHA-1' and 'SHA-256')`;
    }
    default:
      return `${where}: object type ${objectType} is not supported`;
  }
}
