// The engine: rules compiled once, records routed by format and log source to the few rules that can apply, each
// field read (and lower-cased) at most once per record, and an explanation of what matched when a rule fires.
import type { Condition } from './condition.js';
import { isAbsent, RuleError, type Candidates, type FieldReader, type FieldTest } from './fields.js';
import { compileRule, type CompiledRule, type Logsource } from './rule.js';
import {
  adapterFor,
  ADAPTERS,
  walkValues,
  WINDOWS_SERVICES,
  withNormalised,
  type FieldAccess,
  type RecordView,
  type Route,
  type SourceAdapter,
} from './sources.js';

export interface RuleSource {
  /** Where the rule came from, relative to the rules folder (shown with rejections and stored with detections). */
  file: string;
  text: string;
}

export interface Rejection {
  file: string;
  reason: string;
  /** When the rule got far enough to say who it is. */
  id?: string;
  title?: string;
}

/** One field (or keyword) of the record that made a rule fire, with where it is and which rule values it met. */
export interface MatchedField {
  /** The search identifier it belongs to (`selection_img`). */
  selection: string;
  /** The Sigma field name as the rule writes it; empty for a keyword found in any value. */
  field: string;
  modifiers: string[];
  /**
   * Where the value is in the original record: dotted paths as the record spells them (`CommandLine`,
   * `Event.EventData.CommandLine`, `id_orig_h`, `[3]` for list items). A path starting `@normalised.` is in the
   * normalised document instead. Empty when the test matched the field's absence (`null`, `exists: false`).
   */
  paths: string[];
  /** The record's value that matched (null when the field is absent). */
  value: string | number | boolean | null;
  /** The rule values it met, as the rule writes them. */
  patterns: string[];
}

export interface Hit {
  rule: CompiledRule;
  /** The field mapping the rule was read through (`native`, `security-4688` …). */
  mapping: string;
  route: Route;
}

interface Entry {
  rule: CompiledRule;
  mapping: MappingState;
  /** Per-record memo of the rule's search identifiers (0 unknown, 1 false, 2 true), reused record after record. */
  memo: Int8Array;
}

/** Field readers of one mapping on one route, with per-record caches stamped by record generation. */
interface MappingState {
  name: string;
  access: (FieldAccess | undefined)[];
  stamp: Int32Array;
  values: unknown[];
  candStamp: Int32Array;
  /** Per slot, candidate buffers reused record after record (no allocation but the lower-cased text). */
  cands: (Buffers | undefined)[];
  /** The fast-path reader of this mapping, made once. */
  reader: FieldReader;
}

interface Buffers {
  raw: unknown[];
  text: string[];
  lower: string[];
}

interface Bucket {
  route: Route;
  entries: Entry[];
}

const EMPTY_CANDIDATES: Candidates = { raw: [], text: [], lower: [] };

/** A value's scalars into reused buffers: one for a scalar, each item (flattened) for a list, none otherwise. */
function fillCandidates(value: unknown, b: Buffers): void {
  if (typeof value === 'string') {
    b.raw.push(value);
    b.text.push(value);
    b.lower.push(value.toLowerCase());
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    const t = String(value);
    b.raw.push(value);
    b.text.push(t);
    b.lower.push(t);
  } else if (Array.isArray(value)) {
    for (const item of value) fillCandidates(item, b);
  }
}

function candidatesOf(value: unknown, paths?: string[]): Candidates {
  if (typeof value === 'string') return { raw: [value], text: [value], lower: [value.toLowerCase()], ...(paths ? { paths } : {}) };
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    const t = String(value);
    return { raw: [value], text: [t], lower: [t.toLowerCase()], ...(paths ? { paths } : {}) };
  }
  if (!Array.isArray(value)) return EMPTY_CANDIDATES;
  const raw: unknown[] = [];
  const text: string[] = [];
  const base = paths?.[0];
  const where: string[] = [];
  const add = (v: unknown, at: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => add(x, `${at}[${i}]`));
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
      raw.push(v);
      text.push(String(v));
      where.push(at);
    }
  };
  value.forEach((v, i) => add(v, base !== undefined ? `${base}[${i}]` : `[${i}]`));
  return { raw, text, lower: text.map((t) => t.toLowerCase()), ...(paths ? { paths: where } : {}) };
}

