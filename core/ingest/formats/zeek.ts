import type { NormalizedEvent } from '../../model/index.js';
import { fromLevelName, informational } from '../severity.js';
import { toUtc } from '../timestamps.js';
import { RecordError, type FormatDef, type RecordContext, type NormalizeResult } from './types.js';
import { basename, compact, contentIdentity, port, text, uniq } from './windows-common.js';

type Obj = Record<string, unknown>;

/**
 * A Zeek field by its dotted name, whichever key style the exporter used: `id.orig_h` (Zeek's own JSON and the
 * TSV header), `id_orig_h` (Logstash/OTRF flattening) or nested `{ id: { orig_h } }`. In files/pe/x509 logs `id`
 * is the file id string, so nesting is only read from an object.
 */
function field(r: Obj, name: string): unknown {
  if (name in r) return r[name];
  const flat = name.replace(/\./g, '_');
  if (flat in r) return r[flat];
  const dot = name.indexOf('.');
  if (dot !== -1) {
    const parent = r[name.slice(0, dot)];
    if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) return field(parent as Obj, name.slice(dot + 1));
  }
  return undefined;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const texts = (v: unknown): string[] => uniq(list(v).map(text));
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const sum = (a: unknown, b: unknown) => (num(a) !== undefined || num(b) !== undefined ? (num(a) ?? 0) + (num(b) ?? 0) : undefined);
const hex = (v: unknown) => {
  const t = text(v)?.toLowerCase();
  return t && /^[0-9a-f]+$/.test(t) ? t : undefined;
};

/** Log names Zeek ships, for recognising the path from a file name (`conn.log`, `dns.00:00:00-01:00:00.log.gz`). */
const KNOWN_PATHS = new Set(
  ('analyzer capture_loss conn dce_rpc dhcp dnp3 dns dpd files ftp http intel irc kerberos known_certs known_hosts ' +
    'known_services modbus mysql notice ntlm ntp ocsp packet_filter pe radius rdp reporter sip smb_files smb_mapping ' +
    'smtp snmp socks software ssh ssl stats syslog traceroute tunnel weird x509').split(' '),
);

function logPath(r: Obj, file: string): string {
  const explicit = text(r._path) ?? text(r['@stream']);
  if (explicit) return explicit;
  const fromName = /^([a-z][a-z0-9_]*)(?:\.[^/\\]*)?\.(?:log|json|ndjson|jsonl)(?:\.gz)?$/i.exec(basename(file))?.[1]?.toLowerCase();
  if (fromName && KNOWN_PATHS.has(fromName)) return fromName;
  throw new RecordError(`no Zeek log path: the record has no _path or @stream, and the file name ${JSON.stringify(file)} names no Zeek log`);
}

/**
 * Kerberos principals as Zeek writes them, `name/REALM` (the name may itself hold a `/`, the realm never does), or
 * `name@REALM`.
 */
export function splitPrincipal(raw: string): { name: string; domain?: string } {
  const at = raw.lastIndexOf('@');
  const cut = at > 0 ? at : raw.lastIndexOf('/');
  if (cut <= 0 || cut === raw.length - 1) return { name: raw };
  return { name: raw.slice(0, cut), domain: raw.slice(cut + 1) };
}

/** What tells apart two records of one log that share uid and ts (several DNS queries, HTTP requests, weirds…). */
const DISCRIMINATORS: Record<string, string[]> = {
  conn: [],
  ssl: [],
  files: [],
  x509: [],
  pe: [],
  dns: ['trans_id', 'query', 'qtype'],
  http: ['trans_depth'],
  kerberos: ['request_type', 'client', 'service'],
  weird: ['name'],
  notice: ['note'],
  dce_rpc: ['endpoint', 'operation'],
  smb_files: ['action', 'name'],
  smb_mapping: ['path'],
  analyzer: ['analyzer_name', 'cause'],
  dpd: ['analyzer'],
  ntlm: ['username', 'domainname'],
};

