import type { NormalizedEvent } from '../../model/index.js';
import { fromSuricata, informational } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { RecordError, type FormatDef } from './types.js';
import { basename, compact, contentIdentity, port, text, uniq } from './windows-common.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const sum = (a: unknown, b: unknown): number | undefined =>
  typeof a === 'number' || typeof b === 'number' ? (typeof a === 'number' ? a : 0) + (typeof b === 'number' ? b : 0) : undefined;

/** `ja3: {hash, string}`; an empty `{}` when Suricata saw no handshake. */
const ja3 = (v: unknown) => text(obj(v).hash);

const hex = (v: unknown) => {
  const t = text(v)?.toLowerCase();
  return t && /^[0-9a-f]+$/.test(t) ? t : undefined;
};

/**
 * http.url is the request target: a path, or an absolute URL when Suricata saw a proxy request. `serverPort` is
 * the HTTP server's port when the record says which side the server is on; without it no full URL is claimed.
 */
function url(http: Obj, serverPort: number | undefined): NormalizedEvent['url'] {
  const target = text(http.url);
  const hostname = text(http.hostname);
  if (!target && !hostname) return undefined;
  if (target && /^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    try {
      const u = new URL(target);
      return { full: target, domain: u.hostname, path: u.pathname };
    } catch {
      return { full: target, ...(hostname ? { domain: hostname } : {}) };
    }
  }
  const p = port(http.http_port) ?? serverPort;
  const path = target?.split('?', 1)[0];
  return compact<NonNullable<NormalizedEvent['url']>>({
    domain: hostname,
    path,
    full: hostname && target && p !== undefined ? `http://${hostname.includes(':') ? `[${hostname}]` : hostname}${p !== 80 ? `:${p}` : ''}${target}` : undefined,
  });
}

/** DNS in EVE version 1 (one record per query or answer) and version 2 (`queries[]`, `answers[]`, `grouped`). */
function dns(d: Obj): NormalizedEvent['dns'] {
  const queries = arr(d.queries).map(obj);
  const name = text(d.rrname) ?? text(queries[0]?.rrname);
  const type = text(d.rrtype) ?? text(queries[0]?.rrtype);
  const answers: string[] = [];
  if (d.type === 'answer' && text(d.rdata)) answers.push(text(d.rdata)!);
  for (const a of arr(d.answers)) {
    const data = text(obj(a).rdata);
    if (data) answers.push(data);
  }
  for (const values of Object.values(obj(d.grouped))) for (const v of arr(values)) if (text(v)) answers.push(text(v)!);
  if (!name && !answers.length) return undefined;
  return compact<NonNullable<NormalizedEvent['dns']>>({
    question: { name, type },
    answers: uniq(answers).map((data) => ({ data })),
  });
}

const endpoint = (ip: string | undefined, p: number | undefined) => (ip ? (p !== undefined ? `${ip.includes(':') ? `[${ip}]` : ip}:${p}` : ip) : '?');

/**
 * Which EVE records are "the same": an event type, the flow it belongs to, its timestamp, and what tells records
 * of one flow apart (transaction, signature, DNS answer, file). Records without a flow id fall back to content.
 */
function identity(r: Obj, eventType: string): string {
  if (r.flow_id === undefined) return contentIdentity(r);
  const base = `${eventType}|${String(r.flow_id)}|${String(r.timestamp)}|${String(r.tx_id ?? '')}`;
  switch (eventType) {
    case 'alert': {
      const a = obj(r.alert);
      return `${base}|${String(a.gid ?? '')}:${String(a.signature_id ?? '')}:${String(a.rev ?? '')}`;
    }
    case 'dns': {
      const d = obj(r.dns);
      return `${base}|${String(d.type ?? '')}|${String(d.id ?? '')}|${String(d.rrname ?? '')}|${String(d.rrtype ?? '')}|${String(d.rdata ?? '')}`;
    }
    case 'fileinfo': {
      const f = obj(r.fileinfo);
      return `${base}|${String(f.tx_id ?? '')}|${String(f.file_id ?? '')}|${String(f.filename ?? '')}|${String(f.sha256 ?? f.md5 ?? '')}`;
    }
    case 'flow':
    case 'netflow':
    case 'tls':
    case 'ssh':
    case 'http':
      return base;
    default:
      // Unknown types may log several records per flow and timestamp; only the whole record is safe.
      return `${base}|${contentIdentity(r)}`;
  }
}