/** Rules compiled once; `match` is safe to call for millions of records. Not for concurrent use (one per thread). */
export class SigmaEngine {
  readonly rules: CompiledRule[] = [];
  readonly rejected: Rejection[] = [];
  private readonly slotNames: string[] = [];
  private readonly slotIndex = new Map<string, number>();
  private readonly buckets = new Map<SourceAdapter, Map<string, Bucket>>();
  private gen = 0;
  private view: RecordView | undefined;
  private keywordStamp = -1;
  private keywordCands: Candidates = EMPTY_CANDIDATES;

  constructor(sources: readonly RuleSource[]) {
    const slotOf = (field: string) => {
      let slot = this.slotIndex.get(field);
      if (slot === undefined) {
        slot = this.slotNames.length;
        this.slotNames.push(field);
        this.slotIndex.set(field, slot);
      }
      return slot;
    };
    const byId = new Map<string, string>();
    for (const source of sources) {
      try {
        const rule = compileRule(source.text, source.file, slotOf);
        const earlier = byId.get(rule.info.id);
        if (earlier !== undefined) {
          this.rejected.push({ file: source.file, reason: `rule id ${rule.info.id} is already used by ${earlier}`, id: rule.info.id, title: rule.info.title });
          continue;
        }
        byId.set(rule.info.id, source.file);
        this.rules.push(rule);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        this.rejected.push({ file: source.file, reason: err.message, ...identify(source.text) });
      }
    }
  }

  /** Quell formats that some loaded rule can apply to; records of other formats need not even be read. */
  formats(): string[] {
    return ADAPTERS.filter((a) => this.rules.some((r) => covers(a, r.info.logsource))).flatMap((a) => [...a.formats]);
  }

  /** Quell formats whose records can reach this rule (empty: the rule loads, but nothing Quell reads carries its log source). */
  formatsFor(rule: CompiledRule): string[] {
    return ADAPTERS.filter((a) => covers(a, rule.info.logsource)).flatMap((a) => [...a.formats]);
  }

  /** The rules that match one record, in load order. */
  match(view: RecordView): Hit[] {
    const adapter = adapterFor(view.format);
    if (!adapter) return [];
    const key = adapter.routeKey(view);
    if (key === null) return [];
    let byKey = this.buckets.get(adapter);
    if (!byKey) this.buckets.set(adapter, (byKey = new Map()));
    let bucket = byKey.get(key);
    if (!bucket) byKey.set(key, (bucket = this.bucket(adapter, view, key)));
    if (!bucket.entries.length) return [];
    this.begin(view);
    let hits: Hit[] | undefined;
    for (const entry of bucket.entries) {
      entry.memo.fill(0);
      if (holds(entry.rule.condition, entry.rule, entry.mapping.reader, entry.memo)) {
        (hits ??= []).push({ rule: entry.rule, mapping: entry.mapping.name, route: bucket.route });
      }
    }
    return hits ?? [];
  }

  /** What made a rule fire on a record: the fields (and keywords) of the selections that satisfied its condition. */
  explain(view: RecordView, hit: Hit): MatchedField[] {
    const adapter = adapterFor(view.format)!;
    const key = adapter.routeKey(view);
    const bucket = key === null ? undefined : this.buckets.get(adapter)?.get(key);
    const entry = bucket?.entries.find((e) => e.rule === hit.rule);
    if (!entry) return [];
    this.begin(view);
    const out: MatchedField[] = [];
    explainCondition(hit.rule, this.explainReader(entry.mapping), out);
    return out;
  }