function identity(r: Obj, path: string, uid: string | undefined, fuid: string | undefined, sensor: string | undefined): string {
  const keys = DISCRIMINATORS[path];
  // Without a connection or file id, or for logs we do not know, only the whole record says which one it is.
  if ((!uid && !fuid) || !keys) return `${sensor ?? ''}|${path}|${contentIdentity(r)}`;
  const parts = keys.map((k) => JSON.stringify(field(r, k) ?? null));
  return [sensor ?? '', path, uid ?? '', String(field(r, 'ts')), fuid ?? '', ...parts].join('|');
}

const endpoint = (ip: string | undefined, p: number | undefined) => (ip ? (p !== undefined ? `${ip.includes(':') ? `[${ip}]` : ip}:${p}` : ip) : '?');

const PROTOCOLS: Record<string, string> = {
  dns: 'dns',
  http: 'http',
  ssl: 'tls',
  kerberos: 'kerberos',
  smb_files: 'smb',
  smb_mapping: 'smb',
  dce_rpc: 'dce_rpc',
  ntlm: 'ntlm',
  rdp: 'rdp',
  ssh: 'ssh',
};

function normalizeZeek(r: Obj, ctx: RecordContext, format: string): NormalizeResult {
  const path = logPath(r, ctx.file);
  const rawTs = field(r, 'ts');
  const ts = toUtc(rawTs);
  if (!ts) throw new RecordError(`no usable timestamp: ts ${rawTs === undefined ? 'is missing' : `${JSON.stringify(rawTs)} is not an epoch or ISO time`}`);

  const sensor = text(r['@system']) ?? text(r._system_name);
  const uid = text(r.uid) ?? texts(r.conn_uids)[0];
  const fuid = text(r.fuid) ?? (path === 'files' || path === 'x509' || path === 'pe' || path === 'ocsp' ? text(r.id) : undefined);

  // files.log before Zeek 5 has no id.* fields: the file went from tx_hosts to rx_hosts.
  const srcIp = text(field(r, 'id.orig_h')) ?? texts(r.tx_hosts)[0] ?? text(r.src);
  const dstIp = text(field(r, 'id.resp_h')) ?? texts(r.rx_hosts)[0] ?? text(r.dst);
  const srcPort = port(field(r, 'id.orig_p'));
  const dstPort = port(field(r, 'id.resp_p') ?? r.p);
  const route = `${endpoint(srcIp, srcPort)} -> ${endpoint(dstIp, dstPort)}`;
  const proto = text(r.proto)?.toLowerCase();
  const service = text(r.service);

  let kind: 'event' | 'alert' = 'event';
  let severity = informational;
  let category: string[] = ['network'];
  let type: string[] = ['protocol'];
  let message: string;
  let user: NormalizedEvent['user'];
  let outcome: string | undefined;
  let rule: NormalizedEvent['rule'];
  let dns: NormalizedEvent['dns'];
  let url: NormalizedEvent['url'];
  let http: NormalizedEvent['http'];
  let tls: NormalizedEvent['tls'];
  let file: NormalizedEvent['file'];
  const relatedUsers: string[] = [];

  switch (path) {
    case 'conn':
      type = ['connection'];
      message = `${proto ?? 'conn'} ${route}${service ? ` ${service}` : ''}${text(r.conn_state) ? ` ${text(r.conn_state)}` : ''}`;
      break;
    case 'dns': {
      const query = text(r.query);
      const answers = texts(r.answers);
      type = ['protocol', 'info'];
      dns = compact<NonNullable<NormalizedEvent['dns']>>({ question: { name: query, type: text(r.qtype_name) }, answers: answers.map((data) => ({ data })) });
      message = `DNS ${text(r.qtype_name) ?? ''} ${query ?? '(no query)'}${answers.length ? ` = ${answers.join(', ')}` : ''} ${text(r.rcode_name) ?? ''} (${route})`.replace(/\s+/g, ' ');
      break;
    }
    case 'http': {
      const host = text(r.host);
      const uri = text(r.uri);
      category = ['network', 'web'];
      type = ['access', 'protocol'];
      url = compact<NonNullable<NormalizedEvent['url']>>({
        domain: host,
        path: uri?.split('?', 1)[0],
        full: host && uri ? `http://${host}${dstPort !== undefined && dstPort !== 80 && !host.includes(':') ? `:${dstPort}` : ''}${uri}` : undefined,
      });
      http = compact<NonNullable<NormalizedEvent['http']>>({
        request: { method: text(r.method) },
        response: { status_code: num(r.status_code) },
        user_agent: text(r.user_agent),
      });
      const mime = texts(r.resp_mime_types).join(',');
      message = `HTTP ${text(r.method) ?? ''} ${url?.full ?? uri ?? ''} ${num(r.status_code) ?? ''} ${mime} (${route})`.replace(/\s+/g, ' ');
      break;
    }
    case 'files': {
      const filename = text(r.filename);
      category = ['file', 'network'];
      type = ['info'];
      file = compact<NonNullable<NormalizedEvent['file']>>({
        path: filename,
        name: filename ? basename(filename) : undefined,
        hash: { md5: hex(r.md5), sha1: hex(r.sha1), sha256: hex(r.sha256) },
      });
      message = `File ${filename ?? fuid ?? '?'} ${text(r.mime_type) ?? ''} over ${text(r.source) ?? '?'} ${route}`.replace(/\s+/g, ' ');
      break;
    }
    case 'pe':
      category = ['file'];
      type = ['info'];
      message = `PE ${text(r.machine) ?? '?'} ${text(r.os) ?? ''} ${text(r.subsystem) ?? ''} file ${fuid ?? '?'}`.replace(/\s+/g, ' ');
      break;
    case 'kerberos': {
      const client = text(r.client);
      category = ['authentication', 'network'];
      type = ['start'];
      if (client) {
        const p = splitPrincipal(client);
        user = p.domain ? { name: p.name, domain: p.domain } : { name: p.name };
        relatedUsers.push(client);
      }
      outcome = r.success === true ? 'success' : r.success === false ? 'failure' : undefined;
      message = `Kerberos ${text(r.request_type) ?? ''} ${client ?? '(no client)'} -> ${text(r.service) ?? '?'}${outcome ? ` ${outcome}` : ''}${text(r.error_msg) ? ` ${text(r.error_msg)}` : ''}`.replace(/\s+/g, ' ');
      break;
    }
    case 'smb_mapping':
      category = ['network', 'file'];
      type = ['access'];
      file = compact<NonNullable<NormalizedEvent['file']>>({ path: text(r.path) });
      message = `SMB share ${text(r.path) ?? '?'} (${text(r.share_type) ?? '?'}) ${route}`;
      break;
    case 'smb_files': {
      const share = text(r.path);
      const name = text(r.name);
      const full = share && name ? `${share}\\${name}` : (name ?? share);
      category = ['network', 'file'];
      type = ['access'];
      file = compact<NonNullable<NormalizedEvent['file']>>({ path: full, name: name ? basename(name) : undefined });
      message = `SMB ${text(r.action) ?? 'file'} ${full ?? '?'} ${route}`;
      break;
    }
    case 'ssl': {
      const sni = text(r.server_name);
      tls = compact<NonNullable<NormalizedEvent['tls']>>({ server_name: sni, ja3: text(r.ja3), ja3s: text(r.ja3s) });
      message = `TLS ${text(r.version) ?? ''} ${sni ?? route}${text(r.validation_status) ? ` (${text(r.validation_status)})` : ''}`.replace(/\s+/g, ' ');
      break;
    }
    case 'x509':
      type = ['info'];
      message = `Certificate ${text(field(r, 'certificate.subject')) ?? fuid ?? '?'}`;
      break;
    case 'dce_rpc':
      message = `DCE/RPC ${text(r.endpoint) ?? '?'}::${text(r.operation) ?? '?'} ${route}`;
      break;
    case 'weird':
      type = ['info'];
      message = `Zeek weird ${text(r.name) ?? '?'}${text(r.addl) ? ` (${text(r.addl)})` : ''} ${route}`;
      break;
    case 'notice': {
      const note = text(r.note) ?? 'notice';
      kind = 'alert';
      // A notice is Zeek's own detection; Zeek gives it no severity, so it ranks as low until triaged.
      severity = fromLevelName('low');
      category = ['network', 'intrusion_detection'];
      type = ['info'];
      rule = compact<NonNullable<NormalizedEvent['rule']>>({ id: note, name: note, description: text(r.msg), ruleset: 'zeek-notice' });
      message = `${note}: ${text(r.msg) ?? ''}`.trim();
      break;
    }
    case 'analyzer':
    case 'dpd':
      type = ['error'];
      message = `${text(r.analyzer_name) ?? text(r.analyzer) ?? 'analyzer'} ${text(r.cause) ?? 'failure'}: ${text(r.failure_reason) ?? '?'} ${route}`;
      break;
    case 'packet_filter':
      category = ['configuration'];
      type = ['info'];
      message = `Packet filter ${JSON.stringify(text(r.filter) ?? '')} on ${text(r.node) ?? '?'} ${r.success === true ? 'installed' : r.success === false ? 'failed' : ''}`.trim();
      break;
    default:
      message = `Zeek ${path} ${route}`;
  }

  const event = compact<NormalizedEvent>({
    '@timestamp': ts,
    message,
    event: {
      kind,
      category,
      type,
      module: 'zeek',
      dataset: `zeek.${path}`,
      outcome,
      original_time: String(rawTs),
      risk_score: kind === 'alert' ? severity.risk : undefined,
    },
    observer: { vendor: 'Zeek', product: 'Zeek', hostname: sensor },
    source: { ip: srcIp, port: srcPort },
    destination: { ip: dstIp, port: dstPort },
    network: {
      transport: proto,
      protocol: path === 'conn' ? service?.toLowerCase() : PROTOCOLS[path],
      bytes: path === 'conn' ? sum(r.orig_bytes, r.resp_bytes) : undefined,
      packets: path === 'conn' ? sum(r.orig_pkts, r.resp_pkts) : undefined,
    },
    user,
    dns,
    url,
    http,
    tls,
    file,
    rule,
    related: {
      ip: uniq([srcIp, dstIp, ...texts(r.tx_hosts), ...texts(r.rx_hosts)]),
      user: relatedUsers,
      hash: file?.hash ? uniq([file.hash.md5, file.hash.sha1, file.hash.sha256]) : undefined,
      hosts: uniq([url?.domain, tls?.server_name, dns?.question?.name]),
    },
    quell: {
      format,
      risk: severity.risk,
      level: severity.level,
      uid: uid ?? fuid,
    },
  });
  return { kind: 'event', event, identity: identity(r, path, uid, fuid, sensor) };
}