/** Suricata EVE JSON (`eve.json`): alerts become alerts, protocol records telemetry, `stats` is skipped. */
/**
 * ATT&CK from the rule's metadata, as ET Open and ET Pro rules write it (`metadata: mitre_technique_id T1071,
 * mitre_tactic_name Command_And_Control`, arrays in EVE); canonical ids and names are filled in at import.
 */
function metadataThreat(metadata: Record<string, unknown> | undefined): NormalizedEvent['threat'] {
  const list = (key: string) => (Array.isArray(metadata?.[key]) ? (metadata[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
  const techniques = list('mitre_technique_id');
  const tactics = [...list('mitre_tactic_id'), ...list('mitre_tactic_name')];
  if (!techniques.length && !tactics.length) return undefined;
  return { technique: { id: techniques }, tactic: { name: tactics } };
}

export const suricataEve: FormatDef = {
  name: 'suricata-eve',
  label: 'Suricata EVE JSON',
  framing: 'json',
  detect(record) {
    if (typeof record.event_type !== 'string' || typeof record.timestamp !== 'string') return 0;
    if ('src_ip' in record || 'flow_id' in record || record.event_type === 'stats') return 0.95;
    return 0.6;
  },
  normalize(r) {
    const eventType = text(r.event_type);
    if (!eventType) throw new RecordError(`event_type: expected a Suricata event type, found ${JSON.stringify(r.event_type ?? null)}`);
    if (eventType === 'stats') return { kind: 'skip', reason: 'Suricata stats record' };
    const ts = toUtc(r.timestamp);
    if (!ts) {
      throw new RecordError(`no usable timestamp: timestamp ${r.timestamp === undefined ? 'is missing' : `${JSON.stringify(r.timestamp)} is not a time with a zone`}`);
    }

    const alert = eventType === 'alert' ? obj(r.alert) : undefined;
    if (alert && alert.signature_id === undefined) throw new RecordError('alert.signature_id: missing on an alert record');
    // Suricata gives a rule without a classtype priority 3, the lowest.
    const severity = alert ? fromSuricata(alert.severity ?? 3) : informational;

    const http = obj(r.http);
    const tls = obj(r.tls);
    const fileinfo = obj(r.fileinfo);
    const flow = obj(r.flow);
    const srcIp = text(r.src_ip);
    const destIp = text(r.dest_ip);
    const srcPort = port(r.src_port);
    const destPort = port(r.dest_port);
    const appProto = text(r.app_proto);
    const filename = text(fileinfo.filename);
    const hash = { md5: hex(fileinfo.md5), sha1: hex(fileinfo.sha1), sha256: hex(fileinfo.sha256) };
    // `http` records and alerts run client to server (unless an alert says to_client); fileinfo runs the way the
    // file went, so its server side is not known.
    const serverPort = eventType === 'http' ? destPort : alert ? (r.direction === 'to_client' ? srcPort : destPort) : undefined;
    const urlFields = Object.keys(http).length ? url(http, serverPort) : undefined;
    const dnsFields = eventType === 'dns' ? dns(obj(r.dns)) : undefined;
    const ssh = obj(r.ssh);

    const category = alert
      ? ['network', 'intrusion_detection']
      : eventType === 'fileinfo'
        ? ['network', 'file']
        : ['network'];
    const type = alert
      ? [alert.action === 'blocked' ? 'denied' : 'allowed']
      : eventType === 'flow' || eventType === 'netflow'
        ? ['connection', 'end']
        : ['protocol'];

    let message: string;
    const route = `${endpoint(srcIp, srcPort)} -> ${endpoint(destIp, destPort)}`;
    if (alert) message = text(alert.signature) ?? `Suricata alert ${String(alert.signature_id)}`;
    else if (eventType === 'dns') message = `DNS ${text(obj(r.dns).type) ?? ''} ${dnsFields?.question?.name ?? ''} ${dnsFields?.answers?.map((a) => a.data).join(', ') ?? ''}`.replace(/\s+/g, ' ').trim();
    else if (eventType === 'http') message = `HTTP ${text(http.http_method) ?? ''} ${urlFields?.full ?? text(http.url) ?? ''}${http.status !== undefined ? ` ${String(http.status)}` : ''}`.replace(/\s+/g, ' ').trim();
    else if (eventType === 'tls') message = `TLS ${text(tls.sni) ?? text(tls.subject) ?? route}`;
    else if (eventType === 'fileinfo') message = `File ${filename ?? '?'} ${route}`;
    else if (eventType === 'ssh') message = `SSH ${text(obj(ssh.client).software_version) ?? '?'} -> ${text(obj(ssh.server).software_version) ?? '?'} ${route}`;
    else message = `Suricata ${eventType} ${text(r.proto)?.toLowerCase() ?? ''} ${route}`.replace(/\s+/g, ' ');

    const event = compact<NormalizedEvent>({
      '@timestamp': ts,
      message,
      event: {
        kind: alert ? 'alert' : 'event',
        category,
        type,
        action: alert ? text(alert.action) : undefined,
        module: 'suricata',
        dataset: `suricata.${eventType}`,
        original_time: String(r.timestamp),
        severity: alert && typeof alert.severity === 'number' ? alert.severity : undefined,
        risk_score: alert ? severity.risk : undefined,
      },
      observer: { vendor: 'OISF', product: 'Suricata', hostname: text(r.host) },
      source: { ip: srcIp, port: srcPort },
      destination: { ip: destIp, port: destPort },
      network: {
        transport: text(r.proto)?.toLowerCase(),
        protocol: appProto && appProto !== 'failed' ? appProto.toLowerCase() : undefined,
        bytes: sum(flow.bytes_toserver, flow.bytes_toclient),
        packets: sum(flow.pkts_toserver, flow.pkts_toclient),
      },
      url: urlFields,
      http: Object.keys(http).length
        ? {
            request: { method: text(http.http_method) },
            response: { status_code: typeof http.status === 'number' ? http.status : undefined },
            user_agent: text(http.http_user_agent),
          }
        : undefined,
      tls: Object.keys(tls).length ? { server_name: text(tls.sni), ja3: ja3(tls.ja3), ja3s: ja3(tls.ja3s) } : undefined,
      dns: dnsFields,
      file: eventType === 'fileinfo' || hash.md5 || hash.sha256 ? { path: filename, name: filename ? basename(filename) : undefined, hash } : undefined,
      rule: alert
        ? {
            id: String(alert.signature_id),
            name: text(alert.signature),
            category: text(alert.category),
            ruleset: alert.gid !== undefined ? `gid:${String(alert.gid)}` : undefined,
          }
        : undefined,
      threat: alert ? metadataThreat(obj(alert.metadata)) : undefined,
      related: {
        ip: uniq([srcIp, destIp]),
        hash: uniq([hash.md5, hash.sha1, hash.sha256]),
        hosts: uniq([text(http.hostname), text(tls.sni)]),
      },
      quell: {
        format: 'suricata-eve',
        risk: severity.risk,
        level: severity.level,
        severityOriginal: alert ? severity.severityOriginal : undefined,
        uid: r.flow_id !== undefined ? String(r.flow_id) : undefined,
      },
    });
    return { kind: 'event', event, identity: identity(r, eventType) };
  },
};
