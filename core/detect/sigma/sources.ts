// Where a Sigma rule meets a record: per source format, which Sigma log source a record belongs to (routing) and
// how a Sigma field name is read from the record as the source wrote it (the field resolver).
import type { Logsource } from './rule.js';

export type Raw = Record<string, unknown>;

/** One record to match: its format (Quell's importer name), its parsed original, and what else may help. */
export interface RecordView {
  format: string;
  raw: Raw;
  /** The evidence file it came from (Zeek logs without `_path` are named by their file). */
  file?: string | undefined;
  /** The normalised document (ECS), when the caller has it: read for dotted ECS field names the original lacks. */
  doc?: (() => Raw | undefined) | undefined;
}

/** What routing learns from a record; the same `key` always means the same facts and the same field mapping. */
export interface Route {
  key: string;
  products: readonly string[];
  categories: readonly string[];
  services: readonly string[];
  /** For people: `Sysmon 1 (Microsoft-Windows-Sysmon/Operational)`, `zeek kerberos`. */
  label: string;
}

/** How one Sigma field is read from records of one route under one mapping. */
export interface FieldAccess {
  get(view: RecordView): unknown;
  /** Where the value sits in the original record (dotted; `[i]` for list items), for highlighting. */
  where(view: RecordView): string[];
}

