import { BlockList } from 'node:net';

/** Says whether an address belongs to the organisation. The asset inventory can supply its own (its prefixes). */
export type InternalPredicate = (ip: string) => boolean;

const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4'); // RFC 1918
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6'); // RFC 4193 unique local

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const family = (ip: string): 'ipv4' | 'ipv6' => (ip.includes(':') ? 'ipv6' : 'ipv4');

/** Private address ranges (RFC 1918, RFC 4193); loopback is the machine talking to itself, never an asset. */
export const privateRanges: InternalPredicate = (ip) => {
  try {
    return PRIVATE.check(ip, family(ip)) && !LOOPBACK.check(ip, family(ip));
  } catch {
    return false;
  }
};

/** Internal when any of the predicates says so: private ranges plus, say, the organisation's public prefixes. */
export function anyOf(...predicates: InternalPredicate[]): InternalPredicate {
  return (ip) => predicates.some((p) => p(ip));
}