  private begin(view: RecordView): void {
    this.gen = (this.gen + 1) | 0;
    this.view = view;
  }

  private bucket(adapter: SourceAdapter, view: RecordView, key: string): Bucket {
    const route = adapter.route(view, key);
    const mappings = new Map<string, MappingState>();
    const entries: Entry[] = [];
    for (const rule of this.rules) {
      if (!routes(route, rule.info.logsource)) continue;
      const name = adapter.mapping(route, rule.info.logsource);
      let mapping = mappings.get(name);
      if (!mapping) {
        const n = this.slotNames.length;
        const state: Omit<MappingState, 'reader'> = {
          name,
          access: new Array<FieldAccess | undefined>(n),
          stamp: new Int32Array(n).fill(-1),
          values: new Array<unknown>(n),
          candStamp: new Int32Array(n).fill(-1),
          cands: new Array<Buffers | undefined>(n),
        };
        mapping = Object.assign(state, { reader: this.fastReader(state) });
        mappings.set(name, mapping);
      }
      // Resolve every field the rule reads once, now, rather than per record.
      for (const field of rule.fields) {
        const slot = this.slotIndex.get(field)!;
        mapping.access[slot] ??= withNormalised(adapter.field(field, route, name), field);
      }
      entries.push({ rule, mapping, memo: new Int8Array(rule.selections.length) });
    }
    return { route, entries };
  }

  private valueOf(m: Omit<MappingState, 'reader'>, slot: number): unknown {
    if (m.stamp[slot] === this.gen) return m.values[slot];
    const v = m.access[slot]?.get(this.view!);
    m.values[slot] = v;
    m.stamp[slot] = this.gen;
    return v;
  }

  /** The reader `match` uses: values and lower-cased text cached per record in reused buffers. */
  private fastReader(m: Omit<MappingState, 'reader'>): FieldReader {
    return {
      value: (slot) => this.valueOf(m, slot),
      scalars: (slot) => {
        if (slot === -1) return this.keywords(this.view!, this.gen);
        let b = m.cands[slot];
        if (b && m.candStamp[slot] === this.gen) return b;
        if (!b) m.cands[slot] = b = { raw: [], text: [], lower: [] };
        b.raw.length = b.text.length = b.lower.length = 0;
        fillCandidates(this.valueOf(m, slot), b);
        m.candStamp[slot] = this.gen;
        return b;
      },
    };
  }

  /** The reader `explain` uses: fresh candidates that also say where each value is. */
  private explainReader(m: MappingState): FieldReader {
    const view = this.view!;
    return {
      value: (slot) => this.valueOf(m, slot),
      scalars: (slot) => (slot === -1 ? this.keywords(view, this.gen) : candidatesOf(this.valueOf(m, slot), m.access[slot]?.where(view) ?? [])),
    };
  }

  /** Every scalar of the original record, for keyword search (always with paths: keyword rules are few). */
  private keywords(view: RecordView, gen: number): Candidates {
    if (this.keywordStamp === gen) return this.keywordCands;
    const raw: unknown[] = [];
    const text: string[] = [];
    const paths: string[] = [];
    walkValues(view.raw, (path, value) => {
      raw.push(value);
      text.push(String(value));
      paths.push(path);
    });
    this.keywordCands = { raw, text, lower: text.map((t) => t.toLowerCase()), paths };
    this.keywordStamp = gen;
    return this.keywordCands;
  }
}

/** Whether a record's route carries a rule's log source: every part the rule names must hold. */
export function routes(route: Route, ls: Logsource): boolean {
  return (
    (!ls.product || route.products.includes(ls.product)) &&
    (!ls.category || route.categories.includes(ls.category)) &&
    (!ls.service || route.services.includes(ls.service))
  );
}