export interface SourceAdapter {
  /** Quell format names this adapter reads. */
  formats: readonly string[];
  /** The routing key of a record, cheaply (a few property reads); null when the record routes nowhere. */
  routeKey(view: RecordView): string | null;
  /** The full routing facts of a key, from the first record that had it. */
  route(view: RecordView, key: string): Route;
  /**
   * Which field mapping a rule with this log source uses on this route: a rule written against a generic Sigma
   * category (process_creation) reads Security 4688 through the Sysmon names it was written with, while a rule for
   * the Security log itself reads its native names.
   */
  mapping(route: Route, logsource: Logsource): string;
  field(name: string, route: Route, mapping: string): FieldAccess;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared readers
// ---------------------------------------------------------------------------------------------------------------

const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const lower = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' ? String(v) : '');

/**
 * A value at a dotted path however the document spells it: flat `"a.b"` keys, nested objects, or both (longest key
 * first at each level). Lists are searched element by element and their hits gathered.
 */
export function dotted(doc: unknown, path: string): { value: unknown; path: string } | undefined {
  return lookup(doc, path.split('.'), 0, '');
}

function lookup(node: unknown, parts: string[], from: number, prefix: string): { value: unknown; path: string } | undefined {
  if (Array.isArray(node)) {
    const hits: { value: unknown; path: string }[] = [];
    node.forEach((item, i) => {
      const hit = lookup(item, parts, from, `${prefix}[${i}]`);
      if (hit) hits.push(hit);
    });
    if (!hits.length) return undefined;
    return { value: hits.length === 1 ? hits[0]!.value : hits.flatMap((h) => (Array.isArray(h.value) ? h.value : [h.value])), path: hits[0]!.path };
  }
  if (!isObj(node)) return undefined;
  for (let end = parts.length; end > from; end--) {
    const key = parts.slice(from, end).join('.');
    if (!Object.hasOwn(node, key)) continue;
    const here = prefix ? `${prefix}.${key}` : key;
    const value = node[key];
    if (end === parts.length) return { value, path: here };
    const found = lookup(value, parts, end, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

const direct = (name: string): FieldAccess => ({
  get: (v) => v.raw[name],
  where: (v) => (v.raw[name] !== undefined ? [name] : []),
});

const viaDotted = (name: string, rootOf: (v: RecordView) => unknown = (v) => v.raw, prefix = ''): FieldAccess => ({
  get: (v) => dotted(rootOf(v), name)?.value,
  where: (v) => {
    const hit = dotted(rootOf(v), name);
    return hit ? [prefix + hit.path] : [];
  },
});

const firstOf = (...accesses: FieldAccess[]): FieldAccess => ({
  get: (v) => {
    for (const a of accesses) {
      const x = a.get(v);
      if (x !== undefined) return x;
    }
    return undefined;
  },
  where: (v) => {
    for (const a of accesses) if (a.get(v) !== undefined) return a.where(v);
    return [];
  },
});

const ABSENT: FieldAccess = { get: () => undefined, where: () => [] };

/**
 * A dotted name the original does not have may be an ECS name: read it from the normalised document, whose fields
 * every format fills (`process.command_line`, `source.ip` …). Paths into it are prefixed `@normalised.`.
 */
export const NORMALISED_PREFIX = '@normalised.';
export function withNormalised(access: FieldAccess, name: string): FieldAccess {
  if (!name.includes('.')) return access;
  return firstOf(access, viaDotted(name, (v) => v.doc?.(), NORMALISED_PREFIX));
}

// ---------------------------------------------------------------------------------------------------------------
// Windows: the NXLog/OTRF flattening, Sentinel SecurityEvent/Event rows, and evtx_dump JSON
// ---------------------------------------------------------------------------------------------------------------

const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';

/** Windows event log channels by Sigma `service` (the SigmaHQ Windows logsource mapping). */
export const WINDOWS_SERVICES: Record<string, string[]> = {
  security: ['security'],
  system: ['system'],
  application: ['application'],
  sysmon: [SYSMON_CHANNEL],
  powershell: ['microsoft-windows-powershell/operational'],
  'powershell-classic': ['windows powershell'],
  taskscheduler: ['microsoft-windows-taskscheduler/operational'],
  wmi: ['microsoft-windows-wmi-activity/operational'],
  'dns-server': ['dns server'],
  'dns-server-audit': ['microsoft-windows-dns-server/audit'],
  'dns-client': ['microsoft-windows-dns-client/operational'],
  'driver-framework': ['microsoft-windows-driverframeworks-usermode/operational'],
  ntlm: ['microsoft-windows-ntlm/operational'],
  dhcp: ['microsoft-windows-dhcp-server/operational'],
  'msexchange-management': ['msexchange management'],
  applocker: [
    'microsoft-windows-applocker/msi and script',
    'microsoft-windows-applocker/exe and dll',
    'microsoft-windows-applocker/packaged app-deployment',
    'microsoft-windows-applocker/packaged app-execution',
  ],
  'printservice-admin': ['microsoft-windows-printservice/admin'],
  'printservice-operational': ['microsoft-windows-printservice/operational'],
  'codeintegrity-operational': ['microsoft-windows-codeintegrity/operational'],
  'smbclient-security': ['microsoft-windows-smbclient/security'],
  'firewall-as': ['microsoft-windows-windows firewall with advanced security/firewall'],
  'bits-client': ['microsoft-windows-bits-client/operational'],
  windefend: ['microsoft-windows-windows defender/operational'],
  'terminalservices-localsessionmanager': ['microsoft-windows-terminalservices-localsessionmanager/operational'],
  'microsoft-servicebus-client': ['microsoft-servicebus-client'],
  ldap_debug: ['microsoft-windows-ldap-client/debug'],
  'security-mitigations': ['microsoft-windows-security-mitigations/kernel mode', 'microsoft-windows-security-mitigations/user mode'],
  'diagnosis-scripted': ['microsoft-windows-diagnosis-scripted/operational'],
  'shell-core': ['microsoft-windows-shell-core/operational'],
  openssh: ['openssh/operational'],
  bitlocker: ['microsoft-windows-bitlocker/bitlocker management'],
  vhdmp: ['microsoft-windows-vhdmp/operational'],
  'appxdeployment-server': ['microsoft-windows-appxdeploymentserver/operational'],
  'lsa-server': ['microsoft-windows-lsa/operational'],
  'appxpackaging-om': ['microsoft-windows-appxpackaging/operational'],
  'capi2': ['microsoft-windows-capi2/operational'],
  'certificateservicesclient-lifecycle-system': ['microsoft-windows-certificateservicesclient-lifecycle-system/operational'],
  'kernel-shimengine': ['microsoft-windows-kernel-shimengine/operational'],
  'hyper-v-worker': ['microsoft-windows-hyper-v-worker-admin'],
};
const SERVICE_OF_CHANNEL = new Map<string, string[]>();
for (const [service, channels] of Object.entries(WINDOWS_SERVICES)) {
  for (const c of channels) SERVICE_OF_CHANNEL.set(c, [...(SERVICE_OF_CHANNEL.get(c) ?? []), service]);
}

/** Sysmon event ids by generic Sigma category (the SigmaHQ Sysmon mapping). */
const SYSMON_CATEGORIES: Record<string, string[]> = {
  '1': ['process_creation'],
  '2': ['file_change'],
  '3': ['network_connection'],
  '4': ['sysmon_status'],
  '5': ['process_termination'],
  '6': ['driver_load'],
  '7': ['image_load'],
  '8': ['create_remote_thread'],
  '9': ['raw_access_thread'],
  '10': ['process_access'],
  '11': ['file_event'],
  '12': ['registry_event', 'registry_add', 'registry_delete'],
  '13': ['registry_event', 'registry_set'],
  '14': ['registry_event', 'registry_rename'],
  '15': ['create_stream_hash'],
  '16': ['sysmon_status'],
  '17': ['pipe_created'],
  '18': ['pipe_created'],
  '19': ['wmi_event'],
  '20': ['wmi_event'],
  '21': ['wmi_event'],
  '22': ['dns_query'],
  '23': ['file_delete'],
  '24': ['clipboard_capture'],
  '25': ['process_tampering'],
  '26': ['file_delete'],
  '27': ['file_block_executable'],
  '28': ['file_block_shredding'],
  '29': ['file_executable_detected'],
  '255': ['sysmon_error'],
};

/** Other channels whose events stand for a generic category. */
const CHANNEL_CATEGORIES: Record<string, Record<string, string[]>> = {
  security: { '4688': ['process_creation'] },
  'microsoft-windows-powershell/operational': { '4103': ['ps_module'], '4104': ['ps_script'] },
  'windows powershell': { '400': ['ps_classic_start'], '600': ['ps_classic_provider_start'], '800': ['ps_classic_script'] },
};

/** Security 4688 read through the Sysmon process_creation names, as the SigmaHQ windows-audit mapping does. */
const INTEGRITY: Record<string, string> = {
  'S-1-16-0': 'Untrusted',
  'S-1-16-4096': 'Low',
  'S-1-16-8192': 'Medium',
  'S-1-16-8448': 'MediumPlus',
  'S-1-16-12288': 'High',
  'S-1-16-16384': 'System',
  'S-1-16-20480': 'Protected',
};

const hexPid = (v: unknown): unknown => {
  if (typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v.trim())) return parseInt(v.trim().slice(2), 16);
  return v;
};

interface WindowsShape {
  formats: readonly string[];
  eventId(raw: Raw): unknown;
  channel(raw: Raw): unknown;
  provider(raw: Raw): unknown;
  /** A field of the event as the shape writes it (event data first, then the System header). */
  data(name: string): FieldAccess;
  /** The header fields Sigma names after the System element (Provider_Name, Computer …), where the shape moves them. */
  system(name: string): FieldAccess | undefined;
}

function windowsAdapter(shape: WindowsShape): SourceAdapter {
  return {
    formats: shape.formats,
    // The key is the header as written (no lower-casing per record); route() normalises it once per key.
    routeKey(view) {
      const eid = shape.eventId(view.raw);
      if (eid === undefined || eid === null) return null;
      return `${String(shape.channel(view.raw) ?? '')}|${String(eid)}|${String(shape.provider(view.raw) ?? '')}`;
    },
    route(_view, rawKey) {
      const [channel, eid, provider] = rawKey.split('|').map((p) => p.trim().toLowerCase()) as [string, string, string];
      const key = `${channel}|${eid}|${provider}`;
      const sysmon = channel === SYSMON_CHANNEL || (!channel && provider === 'microsoft-windows-sysmon');
      const services = sysmon ? ['sysmon'] : (SERVICE_OF_CHANNEL.get(channel) ?? []);
      const categories = sysmon ? (SYSMON_CATEGORIES[eid] ?? []) : (CHANNEL_CATEGORIES[channel]?.[eid] ?? []);
      const label = sysmon ? `Sysmon ${eid}` : `${channel || provider || 'Windows'} ${eid}`;
      return { key, products: ['windows'], categories, services, label };
    },
    mapping(route, ls) {
      const [channel, eid] = route.key.split('|');
      return ls.category === 'process_creation' && channel === 'security' && eid === '4688' ? 'security-4688' : 'native';
    },
    field(name, _route, mapping) {
      const native = shape.system(name) ?? shape.data(name);
      if (mapping !== 'security-4688') return native;
      const d = (n: string) => shape.data(n);
      switch (name) {
        case 'Image':
          return d('NewProcessName');
        case 'ParentImage':
          return d('ParentProcessName');
        case 'ProcessId': {
          const a = d('NewProcessId');
          return { get: (v) => hexPid(a.get(v)), where: a.where };
        }
        case 'ParentProcessId': {
          const a = d('ProcessId');
          return { get: (v) => hexPid(a.get(v)), where: a.where };
        }
        case 'LogonId':
          return d('SubjectLogonId');
        case 'IntegrityLevel': {
          const a = d('MandatoryLabel');
          return { get: (v) => { const x = a.get(v); return typeof x === 'string' ? (INTEGRITY[x.toUpperCase()] ?? x) : x; }, where: a.where };
        }
        case 'User': {
          // Sysmon writes DOMAIN\name; 4688 splits the creator over SubjectDomainName and SubjectUserName.
          const user = d('SubjectUserName');
          const domain = d('SubjectDomainName');
          return {
            get: (v) => {
              const u = user.get(v);
              if (typeof u !== 'string') return u;
              const dom = domain.get(v);
              return typeof dom === 'string' && dom && dom !== '-' ? `${dom}\\${u}` : u;
            },
            where: (v) => [...domain.where(v), ...user.where(v)],
          };
        }
        default:
          return native;
      }
    },
  };
}

const NXLOG_SYSTEM: Record<string, FieldAccess> = {
  Provider_Name: firstOf(direct('SourceName'), direct('ProviderName'), direct('Provider_Name')),
  Computer: firstOf(direct('Hostname'), direct('Computer')),
  EventRecordID: firstOf(direct('RecordNumber'), direct('EventRecordID')),
  Provider_Guid: firstOf(direct('ProviderGuid'), direct('Provider_Guid')),
  Execution_ProcessID: firstOf(direct('ExecutionProcessID'), direct('Execution_ProcessID')),
  Execution_ThreadID: firstOf(direct('ThreadID'), direct('Execution_ThreadID')),
};

/** NXLog/Logstash/OTRF: the event data and header as top-level keys (`Hostname`, `SourceName`, `Channel`, `EventID`). */
export const windowsNxlogSource = windowsAdapter({
  formats: ['windows-nxlog'],
  eventId: (r) => r.EventID,
  channel: (r) => r.Channel,
  provider: (r) => r.SourceName ?? r.ProviderName ?? r.Provider_Name,
  data: direct,
  system: (name) => NXLOG_SYSTEM[name],
});

// Sentinel extracts event data into columns, sometimes with a type suffix (`ProcessId_string`), and keeps the rest in
// `EventData_dynamic` (an object, or JSON text of one).
const dynamicCache = new WeakMap<Raw, Raw | null>();
function sentinelDynamic(raw: Raw): Raw | null {
  let cached = dynamicCache.get(raw);
  if (cached !== undefined) return cached;
  const d = raw.EventData_dynamic;
  cached = null;
  if (isObj(d)) cached = d;
  else if (typeof d === 'string' && d.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(d);
      if (isObj(parsed)) cached = parsed;
    } catch {
      /* not JSON: nothing to read from it */
    }
  }
  dynamicCache.set(raw, cached);
  return cached;
}

const SENTINEL_SYSTEM: Record<string, FieldAccess> = {
  Provider_Name: firstOf(direct('EventSourceName'), direct('Source')),
  Channel: firstOf(direct('Channel'), direct('EventLog')),
};

export const windowsSentinelSource = windowsAdapter({
  formats: ['windows-sentinel'],
  eventId: (r) => r.EventID,
  channel: (r) => r.Channel ?? r.EventLog,
  provider: (r) => r.EventSourceName ?? r.Source,
  data: (name) => {
    const column = firstOf(direct(name), direct(`${name}_string`), direct(`${name}_dynamic`));
    return firstOf(column, {
      get: (v) => sentinelDynamic(v.raw)?.[name],
      where: (v) => (sentinelDynamic(v.raw)?.[name] !== undefined ? [`EventData_dynamic.${name}`] : []),
    });
  },
  system: (name) => SENTINEL_SYSTEM[name],
});

// evtx_dump: `Event.System` with `#attributes` and `#text`, and `Event.EventData` (or the one child of `UserData`).
const unwrap = (v: unknown): unknown => (isObj(v) && '#text' in v ? v['#text'] : v);
const event = (raw: Raw): Raw | undefined => (isObj(raw.Event) ? raw.Event : undefined);
const system = (raw: Raw): Raw | undefined => {
  const e = event(raw);
  return e && isObj(e.System) ? e.System : undefined;
};
function userDataChild(raw: Raw): [string, Raw] | undefined {
  const u = event(raw)?.UserData;
  if (!isObj(u)) return undefined;
  const entry = Object.entries(u).find(([k, v]) => k !== '#attributes' && isObj(v));
  return entry as [string, Raw] | undefined;
}

function evtxData(name: string): FieldAccess {
  return {
    get: (v) => {
      const e = event(v.raw);
      const data = e?.EventData;
      if (isObj(data) && name in data) return unwrap(data[name]);
      const child = userDataChild(v.raw);
      if (child && name in child[1]) return unwrap(child[1][name]);
      const sys = system(v.raw);
      if (sys && name in sys && !isObj(sys[name])) return sys[name];
      return sys && isObj(sys[name]) && '#text' in (sys[name] as Raw) ? unwrap(sys[name]) : undefined;
    },
    where: (v) => {
      const e = event(v.raw);
      if (isObj(e?.EventData) && name in e.EventData) return [`Event.EventData.${name}`];
      const child = userDataChild(v.raw);
      if (child && name in child[1]) return [`Event.UserData.${child[0]}.${name}`];
      const sys = system(v.raw);
      return sys && name in sys ? [`Event.System.${name}`] : [];
    },
  };
}

/** `Provider_Name` → `Event.System.Provider.#attributes.Name`: Sigma joins element and attribute with `_`. */
function evtxAttribute(element: string, attribute: string): FieldAccess {
  const read = (v: RecordView) => {
    const el = system(v.raw)?.[element];
    return isObj(el) && isObj(el['#attributes']) ? el['#attributes'][attribute] : undefined;
  };
  return { get: read, where: (v) => (read(v) !== undefined ? [`Event.System.${element}.#attributes.${attribute}`] : []) };
}

/** EventData names have no underscore as a rule; System attributes always do (Provider_Name, Execution_ProcessID). */
function evtxSystem(name: string): FieldAccess | undefined {
  const us = name.indexOf('_');
  return us > 0 ? firstOf(evtxData(name), evtxAttribute(name.slice(0, us), name.slice(us + 1))) : undefined;
}

export const windowsEvtxSource = windowsAdapter({
  formats: ['windows-evtx'],
  eventId: (r) => unwrap(system(r)?.EventID),
  channel: (r) => system(r)?.Channel,
  provider: (r) => {
    const p = system(r)?.Provider;
    return isObj(p) && isObj(p['#attributes']) ? p['#attributes'].Name : undefined;
  },
  data: evtxData,
  system: evtxSystem,
});

// ---------------------------------------------------------------------------------------------------------------
// Zeek (TSV and JSON) and Suricata EVE: product zeek with the log as service, and the generic network categories
// ---------------------------------------------------------------------------------------------------------------

/**
 * A Zeek field by its dotted name, whichever key style the exporter used: `id.orig_h` (Zeek's own JSON and the TSV
 * header), `id_orig_h` (Logstash/OTRF) or nested `{ id: { orig_h } }`.
 */
function zeekField(name: string): FieldAccess {
  const flat = name.replace(/\./g, '_');
  const find = (raw: Raw): { value: unknown; path: string } | undefined => {
    if (name in raw) return { value: raw[name], path: name };
    if (flat !== name && flat in raw) return { value: raw[flat], path: flat };
    return name.includes('.') ? dotted(raw, name) : undefined;
  };
  return { get: (v) => find(v.raw)?.value, where: (v) => { const h = find(v.raw); return h ? [h.path] : []; } };
}

const ZEEK_LOGS = /^([a-z][a-z0-9_]*)(?:\.[^/\\]*)?\.(?:log|json|ndjson|jsonl)(?:\.gz)?$/i;

function zeekPath(view: RecordView): string | null {
  const explicit = view.raw._path ?? view.raw['@stream'];
  if (typeof explicit === 'string' && explicit) return explicit.toLowerCase();
  const base = view.file?.split(/[\\/]/).pop();
  const fromName = base ? ZEEK_LOGS.exec(base)?.[1]?.toLowerCase() : undefined;
  if (fromName) return fromName;
  const dataset = view.doc?.()?.event;
  const ds = isObj(dataset) && typeof dataset.dataset === 'string' ? dataset.dataset : '';
  return ds.startsWith('zeek.') ? ds.slice(5) : null;
}

/** Generic Sigma network categories over Zeek names (SigmaHQ's Zeek mapping for dns and web logs). */
const ZEEK_TAXONOMY: Record<string, Record<string, string>> = {
  dns: {
    query: 'query',
    answer: 'answers',
    record_type: 'qtype_name',
    src_ip: 'id.orig_h',
    src_port: 'id.orig_p',
    dst_ip: 'id.resp_h',
    dst_port: 'id.resp_p',
    'c-ip': 'id.orig_h',
  },
  web: {
    'c-uri': 'uri',
    'c-uri-extension': 'uri',
    'c-uri-query': 'uri',
    'c-uri-stem': 'uri',
    'c-useragent': 'user_agent',
    'cs-method': 'method',
    'cs-host': 'host',
    'cs-referrer': 'referrer',
    'cs-version': 'version',
    'sc-status': 'status_code',
    'cs-bytes': 'request_body_len',
    'sc-bytes': 'response_body_len',
    'r-dns': 'host',
    'c-ip': 'id.orig_h',
    's-ip': 'id.resp_h',
    src_ip: 'id.orig_h',
    dst_ip: 'id.resp_h',
    dst_port: 'id.resp_p',
  },
};

const networkMapping = (route: Route, ls: Logsource, product: string): string => {
  if (ls.product === product || ls.service) return 'native';
  if (ls.category === 'dns' && route.categories.includes('dns')) return 'dns';
  if ((ls.category === 'proxy' || ls.category === 'webserver') && route.categories.includes('webserver')) return 'web';
  return 'native';
};

export const zeekSource: SourceAdapter = {
  formats: ['zeek', 'zeek-tsv'],
  routeKey: zeekPath,
  route(_view, key) {
    const categories = key === 'dns' ? ['dns'] : key === 'http' ? ['proxy', 'webserver'] : [];
    return { key, products: ['zeek'], categories, services: [key], label: `zeek ${key}` };
  },
  mapping: (route, ls) => networkMapping(route, ls, 'zeek'),
  field(name, _route, mapping) {
    const mapped = ZEEK_TAXONOMY[mapping]?.[name];
    return mapped ? zeekField(mapped) : zeekField(name);
  },
};

const SURICATA_TAXONOMY: Record<string, Record<string, string[]>> = {
  dns: {
    query: ['dns.rrname', 'dns.queries.rrname'],
    answer: ['dns.rdata', 'dns.answers.rdata'],
    record_type: ['dns.rrtype', 'dns.queries.rrtype'],
    src_ip: ['src_ip'],
    src_port: ['src_port'],
    dst_ip: ['dest_ip'],
    dst_port: ['dest_port'],
    'c-ip': ['src_ip'],
  },
  web: {
    'c-uri': ['http.url'],
    'c-uri-query': ['http.url'],
    'c-uri-stem': ['http.url'],
    'c-useragent': ['http.http_user_agent'],
    'cs-method': ['http.http_method'],
    'cs-host': ['http.hostname'],
    'cs-referrer': ['http.http_refer'],
    'cs-version': ['http.protocol'],
    'sc-status': ['http.status'],
    'sc-bytes': ['http.length'],
    'r-dns': ['http.hostname'],
    'c-ip': ['src_ip'],
    's-ip': ['dest_ip'],
    src_ip: ['src_ip'],
    dst_ip: ['dest_ip'],
    dst_port: ['dest_port'],
  },
};

export const suricataSource: SourceAdapter = {
  formats: ['suricata-eve'],
  routeKey: (view) => (typeof view.raw.event_type === 'string' ? view.raw.event_type.toLowerCase() : null),
  route(_view, key) {
    const categories = key === 'dns' ? ['dns'] : key === 'http' ? ['proxy', 'webserver'] : [];
    return { key, products: ['suricata'], categories, services: [key], label: `suricata ${key}` };
  },
  mapping: (route, ls) => networkMapping(route, ls, 'suricata'),
  field(name, _route, mapping) {
    const mapped = SURICATA_TAXONOMY[mapping]?.[name];
    return mapped ? firstOf(...mapped.map((m) => viaDotted(m))) : viaDotted(name);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// ECS documents (Elastic): product from host.os, category from event.category/type, Sigma names → ECS names
// ---------------------------------------------------------------------------------------------------------------

const ECS_OF_SIGMA: Record<string, string[]> = {
  Image: ['process.executable'],
  ParentImage: ['process.parent.executable'],
  CommandLine: ['process.command_line'],
  ParentCommandLine: ['process.parent.command_line'],
  OriginalFileName: ['process.pe.original_file_name'],
  Description: ['process.pe.description'],
  Product: ['process.pe.product'],
  Company: ['process.pe.company'],
  CurrentDirectory: ['process.working_directory'],
  ProcessId: ['process.pid'],
  ParentProcessId: ['process.parent.pid'],
  ProcessGuid: ['process.entity_id'],
  ParentProcessGuid: ['process.parent.entity_id'],
  User: ['user.name'],
  IntegrityLevel: ['winlog.event_data.IntegrityLevel'],
  TargetFilename: ['file.path'],
  ImageLoaded: ['file.path', 'dll.path'],
  TargetObject: ['registry.path'],
  Details: ['registry.data.strings'],
  DestinationIp: ['destination.ip'],
  DestinationPort: ['destination.port'],
  DestinationHostname: ['destination.domain'],
  SourceIp: ['source.ip'],
  SourcePort: ['source.port'],
  QueryName: ['dns.question.name'],
  Computer: ['host.name'],
  EventID: ['event.code'],
  md5: ['process.hash.md5', 'file.hash.md5'],
  sha1: ['process.hash.sha1', 'file.hash.sha1'],
  sha256: ['process.hash.sha256', 'file.hash.sha256'],
};

const ECS_CATEGORIES: [string, string | null, string][] = [
  ['process', 'start', 'process_creation'],
  ['process', 'end', 'process_termination'],
  ['file', 'creation', 'file_event'],
  ['file', 'deletion', 'file_delete'],
  ['file', 'change', 'file_change'],
  ['registry', null, 'registry_event'],
  ['registry', 'change', 'registry_set'],
  ['network', 'connection', 'network_connection'],
  ['network', 'start', 'network_connection'],
  ['library', null, 'image_load'],
  ['driver', null, 'driver_load'],
];

/** The ECS source document of an Elastic record: es_archiver envelopes and search hits unwrapped. */
function ecsDoc(raw: Raw): Raw {
  const value = raw.value;
  if (raw.type === 'doc' && isObj(value) && isObj(value.source)) return value.source;
  if (isObj(raw._source)) return raw._source;
  return raw;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(lower).filter(Boolean);

export const ecsSource: SourceAdapter = {
  formats: ['elastic'],
  routeKey(view) {
    const d = ecsDoc(view.raw);
    const os = lower(dotted(d, 'host.os.type')?.value ?? dotted(d, 'host.os.platform')?.value ?? dotted(d, 'host.os.family')?.value);
    const cats = list(dotted(d, 'event.category')?.value).sort().join(',');
    const types = list(dotted(d, 'event.type')?.value).sort().join(',');
    const dataset = lower(dotted(d, 'event.dataset')?.value);
    return `${os}|${cats}|${types}|${dataset}`;
  },
  route(_view, key) {
    const [os, cats, types, dataset] = key.split('|') as [string, string, string, string];
    const c = cats ? cats.split(',') : [];
    const t = types ? types.split(',') : [];
    const product = os === 'macos' || os === 'darwin' ? 'macos' : os;
    const categories = [...new Set(ECS_CATEGORIES.filter(([cat, type]) => c.includes(cat) && (type === null || t.includes(type))).map(([, , s]) => s))];
    if (c.includes('network') && dataset.includes('dns')) categories.push('dns_query');
    return { key, products: product ? [product] : [], categories, services: [], label: `ECS ${product || '?'} ${cats || '?'}/${types || '?'}` };
  },
  mapping: (_route, ls) => (ls.category ? 'sigma' : 'native'),
  field(name, _route, mapping) {
    const native = viaDotted(name, (v) => ecsDoc(v.raw));
    const ecs = mapping === 'sigma' ? ECS_OF_SIGMA[name] : undefined;
    return ecs ? firstOf(...ecs.map((e) => viaDotted(e, (v) => ecsDoc(v.raw))), native) : native;
  },
};

/** Entra ID (Azure AD) audit rows: Sigma's `product: azure, service: auditlogs`, fields as the rows name them. */
export const entraSource: SourceAdapter = {
  formats: ['entra-audit'],
  routeKey: () => 'auditlogs',
  route: (_view, key) => ({ key, products: ['azure'], categories: [], services: ['auditlogs'], label: 'Entra ID audit' }),
  mapping: () => 'native',
  field: (name) => viaDotted(name),
};

export const ADAPTERS: readonly SourceAdapter[] = [
  windowsNxlogSource,
  windowsSentinelSource,
  windowsEvtxSource,
  zeekSource,
  suricataSource,
  ecsSource,
  entraSource,
];

const BY_FORMAT = new Map(ADAPTERS.flatMap((a) => a.formats.map((f) => [f, a] as const)));

/** The adapter that reads records of a Quell format, or undefined when no Sigma log source covers the format. */
export const adapterFor = (format: string): SourceAdapter | undefined => BY_FORMAT.get(format);

/** Every scalar of a record with its dotted path, for keyword search. */
export function walkValues(node: unknown, visit: (path: string, value: string | number | boolean) => void, path = '', depth = 0): void {
  if (depth > 32) return;
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') visit(path, node);
  else if (Array.isArray(node)) node.forEach((item, i) => walkValues(item, visit, `${path}[${i}]`, depth + 1));
  else if (isObj(node)) for (const [k, v] of Object.entries(node)) walkValues(v, visit, path ? `${path}.${k}` : k, depth + 1);
}

export { ABSENT, isObj };
