import { canonicalHost, canonicalIp } from '../ingest/index.js';
import type { NormalizedEvent } from '../model/index.js';
import type { Store } from '../store/index.js';
import { caseRecords, field, windowsData, type ReadOptions, type ReadStats } from './read.js';

/**
 * What the graph must know about the case's hosts before it can draw an edge between two of them: which FQDN a
 * short name means, which host an address belongs to, and which remote logon session a later record ran in.
 */
export interface HostContext {
  /** A host name as written in a record → the host node's key (short names resolved like incident grouping). */
  host(name: string | undefined): string | undefined;
  /** Like `host`, but only for a host the case's records name (a workstation name alone does not make a host). */
  knownHost(name: string | undefined): string | undefined;
  /** An address → the host it belongs to, when exactly one host of the case uses it. */
  hostOfIp(ip: string | undefined): string | undefined;
  /** A remote logon session (`host|logonId`) → the host it came from. */
  sessionSource(host: string, logonId: string | undefined): string | undefined;
}

const LOOPBACK = /^(127\.|::1$)/;
/** Logon types that come from another machine: network (3), network cleartext (8), remote interactive (10). */
export const REMOTE_LOGON_TYPES = new Set(['3', '8', '10']);

export interface RemoteLogon {
  host: string;
  logonId: string | undefined;
  ip: string | undefined;
  workstation: string | undefined;
}

export function remoteLogon(doc: NormalizedEvent, data: Record<string, unknown>, ctx: Pick<HostContext, 'host'>): RemoteLogon | undefined {
  if (doc.event.code !== '4624' || !REMOTE_LOGON_TYPES.has(field(data, 'LogonType') ?? '')) return undefined;
  const host = ctx.host(doc.host?.name ?? doc.host?.hostname);
  if (!host) return undefined;
  const ip = canonicalIp(field(data, 'IpAddress') ?? '') ?? undefined;
  return { host, logonId: field(data, 'TargetLogonId')?.toLowerCase(), ip: ip && !LOOPBACK.test(ip) ? ip : undefined, workstation: field(data, 'WorkstationName') };
}

/**
 * Reads what it needs in one filtered pass: host names from the entities table, each host's own addresses from
 * host-side connection records (the local end of Sysmon 3 and Security 5156) and `host.ip`, and remote logons.
 */
export function hostContext(store: Store, caseId: string, options: ReadOptions, stats: ReadStats): HostContext {
  const fqdnsByShort = new Map<string, Set<string>>();
  const hostNames = store.read(
    () => store.db.prepare("SELECT canonical FROM entities WHERE case_id = ? AND type = 'host'").pluck().all(caseId) as string[],
  );
  for (const h of hostNames) {
    if (!h.includes('.')) continue;
    const short = h.split('.')[0]!;
    fqdnsByShort.set(short, (fqdnsByShort.get(short) ?? new Set()).add(h));
  }
  const host = (name: string | undefined): string | undefined => {
    const c = name ? canonicalHost(name) : null;
    if (!c) return undefined;
    if (c.includes('.') || /^[\d.]+$/.test(c)) return c;
    const fqdns = fqdnsByShort.get(c);
    return fqdns?.size === 1 ? [...fqdns][0]! : c;
  };

  const known = new Set(hostNames);
  const knownHost = (name: string | undefined) => {
    const h = host(name);
    return h && known.has(h) ? h : undefined;
  };

  const owners = new Map<string, Set<string>>();
  const own = (ip: string | undefined, h: string | undefined) => {
    const c = ip ? canonicalIp(ip) : null;
    if (!c || !h || LOOPBACK.test(c)) return;
    owners.set(c, (owners.get(c) ?? new Set()).add(h));
  };
  const logons: RemoteLogon[] = [];
  const where = "json_extract(e.doc, '$.event.code') IN ('3', '5156', '4624') OR json_type(e.doc, '$.host.ip') IS NOT NULL";
  for (const r of caseRecords(store, caseId, { ...options, where }, stats)) {
    const d = r.doc;
    const h = host(d.host?.name ?? d.host?.hostname);
    for (const ip of d.host?.ip ?? []) own(ip, h);
    const hostSide = (d.event.module === 'sysmon' && d.event.code === '3') || (d.event.module === 'security' && d.event.code === '5156');
    if (hostSide) {
      if (d.network?.direction === 'egress') own(d.source?.ip, h);
      if (d.network?.direction === 'ingress') own(d.destination?.ip, h);
    }
    const logon = remoteLogon(d, windowsData(r.original), { host });
    if (logon) logons.push(logon);
  }
  const hostOfIp = (ip: string | undefined) => {
    const c = ip ? canonicalIp(ip) : null;
    const found = c ? owners.get(c) : undefined;
    return found?.size === 1 ? [...found][0]! : undefined;
  };

  const sessions = new Map<string, string>();
  for (const l of logons) {
    const from = sourceHost(l, { knownHost, hostOfIp });
    if (from && l.logonId) sessions.set(`${l.host}|${l.logonId}`, from);
  }
  return { host, knownHost, hostOfIp, sessionSource: (h, id) => (id ? sessions.get(`${h}|${id.toLowerCase()}`) : undefined) };
}

/** The machine a remote logon came from: its address if a host of the case owns it, else its workstation name. */
export function sourceHost(l: RemoteLogon, ctx: Pick<HostContext, 'knownHost' | 'hostOfIp'>): string | undefined {
  const from = ctx.hostOfIp(l.ip) ?? ctx.knownHost(l.workstation);
  return from && from !== l.host ? from : undefined;
}
