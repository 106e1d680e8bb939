import { isIP } from 'node:net';
import type { Entity, EntityType, NormalizedEvent } from '../model/index.js';

/** An entity of one record and the part it plays there (a host can be the reporter, a source or a destination). */
export interface EntityRef extends Entity {
  role: string;
}

/**
 * Hosts: lower-case, FQDN kept whole. A short name stays short: whether `ws5` is `ws5.mordor.local` or
 * `ws5.theshire.local` is decided per case by the grouping (two lab domains must never be merged by short name).
 */
export function canonicalHost(name: string): string | null {
  const n = name.trim().replace(/\.$/, '').toLowerCase();
  if (!n || n === '-' || n === 'localhost' || n === '127.0.0.1') return null;
  return n;
}

/**
 * Users as `domain\name` with the NetBIOS-style first label of the domain, so that `PANDALAB\pupy.godoy`,
 * `pupy.godoy@pandalab.com` and the Kerberos principal `pupy.godoy/PANDALAB.COM` are one user. SIDs stay SIDs.
 */
export function canonicalUser(name: string, domain?: string): string | null {
  let user = name.trim();
  let dom = domain?.trim() ?? '';
  if (!user || user === '-' || user === '$') return null;
  if (/^S-1-\d+(-\d+)+$/i.test(user)) return `sid:${user.toUpperCase()}`;
  const backslash = user.indexOf('\\');
  if (backslash !== -1) {
    dom = user.slice(0, backslash);
    user = user.slice(backslash + 1);
  } else if (user.includes('@')) {
    [user, dom] = [user.slice(0, user.lastIndexOf('@')), user.slice(user.lastIndexOf('@') + 1)];
  } else if (user.includes('/')) {
    // Kerberos: primary[/instance]@REALM, as Zeek writes it: user/REALM
    [user, dom] = [user.slice(0, user.indexOf('/')), user.slice(user.indexOf('/') + 1)];
  }
  const netbios = dom.split('.')[0]!.toLowerCase();
  user = user.toLowerCase();
  return netbios && netbios !== '-' ? `${netbios}\\${user}` : user;
}

export function canonicalIp(ip: string): string | null {
  let trimmed = ip.trim().replace(/^\[|\]$/g, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  // Some exporters zero-pad IPv4 octets (010.000.005.013), which isIP refuses.
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(trimmed)) trimmed = trimmed.split('.').map((p) => String(Number(p))).join('.');
  const family = isIP(trimmed);
  if (family === 4) {
    const v4 = trimmed.split('.').map((p) => String(Number(p))).join('.');
    return v4 === '0.0.0.0' ? null : v4;
  }
  if (family === 6) {
    const v6 = expandV6(trimmed);
    return v6 === '0:0:0:0:0:0:0:0' ? null : compressV6(v6);
  }
  return null;
}

function expandV6(ip: string): string {
  const [head, tail] = ip.toLowerCase().split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

function compressV6(full: string): string {
  const groups = full.split(':');
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j;
  }
  if (best.start === -1) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.len).join(':')}`;
}

export function canonicalDomain(name: string): string | null {
  const d = name.trim().replace(/\.$/, '').toLowerCase();
  if (!d || d === '-' || isIP(d) || !d.includes('.')) return null;
  return d;
}

const HASH_LENGTHS: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** Extracts every entity of a normalised record, each once per role. */
export function extractEntities(e: NormalizedEvent): EntityRef[] {
  const out = new Map<string, EntityRef>();
  const add = (type: EntityType, value: unknown, canonical: string | null, role: string) => {
    if (canonical === null || typeof value !== 'string') return;
    const key = `${type}\0${canonical}\0${role}`;
    if (!out.has(key)) out.set(key, { type, value, canonical, role });
  };
  const host = e.host?.name ?? e.host?.hostname;
  if (host) add('host', host, canonicalHost(host), 'host');
  for (const ip of e.host?.ip ?? []) add('ip', ip, canonicalIp(ip), 'host');
  if (e.user?.name) add('user', userText(e.user.name, e.user.domain), canonicalUser(e.user.name, e.user.domain), 'user');
  if (e.user?.id) add('user', e.user.id, canonicalUser(e.user.id), 'user-id');
  if (e.user?.email && e.user.email !== e.user.name) add('user', e.user.email, canonicalUser(e.user.email), 'user');
  if (e.user?.target?.name) add('user', userText(e.user.target.name, e.user.target.domain), canonicalUser(e.user.target.name, e.user.target.domain), 'target');
  if (e.source?.user?.name) add('user', e.source.user.name, canonicalUser(e.source.user.name), 'source');
  if (e.source?.ip) add('ip', e.source.ip, canonicalIp(e.source.ip), 'source');
  if (e.destination?.ip) add('ip', e.destination.ip, canonicalIp(e.destination.ip), 'destination');
  for (const d of [e.source?.domain, e.destination?.domain, e.dns?.question?.name, e.url?.domain, e.tls?.server_name]) {
    if (d) add('domain', d, canonicalDomain(d), 'domain');
  }
  if (e.url?.full) add('url', e.url.full, e.url.full.trim(), 'url');
  if (e.process?.executable) add('process', e.process.executable, e.process.executable.toLowerCase(), 'process');
  if (e.process?.parent?.executable) add('process', e.process.parent.executable, e.process.parent.executable.toLowerCase(), 'parent');
  for (const [algo, value] of Object.entries(e.file?.hash ?? {})) {
    if (typeof value === 'string' && HASH_LENGTHS[value.length] === algo && /^[0-9a-f]+$/i.test(value)) {
      add('hash', value, `${algo}:${value.toLowerCase()}`, 'file');
    }
  }
  // ECS related.hash carries hashes without their algorithm (process images, DLLs): infer it from the length.
  for (const value of e.related?.hash ?? []) {
    const algo = HASH_LENGTHS[value.length];
    if (algo && /^[0-9a-f]+$/i.test(value)) add('hash', value, `${algo}:${value.toLowerCase()}`, 'related');
  }
  return [...out.values()];
}

const userText = (name: string, domain?: string) => (domain && !name.includes('\\') ? `${domain}\\${name}` : name);
