import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml';
import { Criticality } from '../../model/index.js';
import type { AssetInput, NetworkInput } from '../../store/index.js';
import { parseCsv } from './csv.js';
import { badRow } from './errors.js';
import { parseCidr, parseIp } from './ip.js';
import type { ParsedInventory } from './netbox.js';

const COLUMNS = ['name', 'ips', 'owner', 'criticality', 'tags', 'site', 'tenant', 'role'] as const;
type Column = (typeof COLUMNS)[number];
type RawAsset = Partial<Record<Column, string | string[] | null>>;

const list = (v: string | string[] | null | undefined): string[] =>
  (Array.isArray(v) ? v : (v ?? '').split(/[;,\s]+/)).map((s) => s.trim()).filter(Boolean);
const single = (v: string | string[] | null | undefined): string | null => {
  const s = (Array.isArray(v) ? v.join(';') : (v ?? '')).trim();
  return s === '' ? null : s;
};

/** One asset of a user-written file, checked field by field; `where` says `line N` (or `row N`) for the errors. */
function toAsset(file: string, where: string, raw: RawAsset, seen: Map<string, string>, out: ParsedInventory): void {
  const name = single(raw.name);
  if (name === null) throw badRow(file, where, 'name', 'an asset needs a name');
  const lc = name.toLowerCase();
  const first = seen.get(lc);
  if (first) throw badRow(file, where, 'name', `"${name}" is already defined at ${first}`);
  seen.set(lc, where);
  const critText = single(raw.criticality);
  let criticality: AssetInput['criticality'] = null;
  if (critText !== null) {
    const parsed = Criticality.safeParse(critText.toLowerCase());
    if (!parsed.success) throw badRow(file, where, 'criticality', `"${critText}" is not one of ${Criticality.options.join(', ')}`);
    criticality = parsed.data;
  }
  const asset: AssetInput = {
    key: `asset:${lc}`,
    kind: 'asset',
    name,
    site: single(raw.site),
    tenant: single(raw.tenant),
    owner: single(raw.owner),
    criticality,
    role: single(raw.role),
    status: null,
    tags: list(raw.tags),
    attrs: {},
  };
  out.assets.push(asset);
  for (const entry of list(raw.ips)) {
    const base = { assetKey: asset.key, site: asset.site, tenant: asset.tenant, vrf: null, role: null, status: null };
    if (entry.includes('/')) {
      const net = parseCidr(entry);
      if ('error' in net) throw badRow(file, where, 'ips', net.error);
      out.networks.push({ kind: 'prefix', ...net, ...base } satisfies NetworkInput);
    } else {
      const ip = parseIp(entry);
      if (!ip) throw badRow(file, where, 'ips', `"${entry}" is not an IPv4 or IPv6 address`);
      out.networks.push({ kind: 'address', ...ip, ...base } satisfies NetworkInput);
    }
  }
}

const empty = (): ParsedInventory => ({
  orgs: [],
  assets: [],
  networks: [],
  counts: { tenants: 0, sites: 0, clusters: 0, devices: 0, virtualMachines: 0, assets: 0, prefixes: 0, ipAddresses: 0 },
});

function finish(out: ParsedInventory): ParsedInventory {
  out.counts.assets = out.assets.length;
  out.counts.prefixes = out.networks.filter((n) => n.kind === 'prefix').length;
  out.counts.ipAddresses = out.networks.filter((n) => n.kind === 'address').length;
  return out;
}

/**
 * A CSV with a header row naming its columns: name (required), ips, owner, criticality, tags, and optionally site,
 * tenant, role. Lists (ips, tags) are separated by `;` or spaces; an ips entry with `/len` is a network.
 */
export function parseAssetCsv(file: string, text: string): ParsedInventory {
  const parsed = parseCsv(text);
  if ('error' in parsed) throw badRow(file, `line ${parsed.line}`, null, parsed.error);
  const [header, ...records] = parsed.records;
  if (!header) throw badRow(file, 'line 1', null, 'the file is empty; expected a header row such as name,ips,owner,criticality,tags');
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  columns.forEach((c) => {
    if (!(COLUMNS as readonly string[]).includes(c)) {
      throw badRow(file, `line ${header.line}`, c, `unknown column; the columns are ${COLUMNS.join(', ')}`);
    }
  });
  if (!columns.includes('name')) throw badRow(file, `line ${header.line}`, 'name', 'the header has no name column');
  const out = empty();
  const seen = new Map<string, string>();
  for (const r of records) {
    if (r.cells.length !== columns.length) {
      throw badRow(file, `line ${r.line}`, null, `${r.cells.length} cells where the header has ${columns.length}`);
    }
    const raw: RawAsset = {};
    columns.forEach((c, i) => (raw[c as Column] = r.cells[i]!));
    toAsset(file, `line ${r.line}`, raw, seen, out);
  }
  return finish(out);
}

/** YAML: a list of assets, or `assets:` holding one; each a map of the CSV columns (ips and tags may be lists). */
export function parseAssetYaml(file: string, text: string): ParsedInventory {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const firstError = doc.errors[0];
  if (firstError) throw badRow(file, `line ${lineCounter.linePos(firstError.pos[0]).line}`, null, `not valid YAML: ${firstError.message.split('\n')[0]}`);
  const top = doc.contents;
  const seq: unknown = isMap(top) ? top.get('assets', true) : top;
  if (!isSeq(seq)) throw badRow(file, `line ${lineOf(doc.contents)}`, null, 'expected a list of assets (or an "assets:" key holding one)');
  const out = empty();
  const seen = new Map<string, string>();
  for (const item of seq.items) {
    const where = `line ${lineOf(item as Node)}`;
    if (!isMap(item)) throw badRow(file, where, null, 'an asset must be a map with name, ips, owner, criticality, tags');
    const raw: RawAsset = {};
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key).toLowerCase();
      const at = `line ${lineOf(pair.key as Node)}`;
      if (!(COLUMNS as readonly string[]).includes(key)) throw badRow(file, at, key, `unknown field; the fields are ${COLUMNS.join(', ')}`);
      const value = (pair.value as Node | null)?.toJSON() as unknown;
      if (value === null || value === undefined) continue;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) raw[key as Column] = value.map(String);
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') raw[key as Column] = String(value);
      else throw badRow(file, at, key, 'expected text or a list of text');
    }
    toAsset(file, where, raw, seen, out);
  }
  return finish(out);
}