const isTime = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && toUtc(v) !== null);

/**
 * Zeek logs written as JSON, one object per line: Zeek's own `id.orig_h` keys, the `id_orig_h` flattening, and the
 * OTRF/APT29 combined file whose `@stream` names the log and `@system` the sensor.
 */
export const zeekLog: FormatDef = {
  name: 'zeek',
  label: 'Zeek logs (JSON)',
  framing: 'json',
  detect(record) {
    if (!isTime(record.ts)) return 0;
    if (typeof record['@stream'] === 'string' || typeof record._path === 'string') return 0.95;
    const uid = record.uid;
    if (typeof uid === 'string' && /^C[0-9A-Za-z]{8,}$/.test(uid) && field(record, 'id.orig_h') !== undefined) return 0.9;
    if (typeof record.fuid === 'string' && /^F[0-9A-Za-z]{8,}$/.test(record.fuid)) return 0.8;
    return 0;
  },
  normalize: (record, ctx) => normalizeZeek(record, ctx, 'zeek'),
};

/** Zeek ASCII TSV logs, framed by their `#fields` header (framing adds `_path` from `#path`). */
export const zeekTsv: FormatDef = {
  name: 'zeek-tsv',
  label: 'Zeek logs (TSV)',
  framing: 'zeek-tsv',
  detect: (record) => (typeof record._path === 'string' && record._path !== '' ? 0.95 : 0),
  normalize: (record, ctx) => normalizeZeek(record, ctx, 'zeek-tsv'),
};
