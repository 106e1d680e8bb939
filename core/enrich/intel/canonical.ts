import { canonicalDomain, canonicalIp } from '../../ingest/index.js';
import type { IndicatorType } from '../../model/index.js';

const HASH_ALGOS: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/**
 * An indicator value in the canonical form case entities use (core/ingest/entities.ts), so that a feed's
 * `10.000.005.013` joins the entity `10.0.5.13` and a feed's SHA-256 joins `sha256:<lower hex>`. Null when the
 * value is not a valid one of its type. `algo` names the hash algorithm when the feed says which it is.
 */
export function canonicalIndicator(type: IndicatorType, value: string, algo?: string): string | null {
  switch (type) {
    case 'ip':
      return canonicalIp(value);
    case 'domain':
      return canonicalDomain(value);
    case 'url': {
      const url = value.trim();
      return url ? url : null;
    }
    case 'hash': {
      const hex = value.trim().toLowerCase();
      const byLength = HASH_ALGOS[hex.length];
      if (!byLength || !/^[0-9a-f]+$/.test(hex) || (algo !== undefined && algo !== byLength)) return null;
      return `${byLength}:${hex}`;
    }
  }
}

/** Why a value was refused, worded for an error message. */
export function invalidValue(type: IndicatorType, value: string, algo?: string): string {
  if (type === 'hash') return `${JSON.stringify(value)} is not a${algo ? `n ${algo.toUpperCase()}` : ' MD5, SHA-1 or SHA-256'} hash in hex`;
  const what = { ip: 'an IPv4 or IPv6 address', domain: 'a domain name', url: 'a URL' }[type];
  return `${JSON.stringify(value)} is not ${what}`;
}