const WINDOWS_CATEGORIES = new Set([
  'process_creation', 'file_change', 'network_connection', 'sysmon_status', 'process_termination', 'driver_load', 'image_load',
  'create_remote_thread', 'raw_access_thread', 'process_access', 'file_event', 'registry_event', 'registry_add', 'registry_delete',
  'registry_set', 'registry_rename', 'create_stream_hash', 'pipe_created', 'wmi_event', 'dns_query', 'file_delete',
  'clipboard_capture', 'process_tampering', 'file_block_executable', 'file_block_shredding', 'file_executable_detected',
  'sysmon_error', 'ps_module', 'ps_script', 'ps_classic_start', 'ps_classic_provider_start', 'ps_classic_script',
]);
const ZEEK_LOGS = new Set(
  ('analyzer capture_loss conn dce_rpc dhcp dnp3 dns dpd files ftp http intel irc kerberos known_certs known_hosts known_services ' +
    'modbus mysql notice ntlm ntp ocsp packet_filter pe radius rdp reporter sip smb_files smb_mapping smtp snmp socks software ssh ssl ' +
    'stats syslog traceroute tunnel weird x509').split(' '),
);
const SURICATA_EVENTS = new Set('alert anomaly dhcp dns drop fileinfo flow ftp http http2 ike krb5 mqtt netflow nfs rdp rfb sip smb smtp snmp ssh tftp tls'.split(' '));
const NETWORK_CATEGORIES = new Set(['dns', 'proxy', 'webserver']);
const ECS_CATEGORIES = new Set(['process_creation', 'process_termination', 'file_event', 'file_delete', 'file_change', 'registry_event', 'registry_set', 'network_connection', 'image_load', 'driver_load', 'dns_query']);

/** Whether records an adapter reads can ever carry a log source (for listings: which formats a rule can run on). */
function covers(adapter: SourceAdapter, ls: Logsource): boolean {
  const { product, category, service } = ls;
  switch (adapter.formats[0]) {
    case 'windows-nxlog':
    case 'windows-sentinel':
    case 'windows-evtx':
      return (!product || product === 'windows') && (!category || WINDOWS_CATEGORIES.has(category)) && (!service || service === 'sysmon' || service in WINDOWS_SERVICES_SET);
    case 'zeek':
      return (!product || product === 'zeek') && (!category || NETWORK_CATEGORIES.has(category)) && (!service || ZEEK_LOGS.has(service)) && Boolean(product || category);
    case 'suricata-eve':
      return (!product || product === 'suricata') && (!category || NETWORK_CATEGORIES.has(category)) && (!service || SURICATA_EVENTS.has(service)) && Boolean(product || category);
    case 'elastic':
      return (!product || ['windows', 'linux', 'macos'].includes(product)) && Boolean(category && ECS_CATEGORIES.has(category)) && !service;
    case 'entra-audit':
      return (!product || product === 'azure') && !category && service === 'auditlogs';
    default:
      return false;
  }
}

const WINDOWS_SERVICES_SET: Record<string, true> = Object.fromEntries(Object.keys(WINDOWS_SERVICES).map((s) => [s, true]));

