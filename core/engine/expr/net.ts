/**
 * IPv4 and IPv6 addresses as bytes, written here rather than taken from `node:net` because expressions also run in
 * the browser. IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is read as the IPv4 address so that v4 ranges match it.
 */
export function ipBytes(text: string, mapV4 = true): number[] | null {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const v4 = ipv4(t);
  if (v4) return v4;
  const v6 = ipv6(t);
  if (!v6) return null;
  return mapV4 && isMapped(v6) ? v6.slice(12) : v6;
}

const isMapped = (v6: number[]) => v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;

function ipv4(t: string): number[] | null {
  const parts = t.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    // No leading zeros: `010` is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

function ipv6(t: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(t)) return null;
  let tail: number[] = [];
  let text = t;
  const lastColon = t.lastIndexOf(':');
  if (t.includes('.')) {
    const v4 = ipv4(t.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    // `::1.2.3.4` keeps its `::`; `1::2:1.2.3.4` drops the colon before the IPv4 tail.
    text = t[lastColon - 1] === ':' ? t.slice(0, lastColon + 1) : t.slice(0, lastColon);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const wanted = 8 - tail.length / 2;
  if ([...head, ...rest].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  let all: string[];
  if (halves.length === 2) {
    const missing = wanted - head.length - rest.length;
    if (missing < 1) return null;
    all = [...head, ...Array<string>(missing).fill('0'), ...rest];
  } else {
    all = head;
    if (all.length !== wanted) return null;
  }
  const bytes: number[] = [];
  for (const g of all) {
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return [...bytes, ...tail];
}

export interface Cidr {
  network: number[];
  prefix: number;
}

/** `10.0.0.0/8`, `fe80::/10`, or a bare address (a /32 or /128); null when it is not one. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = ipBytes(slash === -1 ? text : text.slice(0, slash), false);
  if (!address) return null;
  const max = address.length * 8;
  const p = slash === -1 ? String(max) : text.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(p) || Number(p) > max) return null;
  const prefix = Number(p);
  // Addresses are compared with IPv4-mapped ones read as IPv4, so a range inside ::ffff:0:0/96 is read that way too.
  if (address.length === 16 && isMapped(address) && prefix >= 96) return { network: address.slice(12), prefix: prefix - 96 };
  return { network: address, prefix };
}

export function cidrHas(cidr: Cidr, address: number[]): boolean {
  if (address.length !== cidr.network.length) return false;
  for (let bit = 0; bit < cidr.prefix; bit += 8) {
    const take = Math.min(8, cidr.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((address[bit / 8]! ^ cidr.network[bit / 8]!) & mask) !== 0) return false;
  }
  return true;
}

/** RFC 1918, loopback, link-local and carrier-grade NAT for IPv4; loopback, unique-local and link-local for IPv6. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '100.64.0.0/10', '::1/128', 'fc00::/7', 'fe80::/10'].map(
  (c) => parseCidr(c)!,
);

export function isPrivate(address: number[]): boolean {
  return PRIVATE.some((c) => cidrHas(c, address));
}
