import { isIP } from 'node:net';

/** An address or network as fixed-width hex (8 digits for IPv4, 32 for IPv6), so prefixes compare as text. */
export interface Network {
  version: 4 | 6;
  /** The network address with host bits cleared, as hex. */
  network: string;
  length: number;
  /** How it is shown: the canonical address, with `/length` for a network. */
  text: string;
}

const bitsOf = (version: 4 | 6) => (version === 4 ? 32 : 128);

/** Address bytes as a bigint, or null when `ip` is not an IPv4/IPv6 address. IPv4-mapped IPv6 is read as IPv4. */
function parseAddress(raw: string): { version: 4 | 6; value: bigint } | null {
  let ip = raw.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const zone = ip.indexOf('%');
  if (zone !== -1) ip = ip.slice(0, zone);
  const family = isIP(ip);
  if (family === 4) {
    const value = ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
    return { version: 4, value };
  }
  if (family !== 6) return null;
  let text = ip.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4 was handled above; 64:ff9b::1.2.3.4 is not) becomes two hex groups.
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4tail) {
    const n = v4tail[1]!.split('.').map(Number);
    text = `${text.slice(0, v4tail.index)}${((n[0]! << 8) | n[1]!).toString(16)}:${((n[2]! << 8) | n[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  return { version: 6, value };
}

function hex(version: 4 | 6, value: bigint): string {
  return value.toString(16).padStart(version === 4 ? 8 : 32, '0');
}

function mask(version: 4 | 6, value: bigint, length: number): bigint {
  const bits = BigInt(bitsOf(version));
  const host = (1n << (bits - BigInt(length))) - 1n;
  return value & ~host & ((1n << bits) - 1n);
}

function show(version: 4 | 6, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((value >> s) & 0xffffn).toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes '::'.
  let best = { start: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len) best = { start: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start === -1) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.len).join(':')}`;
}

/** A single address (any `/len` suffix is dropped: NetBox writes addresses with their subnet's mask). */
export function parseIp(text: string): Network | null {
  const slash = text.indexOf('/');
  const parsed = parseAddress(slash === -1 ? text : text.slice(0, slash));
  if (!parsed) return null;
  const length = bitsOf(parsed.version);
  return { version: parsed.version, network: hex(parsed.version, parsed.value), length, text: show(parsed.version, parsed.value) };
}

/**
 * A network in CIDR form. Host bits must be clear (10.1.2.3/24 is refused rather than silently widened), so a typo in
 * an inventory does not move an address into the wrong site.
 */
export function parseCidr(text: string): Network | { error: string } {
  const slash = text.indexOf('/');
  if (slash === -1) return { error: `"${text}" is not a network in CIDR form (address/length)` };
  const parsed = parseAddress(text.slice(0, slash));
  if (!parsed) return { error: `"${text.slice(0, slash)}" is not an IPv4 or IPv6 address` };
  const lengthText = text.slice(slash + 1);
  const length = Number(lengthText);
  if (!/^\d{1,3}$/.test(lengthText) || length > bitsOf(parsed.version)) {
    return { error: `"/${lengthText}" is not a prefix length for IPv${parsed.version} (0-${bitsOf(parsed.version)})` };
  }
  const network = mask(parsed.version, parsed.value, length);
  if (network !== parsed.value) {
    return { error: `"${text}" has host bits set; the network is ${show(parsed.version, network)}/${length}` };
  }
  return { version: parsed.version, network: hex(parsed.version, network), length, text: `${show(parsed.version, network)}/${length}` };
}

/** The network of `ip` at each length in `lengths`, longest first: the keys a longest-prefix lookup probes. */
export function networksOf(ip: Network, lengths: number[]): { length: number; network: string }[] {
  const value = BigInt(`0x${ip.network}`);
  return [...lengths]
    .filter((l) => l <= ip.length)
    .sort((a, b) => b - a)
    .map((length) => ({ length, network: hex(ip.version, mask(ip.version, value, length)) }));
}
