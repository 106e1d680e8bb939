// Generates NDJSON alert files for the import figure by replicating the real fixture records (Suricata EVE alerts,
// Wazuh alerts.json, Elastic Security alert docs in es_archiver envelopes) with varied ids, hosts, IPs, users and
// times, so that every record is distinct. Each file is written as it is generated, a megabyte at a time: nothing
// holds a whole file. One source per file, because Quell sniffs one format per file.
//
//   node --import tsx bench/generate-alerts.ts OUT_DIR [--suricata N] [--wazuh N] [--elastic N]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seeded } from './figure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(here, '..', 'fixtures');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
export type Source = 'suricata' | 'wazuh' | 'elastic';

export interface GeneratedFile {
  source: Source;
  path: string;
  records: number;
  bytes: number;
}

/** The alerts of a case span 30 days from here; each file covers the whole span in time order, as sensors write. */
const START_MS = Date.parse('2025-03-01T00:00:00.000Z');
const SPAN_MS = 30 * 24 * 3600 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// Serialisers that reproduce each fixture's own layout byte for byte (checked against every template on load), so
// the generated lines are as long, and escaped the same way, as the real ones.

/** Suricata writes compact JSON and escapes `/` (`"url":"\/"`); '/' only ever occurs inside strings. */
const eveCompact = (v: Json): string => JSON.stringify(v).replace(/\//g, '\\/');
const compact = (v: Json): string => JSON.stringify(v);

/** Python's `json.dumps` default layout (`{"a": 1, "b": [1, 2]}`), which the Wazuh and Elastic fixtures use. */
function pythonStyle(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pythonStyle).join(', ')}]`;
  let out = '{';
  let first = true;
  for (const key in v) {
    out += `${first ? '' : ', '}${JSON.stringify(key)}: ${pythonStyle(v[key]!)}`;
    first = false;
  }
  return `${out}}`;
}

function layoutOf(line: string, what: string): (v: Json) => string {
  const parsed = JSON.parse(line) as Json;
  for (const layout of [compact, eveCompact, pythonStyle]) if (layout(parsed) === line) return layout;
  throw new Error(`generate-alerts: cannot reproduce the layout of ${what}; the fixture changed`);
}

function fixtureLines(relative: string): string[] {
  return fs.readFileSync(path.join(FIXTURES, relative), 'utf8').split('\n').filter((l) => l.trim());
}

// ---------------------------------------------------------------------------------------------------------------
// The case's population: hosts (each with a primary and two secondary addresses), users, outside addresses and
// domains. Picks are skewed (a few hosts and addresses are far busier than the rest), as in real alert streams.

interface Population {
  rand: () => number;
  host(): number;
  hostName(i: number): string;
  hostIp(i: number, nic?: number): string;
  user(): string;
  outsideIp(): string;
  domain(): string;
  hex(n: number): string;
}

function population(seed: number): Population {
  const rand = seeded(seed);
  const HOSTS = 5000;
  const OUTSIDE = 50_000;
  const DOMAINS = 20_000;
  const prefixes = ['ws', 'lt', 'srv', 'web', 'db', 'app', 'dc', 'vdi', 'build', 'mail'];
  const first = ['anna', 'ben', 'chen', 'dara', 'emil', 'fatima', 'goran', 'hana', 'ivan', 'jules', 'kofi', 'lena', 'mateo', 'nadia', 'omar', 'priya', 'quinn', 'rosa', 'sven', 'tariq', 'uma', 'viktor', 'wen', 'xavier', 'yara', 'zoe'];
  const last = ['okafor', 'lindqvist', 'tanaka', 'garcia', 'novak', 'haddad', 'kim', 'silva', 'mueller', 'rossi', 'dubois', 'kowalski', 'nguyen', 'o-brien', 'petrov', 'sato', 'ibrahim', 'jensen', 'moreau', 'costa'];
  const words = ['cdn', 'api', 'update', 'static', 'login', 'mail', 'files', 'track', 'img', 'sync', 'portal', 'edge', 'data', 'go', 'secure'];
  const tlds = ['com', 'net', 'org', 'io', 'info', 'biz', 'ru', 'cn', 'top', 'xyz'];
  // Zipf-like: index i is picked with weight ~ 1/(i+1)^0.8 over [0, n).
  const skewed = (n: number) => Math.min(n - 1, Math.floor(n * rand() ** 2.2));
  const hex = (n: number) => {
    let s = '';
    while (s.length < n) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  return {
    rand,
    hex,
    host: () => skewed(HOSTS),
    hostName: (i) => `${prefixes[i % prefixes.length]}-${String(i).padStart(4, '0')}`,
    hostIp: (i, nic = 0) => `10.${(nic * 40 + (i >> 8)) % 256}.${i & 255}.${10 + nic}`,
    user: () => `${first[Math.floor(rand() * first.length)]}.${last[skewed(last.length)]}${rand() < 0.3 ? Math.floor(rand() * 90 + 10) : ''}`,
    outsideIp: () => {
      const i = skewed(OUTSIDE);
      return `${[23, 45, 62, 77, 91, 104, 141, 172, 185, 203][i % 10]}.${(i >> 4) & 255}.${(i * 7) & 255}.${1 + (i % 254)}`;
    },
    domain: () => {
      const i = skewed(DOMAINS);
      return `${words[i % words.length]}${i >> 4}.${['acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay'][i % 6]}-${i % 97}.${tlds[(i >> 2) % tlds.length]}`;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Times: each template keeps its own time zone and fraction digits; a template's other times keep their distance
// to its main time.

const TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/;

interface TimeShape {
  /** Epoch milliseconds of the template's value. */
  ms: number;
  fraction: number;
  /** The zone as written ('Z', '+0000', '-04:00'…) and its offset in minutes. */
  zone: string;
  offsetMin: number;
}

function timeShape(value: string): TimeShape | null {
  const m = TIME.exec(value);
  if (!m) return null;
  const zone = m[8]!;
  const offsetMin = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '0').padEnd(3, '0').slice(0, 3)}Z`) - offsetMin * 60_000;
  return { ms, fraction: m[7]?.length ?? 0, zone, offsetMin };
}

