import { canonicalDomain, canonicalIp, canonicalUser } from '../ingest/index.js';
import type { NormalizedEvent } from '../model/index.js';
import type { GraphAccumulator, Support } from './elements.js';
import { remoteLogon, sourceHost, type HostContext } from './hosts.js';
import { field, windowsData, type CaseRecord } from './read.js';

// One record → the nodes and edges it supports. Each rule names the fields it reads; anything a record lacks is
// simply not drawn.

const basename = (p: string) => p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1);

/** Sysmon file events worth a node: the file a process created, changed, streamed or deleted (not DLL loads). */
const FILE_EVENTS = new Set(['2', '11', '15', '23', '26', '29']);
const SENSOR_FLOWS = new Set(['zeek.conn', 'suricata.flow', 'suricata.netflow']);

export function deriveRecord(r: CaseRecord, g: GraphAccumulator, ctx: HostContext): void {
  const d = r.doc;
  const s: Support = { id: r.id, ts: r.ts };
  const code = d.event.code;
  const sysmon = d.event.module === 'sysmon';
  const security = d.event.module === 'security';
  const win = d.quell.format.startsWith('windows') ? windowsData(r.original) : {};

  const hostKey = ctx.host(d.host?.name ?? d.host?.hostname);
  const host = hostKey ? g.node('host', hostKey, d.host?.name ?? hostKey, { name: d.host?.name, os: d.host?.os?.platform }, s) : undefined;
  for (const ip of d.host?.ip ?? []) {
    const c = canonicalIp(ip);
    if (c && host) g.edge('resolved_to', host, g.node('ip', c, c, {}, s), s);
  }
  const user = userNode(g, d.user?.name, d.user?.domain, s);
  const targetUser = userNode(g, d.user?.target?.name, d.user?.target?.domain, s);

  // Processes: the actor, its parent on process creation, what it accessed.
  const proc = processNode(g, hostKey, d.process, s);
  if (proc && host) g.edge('runs_on', proc, host, s);
  const creation = (sysmon && code === '1') || (security && code === '4688');
  if (proc && user && (sysmon || creation)) g.edge('runs_as', proc, user, s);
  if (proc && creation && d.process?.parent) {
    const parent = processNode(g, hostKey, d.process.parent, s);
    if (parent) {
      g.edge('spawned', parent, proc, s);
      if (host) g.edge('runs_on', parent, host, s);
    }
  }
  if (proc && sysmon && (code === '10' || code === '8')) {
    const image = field(win, 'TargetImage');
    const pid = Number(field(win, 'TargetProcessId')) || undefined;
    const target = processNode(g, hostKey, { entity_id: field(win, 'TargetProcessGUID', 'TargetProcessGuid'), executable: image, pid }, s);
    if (target) {
      g.edge('accessed', proc, target, s, { grantedAccess: field(win, 'GrantedAccess'), via: code === '8' ? 'CreateRemoteThread' : 'ProcessAccess' });
      if (host) g.edge('runs_on', target, host, s);
    }
  }
  if (proc && sysmon && code && FILE_EVENTS.has(code) && d.file?.path) {
    const file = g.node('file', d.file.path.toLowerCase(), basename(d.file.path), { path: d.file.path }, s);
    g.edge('accessed', proc, file, s, { action: d.event.type?.join(' ') });
  }

  connections(r, g, ctx, s, host, proc);
  dns(d, g, s, proc);
  logons(d, win, g, ctx, s, hostKey, host, user, targetUser);

  if (r.kind === 'alert') alert(r, g, ctx, s, { host, user, targetUser, proc });
  for (const incident of r.incidents) {
    const node = g.node('incident', incident, incident, {}, s);
    if (r.kind === 'alert') g.edge('member_of', `alert:${r.id}`, node, s);
    if (host) g.edge('member_of', host, node, s);
  }
}

function userNode(g: GraphAccumulator, name: string | undefined, domain: string | undefined, s: Support): string | undefined {
  const c = name ? canonicalUser(name, domain) : null;
  if (!c) return undefined;
  return g.node('user', c, domain && !name!.includes('\\') ? `${domain}\\${name}` : name!, { name, domain }, s);
}

type ProcessFields = { entity_id?: string | undefined; executable?: string | undefined; pid?: number | undefined; command_line?: string | undefined };

/**
 * A process by its GUID when the source has one (Sysmon), else by host, pid and image (Security 4688), labelled
 * `image (pid)`.
 */
function processNode(g: GraphAccumulator, hostKey: string | undefined, p: ProcessFields | undefined, s: Support): string | undefined {
  if (!p) return undefined;
  // Sysmon writes the zero GUID for a process it could not identify (`<unknown process>`): that is no identity.
  const guid = p.entity_id && !/^\{?[0-]+\}?$/.test(p.entity_id) ? p.entity_id.toLowerCase() : undefined;
  const image = p.executable;
  if (!guid && (p.pid === undefined || !image)) return undefined;
  const key = guid ?? `${hostKey ?? '?'}|${p.pid}|${image!.toLowerCase()}`;
  const name = image ? basename(image) : 'process';
  const label = p.pid !== undefined ? `${name} (${p.pid})` : name;
  return g.node('process', key, label, { executable: image, pid: p.pid, commandLine: p.command_line, host: hostKey }, s);
}

/** An address as a node: the host of the case that owns it when there is one (the host↔network join), else the IP. */
function endpoint(g: GraphAccumulator, ctx: HostContext, ip: string | undefined, s: Support): string | undefined {
  const c = ip ? canonicalIp(ip) : null;
  if (!c) return undefined;
  const ipNode = g.node('ip', c, c, {}, s);
  const owner = ctx.hostOfIp(c);
  if (!owner) return ipNode;
  const hostNode = g.node('host', owner, owner, {}, s);
  g.edge('resolved_to', hostNode, ipNode, s);
  return hostNode;
}