/** The id and title of a rule that failed to compile, read loosely, so a rejection can still name it. */
function identify(text: string): { id?: string; title?: string } {
  const id = /^id:\s*['"]?([^'"\s#]+)/m.exec(text)?.[1];
  const title = /^title:\s*['"]?(.+?)['"]?\s*$/m.exec(text)?.[1];
  return { ...(id ? { id } : {}), ...(title ? { title } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation: `holds` is the fast path (short-circuits, no allocation); `explainCondition` evaluates again and
// records what matched along the branches that made the condition true (nothing under a `not`).
// ---------------------------------------------------------------------------------------------------------------

function selectionHolds(rule: CompiledRule, id: number, reader: FieldReader, memo: Int8Array): boolean {
  const known = memo[id]!;
  if (known) return known === 2;
  const sel = rule.selections[id]!;
  let ok = false;
  for (const alternative of sel.alternatives) {
    let all = true;
    for (const test of alternative) {
      if (!(test.kind === 'values' ? valuesHold(test, reader) : testField(test, reader, sel.name, null))) {
        all = false;
        break;
      }
    }
    if (all) {
      ok = true;
      break;
    }
  }
  memo[id] = ok ? 2 : 1;
  return ok;
}

function holds(c: Condition, rule: CompiledRule, reader: FieldReader, memo: Int8Array): boolean {
  switch (c.t) {
    case 'id':
      return selectionHolds(rule, c.id, reader, memo);
    case 'not':
      return !holds(c.x, rule, reader, memo);
    case 'and':
      for (const x of c.xs) if (!holds(x, rule, reader, memo)) return false;
      return true;
    case 'or':
      for (const x of c.xs) if (holds(x, rule, reader, memo)) return true;
      return false;
    case 'of': {
      let count = 0;
      for (const id of c.ids) if (selectionHolds(rule, id, reader, memo) && ++count >= c.need) return true;
      return false;
    }
  }
}

function explainCondition(rule: CompiledRule, reader: FieldReader, out: MatchedField[]): boolean {
  const memo = new Int8Array(rule.selections.length);
  const found = new Map<number, MatchedField[]>();
  const selection = (id: number): MatchedField[] | null => {
    if (found.has(id)) return found.get(id)!;
    const sel = rule.selections[id]!;
    const items: MatchedField[] = [];
    let ok = false;
    for (const alternative of sel.alternatives) {
      const mine: MatchedField[] = [];
      if (alternative.every((test) => testField(test, reader, sel.name, mine))) {
        ok = true;
        items.push(...mine);
      }
    }
    memo[id] = ok ? 2 : 1;
    if (!ok) return null;
    found.set(id, items);
    return items;
  };
  const walk = (node: Condition, sink: MatchedField[]): boolean => {
    switch (node.t) {
      case 'id': {
        const items = selection(node.id);
        if (items) sink.push(...items);
        return items !== null;
      }
      case 'not':
        return !holds(node.x, rule, reader, memo);
      case 'and': {
        const local: MatchedField[] = [];
        for (const x of node.xs) if (!walk(x, local)) return false;
        sink.push(...local);
        return true;
      }
      case 'or': {
        let any = false;
        for (const x of node.xs) {
          const local: MatchedField[] = [];
          if (walk(x, local)) {
            any = true;
            sink.push(...local);
          }
        }
        return any;
      }
      case 'of': {
        const local: MatchedField[] = [];
        let count = 0;
        for (const id of node.ids) {
          const items = selection(id);
          if (items) {
            count++;
            local.push(...items);
          }
        }
        if (count < node.need) return false;
        sink.push(...local);
        return true;
      }
    }
  };
  return walk(rule.condition, out);
}

/** The fast path of a `values` test: any (or all) alternatives met by any candidate, negated for `neq`. */
function valuesHold(test: Extract<FieldTest, { kind: 'values' }>, reader: FieldReader): boolean {
  const c = reader.scalars(test.slot);
  const n = c.raw.length;
  const alts = test.alts;
  let matched = test.all;
  for (let k = 0; k < alts.length; k++) {
    const alt = alts[k]!;
    let met = alt.absent && isAbsent(reader.value(test.slot));
    if (!met) {
      const ms = alt.matchers;
      outer: for (let i = 0; i < n; i++) {
        const raw = c.raw[i];
        const text = c.text[i]!;
        const low = c.lower[i]!;
        for (let j = 0; j < ms.length; j++) {
          if (ms[j]!(raw, text, low)) {
            met = true;
            break outer;
          }
        }
      }
    }
    if (test.all && !met) {
      matched = false;
      break;
    }
    if (!test.all && met) {
      matched = true;
      break;
    }
  }
  return test.negate ? !matched : matched;
}

const scalar = (v: unknown): string | number | boolean | null =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? Number(v) : null;

/** Where candidate `i` is: a single value may have been composed from several places (4688 User). */
const pathsOf = (c: Candidates, i: number): string[] => {
  if (!c.paths || i < 0) return [];
  if (c.raw.length === 1) return [...c.paths];
  const p = c.paths[i];
  return p === undefined ? [] : [p];
};

function testField(test: FieldTest, reader: FieldReader, selection: string, out: MatchedField[] | null): boolean {
  if (test.kind === 'exists') {
    const present = reader.value(test.slot) !== undefined;
    const ok = present === test.want;
    if (ok && out) {
      const c = reader.scalars(test.slot);
      out.push({ selection, field: test.field, modifiers: test.modifiers, paths: present ? pathsOf(c, 0) : [], value: present ? (scalar(c.raw[0]) ?? null) : null, patterns: [String(test.want)] });
    }
    return ok;
  }

  const c = reader.scalars(test.slot);
  const n = c.raw.length;

  if (test.kind === 'fieldref') {
    const mine = test.cased ? c.text : c.lower;
    const check = (ref: { slot: number }): number => {
      const other = reader.scalars(ref.slot);
      const theirs = test.cased ? other.text : other.lower;
      for (let i = 0; i < n; i++) {
        const a = mine[i]!;
        for (const t of theirs) {
          if (test.position === 'eq' ? a === t : test.position === 'contains' ? a.includes(t) : test.position === 'startswith' ? a.startsWith(t) : a.endsWith(t)) return i;
        }
      }
      return -1;
    };
    const hits = test.refs.map(check);
    const matched = test.all ? hits.every((i) => i !== -1) : hits.some((i) => i !== -1);
    const ok = test.negate ? !matched : matched;
    if (ok && out) {
      const i = test.negate ? 0 : hits.find((h) => h !== -1)!;
      out.push({ selection, field: test.field, modifiers: test.modifiers, paths: pathsOf(c, i), value: scalar(c.raw[i]) ?? null, patterns: test.refs.filter((_, k) => test.negate || hits[k] !== -1).map((r) => r.field) });
    }
    return ok;
  }

  // The candidate that met alternative k: -1 none, -2 the field's absence (a `null` value).
  const alts = test.alts;
  const metBy = (k: number): number => {
    const alt = alts[k]!;
    if (alt.absent && isAbsent(reader.value(test.slot))) return -2;
    const ms = alt.matchers;
    for (let i = 0; i < n; i++) {
      const raw = c.raw[i];
      const text = c.text[i]!;
      const low = c.lower[i]!;
      for (let j = 0; j < ms.length; j++) if (ms[j]!(raw, text, low)) return i;
    }
    return -1;
  };

  if (!out) {
    let matched: boolean;
    if (test.all) {
      matched = true;
      for (let k = 0; k < alts.length; k++) {
        if (metBy(k) === -1) {
          matched = false;
          break;
        }
      }
    } else {
      matched = false;
      for (let k = 0; k < alts.length; k++) {
        if (metBy(k) !== -1) {
          matched = true;
          break;
        }
      }
    }
    return test.negate ? !matched : matched;
  }

  const met = alts.map((_, k) => metBy(k));
  const matched = test.all ? met.every((i) => i !== -1) : met.some((i) => i !== -1);
  const ok = test.negate ? !matched : matched;
  if (!ok) return false;
  if (test.negate) {
    // Nothing matched, which is what the rule asked: show the value that differs.
    out.push({ selection, field: test.field, modifiers: test.modifiers, paths: pathsOf(c, 0), value: scalar(c.raw[0]) ?? null, patterns: alts.map((a) => a.pattern) });
    return true;
  }
  const byCandidate = new Map<number, string[]>();
  met.forEach((i, k) => {
    if (i !== -1) byCandidate.set(i, [...(byCandidate.get(i) ?? []), alts[k]!.pattern]);
  });
  for (const [i, patterns] of byCandidate) {
    out.push({ selection, field: test.field, modifiers: test.modifiers, paths: pathsOf(c, i), value: i >= 0 ? (scalar(c.raw[i]) ?? null) : null, patterns });
  }
  return true;
}