/** Formats epoch `ms` plus `micros` (0-999) like the template value was. */
function formatTime(shape: TimeShape, ms: number, micros: number): string {
  const local = new Date(ms + shape.offsetMin * 60_000).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const digits = `${local.slice(20, 23)}${String(micros).padStart(3, '0')}`;
  return `${local.slice(0, 19)}${shape.fraction ? `.${digits.padEnd(shape.fraction, '0').slice(0, shape.fraction)}` : ''}${shape.zone}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Suricata EVE alerts: a new flow id per record, inside and outside addresses by the template's roles, a client
// port, the HTTP host or TLS SNI, and the flow start at its original distance before the alert.

interface Template {
  doc: Obj;
  layout: (v: Json) => string;
}

const isPrivate = (ip: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip);

function suricataRecords(pop: Population): (i: number, ms: number, micros: number) => string {
  const templates = fixtureLines('suricata/eve-alerts.ndjson')
    .map((line, n) => ({ doc: JSON.parse(line) as Obj, layout: layoutOf(line, `suricata/eve-alerts.ndjson line ${n + 1}`) }))
    .filter((t) => t.doc.event_type === 'alert');
  const shapes = templates.map((t) => {
    const at = timeShape(String(t.doc.timestamp))!;
    const flow = t.doc.flow as Obj | undefined;
    const start = flow && typeof flow.start === 'string' ? timeShape(flow.start) : null;
    return {
      at,
      start,
      srcInside: isPrivate(String(t.doc.src_ip)),
      destInside: isPrivate(String(t.doc.dest_ip)),
      originals: { src_ip: t.doc.src_ip, dest_ip: t.doc.dest_ip },
    };
  });
  return (i, ms, micros) => {
    const k = Math.floor(pop.rand() * templates.length);
    const t = templates[k]!;
    const s = shapes[k]!;
    const doc = t.doc;
    const client = pop.host();
    doc.timestamp = formatTime(s.at, ms, micros);
    // Unique per record (under 2^53): the sequence number in the high digits, noise below.
    doc.flow_id = (i + 1) * 1_000_000_000 + Math.floor(pop.rand() * 1_000_000_000);
    doc.src_ip = s.srcInside ? pop.hostIp(client) : pop.outsideIp();
    doc.dest_ip = s.destInside ? pop.hostIp(s.srcInside ? pop.host() : client) : pop.outsideIp();
    if (typeof doc.src_port === 'number') doc.src_port = 1024 + Math.floor(pop.rand() * 64_000);
    const http = doc.http as Obj | undefined;
    if (http && typeof http.hostname === 'string') http.hostname = pop.domain();
    const tls = doc.tls as Obj | undefined;
    if (tls && typeof tls.sni === 'string') tls.sni = pop.domain();
    const flow = doc.flow as Obj | undefined;
    if (flow && s.start) flow.start = formatTime(s.start, ms - (s.at.ms - s.start.ms), micros);
    return t.layout(doc);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Wazuh: sshd brute force against a varied agent, from varied outside addresses, trying varied user names; the
// alert id is `<epoch>.<byte offset in alerts.json>` as the manager writes it, and the log lines are rebuilt.

function wazuhRecords(pop: Population): (i: number, ms: number, micros: number) => string {
  const line = fixtureLines('wazuh/alerts-json-sample.ndjson')[0]!;
  const t: Template = { doc: JSON.parse(line) as Obj, layout: layoutOf(line, 'wazuh/alerts-json-sample.ndjson') };
  const shape = timeShape(String(t.doc.timestamp))!;
  const doc = t.doc;
  const agent = doc.agent as Obj;
  const predecoder = doc.predecoder as Obj;
  const data = doc.data as Obj;
  const rule = doc.rule as Obj;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const syslogTime = (ms: number) => {
    const d = new Date(ms);
    return `${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
  };
  let offset = 1_549_653;
  return (_i, ms, micros) => {
    const host = pop.host();
    const short = pop.hostName(host);
    const ip = pop.outsideIp();
    const user = pop.rand() < 0.5 ? pop.user() : ['admin', 'oracle', 'test', 'ubuntu', 'postgres', 'git', 'paco', 'support'][Math.floor(pop.rand() * 8)]!;
    const pid = 1000 + Math.floor(pop.rand() * 60_000);
    const port = 30_000 + Math.floor(pop.rand() * 30_000);
    const line = `${short} sshd[${pid}]: Invalid user ${user} from ${ip} port ${port}`;
    doc.timestamp = formatTime(shape, ms, micros);
    offset += 1200 + Math.floor(pop.rand() * 800);
    doc.id = `${Math.floor(ms / 1000)}.${offset}`;
    agent.id = String(1 + host).padStart(3, '0');
    agent.name = `${short}.corp.example`;
    rule.firedtimes = 1 + Math.floor(pop.rand() * 40);
    const previous: string[] = [];
    for (let n = 1; n <= 7; n++) {
      previous.push(`${syslogTime(ms - n * 2300)} ${short} sshd[${pid - 2 * n}]: Invalid user ${user} from ${ip} port ${port - 2 * n}`);
    }
    doc.previous_output = previous.join('\n');
    doc.full_log = `${syslogTime(ms - 1000)} ${line}`;
    predecoder.timestamp = syslogTime(ms - 1000);
    predecoder.hostname = short;
    data.srcip = ip;
    data.srcport = String(port);
    data.srcuser = user;
    return t.layout(doc);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Elastic: the three es_archiver docs (8.1 indicator match, 8.8 endpoint, 7.16 legacy signal). Every string that
// names the template's host, addresses, user or ids is rewritten wherever it occurs (the reason text names the host
// too); the alert and source-event times move together.

type Vary = 'host' | 'ip0' | 'ip1' | 'ip2' | 'user' | 'alertId' | 'uuid' | 'docId';
const ELASTIC_VARY: Record<string, Vary>[] = [
  {
    'security-linux-1': 'host',
    '11.200.0.194': 'ip0',
    '30a75fe46d3dbdfab55982036f77a8d60e2d1112e96f277c3b8c22f9bb57817a': 'alertId',
    'ahEToH8BK09aFtXZFVMq': 'docId',
  },
  {
    'Host-fwarau82er': 'host',
    '10.249.37.72': 'ip0',
    '10.150.39.243': 'ip1',
    '10.186.17.170': 'ip2',
    user1: 'user',
    'eabbdefc23da981f2b74ab58b82622a97bb9878caa11bc914e2adfacc94780f1': 'alertId',
    'b28993d4-8b8a-4f0f-9f54-84a89bad66ae': 'uuid',
    'vT9cwocBh3b8EMpD8lsi': 'docId',
  },
  {
    'security-linux-1': 'host',
    '11.200.0.194': 'ip0',
    '0bb0c0d5488d757907f6be6e4c27ff698666948e2cf01d53e8fa43958b36c6a8': 'alertId',
    'P2yvt38BIyEvspK05HSe': 'docId',
  },
];
/** Keys holding the alert's own and its source event's times; rule metadata times (created_at…) stay. */
const ELASTIC_TIMES = new Set(['@timestamp', 'ingested', 'original_time', 'kibana.alert.original_time', 'signal.original_time', 'event.ingested', 'kibana.alert.original_event.ingested', 'signal.original_event.ingested']);

interface Slot {
  holder: Obj | Json[];
  key: string | number;
  original: string;
  /** A time slot: its shape; else the literals it contains, in order of first appearance. */
  time?: TimeShape;
  parts?: { split: string[]; vary: Vary[] };
}

function elasticRecords(pop: Population): (i: number, ms: number, micros: number) => string {
  const lines = fixtureLines('elastic/kibana-es-archive-alert-docs.ndjson');
  if (lines.length !== ELASTIC_VARY.length) throw new Error('generate-alerts: the Elastic fixture changed (expected 3 docs)');
  const compiled = lines.map((line, n) => {
    const t: Template = { doc: JSON.parse(line) as Obj, layout: layoutOf(line, `elastic/kibana-es-archive-alert-docs.ndjson line ${n + 1}`) };
    const source = ((t.doc.value as Obj).source as Obj);
    const base = timeShape(String(source['@timestamp']))!;
    const vary = ELASTIC_VARY[n]!;
    // Split on every literal at once, longest first, so that one never matches inside another.
    const literals = Object.keys(vary).sort((a, b) => b.length - a.length);
    const pattern = new RegExp(literals.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    const slots: Slot[] = [];
    const walk = (holder: Obj | Json[], key: string | number, value: Json) => {
      if (typeof value === 'string') {
        const shape = ELASTIC_TIMES.has(String(key)) ? timeShape(value) : null;
        if (shape) slots.push({ holder, key, original: value, time: shape });
        else if (literals.some((l) => value.includes(l))) {
          const split = value.split(pattern);
          const found = value.match(pattern)!.map((l) => vary[l]!);
          slots.push({ holder, key, original: value, parts: { split, vary: found } });
        }
      } else if (value !== null && typeof value === 'object') {
        if (Array.isArray(value)) value.forEach((v, i) => walk(value, i, v));
        else for (const k of Object.keys(value)) walk(value, k, value[k]!);
      }
    };
    walk(t.doc, 'root', t.doc);
    if (!slots.some((s) => s.parts?.vary.includes('alertId'))) throw new Error(`generate-alerts: Elastic doc ${n + 1} has no id to vary`);
    return { t, base, slots };
  });
  const values: Record<Vary, string> = { host: '', ip0: '', ip1: '', ip2: '', user: '', alertId: '', uuid: '', docId: '' };
  const ID = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return (_i, ms, micros) => {
    const c = compiled[Math.floor(pop.rand() * compiled.length)]!;
    const host = pop.host();
    values.host = pop.hostName(host);
    values.ip0 = pop.hostIp(host, 0);
    values.ip1 = pop.hostIp(host, 1);
    values.ip2 = pop.hostIp(host, 2);
    values.user = pop.user();
    values.alertId = pop.hex(64);
    const h = pop.hex(32);
    values.uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    values.docId = Array.from({ length: 20 }, () => ID[Math.floor(pop.rand() * 64)]).join('');
    for (const s of c.slots) {
      let v: string;
      if (s.time) v = formatTime(s.time, ms + (s.time.ms - c.base.ms), micros);
      else {
        const { split, vary } = s.parts!;
        v = split[0]!;
        for (let k = 0; k < vary.length; k++) v += values[vary[k]!] + split[k + 1]!;
      }
      (s.holder as Record<string | number, Json>)[s.key] = v;
    }
    return c.t.layout(c.t.doc);
  };
}

// ---------------------------------------------------------------------------------------------------------------

const MAKERS: Record<Source, (pop: Population) => (i: number, ms: number, micros: number) => string> = {
  suricata: suricataRecords,
  wazuh: wazuhRecords,
  elastic: elasticRecords,
};

/**
 * Writes `count` records of one source to `file`, spread evenly over the case's 30 days in time order (with
 * jitter), flushing every megabyte. Seeded: the same arguments give the same bytes.
 */
export function generateFile(source: Source, count: number, file: string, options: { seed?: number; onProgress?: (written: number) => void } = {}): GeneratedFile {
  const pop = population((options.seed ?? 2291) + source.length * 7919);
  const make = MAKERS[source](pop);
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  try {
    let chunk = '';
    const step = SPAN_MS / Math.max(1, count);
    for (let i = 0; i < count; i++) {
      const ms = START_MS + Math.floor(i * step + pop.rand() * step * 0.9);
      chunk += `${make(i, ms, Math.floor(pop.rand() * 1000))}\n`;
      if (chunk.length >= 1 << 20) {
        bytes += fs.writeSync(fd, chunk);
        chunk = '';
        options.onProgress?.(i + 1);
      }
    }
    if (chunk) bytes += fs.writeSync(fd, chunk);
    options.onProgress?.(count);
  } finally {
    fs.closeSync(fd);
  }
  return { source, path: file, records: count, bytes };
}

/** The import figure's mix: 60 % Suricata, 20 % Wazuh, 20 % Elastic, one file each. */
export function alertMix(total: number): Record<Source, number> {
  const wazuh = Math.round(total * 0.2);
  const elastic = Math.round(total * 0.2);
  return { suricata: total - wazuh - elastic, wazuh, elastic };
}

export function generateAlertFiles(dir: string, counts: Record<Source, number>, onProgress?: (source: Source, written: number) => void): GeneratedFile[] {
  return (Object.keys(counts) as Source[])
    .filter((s) => counts[s] > 0)
    .map((source) =>
      generateFile(source, counts[source], path.join(dir, `${source}-${counts[source]}.ndjson`), {
        ...(onProgress ? { onProgress: (n: number) => onProgress(source, n) } : {}),
      }),
    );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [out, ...rest] = process.argv.slice(2);
  if (!out || out.startsWith('-')) {
    console.error('usage: node --import tsx bench/generate-alerts.ts OUT_DIR [--total N | --suricata N --wazuh N --elastic N]');
    process.exit(2);
  }
  const opt = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i === -1 ? undefined : Number(rest[i + 1]);
  };
  const mix = alertMix(opt('total') ?? 50_000);
  const counts = { suricata: opt('suricata') ?? mix.suricata, wazuh: opt('wazuh') ?? mix.wazuh, elastic: opt('elastic') ?? mix.elastic };
  fs.mkdirSync(out, { recursive: true });
  const started = performance.now();
  const files = generateAlertFiles(out, counts, (s, n) => process.stderr.write(`\r${s}: ${n} records   `));
  process.stderr.write('\r\x1b[K');
  for (const f of files) console.log(`${f.path}\t${f.records} records\t${(f.bytes / 2 ** 20).toFixed(1)} MiB`);
  console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