/**
 * Host-side connection records (Sysmon 3, Security 5156) say which end is local; network sensors (Zeek conn,
 * Suricata flow) do not, so each end that a host of the case owns is drawn as that host.
 */
function connections(r: CaseRecord, g: GraphAccumulator, ctx: HostContext, s: Support, host: string | undefined, proc: string | undefined): void {
  const d = r.doc;
  const data = { ports: d.destination?.port, transport: d.network?.transport, formats: d.quell.format };
  const hostSide = (d.event.module === 'sysmon' && d.event.code === '3') || (d.event.module === 'security' && d.event.code === '5156');
  if (hostSide && host) {
    const egress = d.network?.direction === 'egress';
    if (!egress && d.network?.direction !== 'ingress') return;
    const local = canonicalIp((egress ? d.source?.ip : d.destination?.ip) ?? '');
    if (local) g.edge('resolved_to', host, g.node('ip', local, local, {}, s), s);
    const remote = endpoint(g, ctx, egress ? d.destination?.ip : d.source?.ip, s);
    if (!remote) return;
    for (const from of [host, proc]) {
      if (!from) continue;
      if (egress) g.edge('connected_to', from, remote, s, data);
      else g.edge('connected_to', remote, from, s, data);
    }
    return;
  }
  if (d.event.dataset && SENSOR_FLOWS.has(d.event.dataset)) {
    const src = endpoint(g, ctx, d.source?.ip, s);
    const dst = endpoint(g, ctx, d.destination?.ip, s);
    if (src && dst) g.edge('connected_to', src, dst, s, data);
  }
}

/** DNS answers: the name resolved to each address; Sysmon 22 also says which process asked. */
function dns(d: NormalizedEvent, g: GraphAccumulator, s: Support, proc: string | undefined): void {
  const c = d.dns?.question?.name ? canonicalDomain(d.dns.question.name) : null;
  if (!c) return;
  const domain = g.node('domain', c, c, {}, s);
  for (const a of d.dns?.answers ?? []) {
    const ip = canonicalIp(a.data);
    if (ip) g.edge('resolved_to', domain, g.node('ip', ip, ip, {}, s), s);
  }
  if (proc && d.event.module === 'sysmon') g.edge('connected_to', proc, domain, s, { via: 'dns' });
}

/**
 * 4624: the account logged on to the host (logon type kept); 4648: explicit credentials for a server. A remote
 * logon whose source address or workstation is another host of the case, a 4648 aimed at one, and a scheduled task
 * (4698) or service (4697) created in a remote logon's session are lateral movement from that host.
 */
function logons(
  d: NormalizedEvent,
  win: Record<string, unknown>,
  g: GraphAccumulator,
  ctx: HostContext,
  s: Support,
  hostKey: string | undefined,
  host: string | undefined,
  user: string | undefined,
  targetUser: string | undefined,
): void {
  if (!hostKey || !host || d.event.module !== 'security') return;
  const lateral = (from: string | undefined, via: string) => {
    if (from && from !== hostKey) g.edge('lateral_movement', g.node('host', from, from, {}), host, s, { via, user: d.user?.name });
  };
  switch (d.event.code) {
    case '4624': {
      if (user) g.edge('logged_on', user, host, s, { logonTypes: field(win, 'LogonType') });
      const remote = remoteLogon(d, win, ctx);
      if (remote) lateral(sourceHost(remote, ctx), `remote logon (type ${field(win, 'LogonType')})`);
      return;
    }
    case '4648': {
      const server = ctx.knownHost(field(win, 'TargetServerName'));
      if (targetUser) g.edge('logged_on', targetUser, server ? g.node('host', server, server, {}) : host, s, { logonTypes: 'explicit credentials' });
      if (server && server !== hostKey) g.edge('lateral_movement', host, g.node('host', server, server, {}), s, { via: 'explicit credentials' });
      return;
    }
    case '4698':
      return lateral(ctx.sessionSource(hostKey, field(win, 'SubjectLogonId')), 'scheduled task');
    case '4697':
      return lateral(ctx.sessionSource(hostKey, field(win, 'SubjectLogonId')), 'service');
  }
}

function alert(
  r: CaseRecord,
  g: GraphAccumulator,
  ctx: HostContext,
  s: Support,
  seen: { host: string | undefined; user: string | undefined; targetUser: string | undefined; proc: string | undefined },
): void {
  const d = r.doc;
  const node = g.node('alert', r.id, d.rule?.name ?? d.message ?? 'alert', { level: d.quell.level, risk: d.quell.risk, format: d.quell.format, ruleId: d.rule?.id }, s);
  const about = [seen.host, seen.user, seen.targetUser, seen.proc, endpoint(g, ctx, d.source?.ip, s), endpoint(g, ctx, d.destination?.ip, s)];
  for (const name of [d.source?.domain, d.destination?.domain, d.url?.domain, d.tls?.server_name, d.dns?.question?.name]) {
    const c = name ? canonicalDomain(name) : null;
    if (c) about.push(g.node('domain', c, c, {}, s));
  }
  if (d.file?.path) about.push(g.node('file', d.file.path.toLowerCase(), basename(d.file.path), { path: d.file.path }, s));
  for (const target of new Set(about)) if (target) g.edge('about', node, target, s);
  const ids = d.threat?.technique?.id ?? [];
  const names = d.threat?.technique?.name ?? [];
  ids.forEach((id, i) => {
    const t = g.node('technique', id.toUpperCase(), names[i] ? `${id.toUpperCase()} ${names[i]}` : id.toUpperCase(), { name: names[i] }, s);
    g.edge('uses_technique', node, t, s);
  });
}
