import { z } from 'zod';
import type { AssetCounts } from '../../model/index.js';
import type { AssetInput, NetworkInput } from '../../store/index.js';
import { badRow } from './errors.js';
import { parseCidr, parseIp } from './ip.js';

export interface ParsedInventory {
  orgs: { kind: 'tenant' | 'site' | 'cluster'; name: string; attrs: Record<string, unknown> }[];
  assets: AssetInput[];
  networks: NetworkInput[];
  counts: AssetCounts;
}

const text = z.string().nullable().optional();
const id = z.union([z.number().int(), z.string().min(1)]);
const tags = z.array(z.union([z.string(), z.object({ name: z.string() }).loose()])).nullable().optional();

const Tenant = z.object({ id, name: z.string().min(1), slug: text, group: text, cust_id: text }).loose();
const Site = z.object({ id, name: z.string().min(1), status: text, region: text, group: text, tenant: text, facility: text }).loose();
const Cluster = z.object({ id, name: z.string().min(1), type: text, group: text, site: text, tenant: text, status: text }).loose();
const Device = z
  .object({
    id,
    name: text,
    status: text,
    role: text,
    manufacturer: text,
    model: text,
    platform: text,
    tenant: text,
    site: text,
    rack: text,
    serial: text,
    asset_tag: text,
    cluster: text,
    primary_ip4: text,
    primary_ip6: text,
    tags,
  })
  .loose();
const Vm = z
  .object({ id, name: text, status: text, role: text, platform: text, tenant: text, site: text, cluster: text, primary_ip4: text, primary_ip6: text, tags })
  .loose();
const IpAddress = z.object({ id, address: z.string().min(1), status: text, role: text, vrf: text, tenant: text, dns_name: text }).loose();
const Prefix = z.object({ id, prefix: z.string().min(1), status: text, site: text, vrf: text, tenant: text, role: text }).loose();

const orNull = (v: string | null | undefined) => (v === undefined || v === null || v === '' ? null : v);
const tagNames = (t: z.infer<typeof tags>) => (t ?? []).map((x) => (typeof x === 'string' ? x : x.name));

/** Parses every row of `section` with `schema`, naming the row and field of the first one that does not fit. */
function rows<T extends z.ZodType>(file: string, doc: Record<string, unknown>, section: string, schema: T): z.output<T>[] {
  const list = doc[section];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw badRow(file, section, null, `expected a list of ${section}, found ${typeof list}`);
  return list.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const name = row && typeof row === 'object' && 'id' in row ? ` (id ${String((row as { id: unknown }).id)})` : '';
    throw badRow(file, `${section}[${i}]${name}`, issue.path.map(String).join('.') || null, issue.message);
  });
}

/**
 * The NetBox export: tenants, sites, clusters, devices, VMs, prefixes and IP addresses with foreign keys resolved to
 * names. Devices without a name (patch panels, spare switches) are kept: they count, but no host name reaches them.
 */
export function parseNetbox(file: string, textContent: string): ParsedInventory {
  let doc: unknown;
  try {
    doc = JSON.parse(textContent);
  } catch (err) {
    throw badRow(file, 'the whole file', null, `not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw badRow(file, 'the whole file', null, 'expected a JSON object with NetBox sections (tenants, sites, devices, …)');
  const d = doc as Record<string, unknown>;
  if (!['tenants', 'sites', 'devices', 'virtual_machines', 'prefixes', 'ip_addresses'].some((k) => k in d)) {
    throw badRow(file, 'the whole file', null, 'no NetBox section found (tenants, sites, devices, virtual_machines, prefixes, ip_addresses)');
  }
  const tenants = rows(file, d, 'tenants', Tenant);
  const sites = rows(file, d, 'sites', Site);
  const clusters = rows(file, d, 'clusters', Cluster);
  const devices = rows(file, d, 'devices', Device);
  const vms = rows(file, d, 'virtual_machines', Vm);
  const prefixes = rows(file, d, 'prefixes', Prefix);
  const ips = rows(file, d, 'ip_addresses', IpAddress);

  const orgs: ParsedInventory['orgs'] = [
    ...tenants.map((t) => ({ kind: 'tenant' as const, name: t.name, attrs: { slug: orNull(t.slug), group: orNull(t.group), custId: orNull(t.cust_id) } })),
    ...sites.map((s) => ({ kind: 'site' as const, name: s.name, attrs: { region: orNull(s.region), group: orNull(s.group), tenant: orNull(s.tenant), status: orNull(s.status) } })),
    ...clusters.map((c) => ({ kind: 'cluster' as const, name: c.name, attrs: { type: orNull(c.type), group: orNull(c.group), site: orNull(c.site), tenant: orNull(c.tenant) } })),
  ];
  const clusterSite = new Map(clusters.map((c) => [c.name, orNull(c.site)]));

  const assets: AssetInput[] = [];
  const networks: NetworkInput[] = [];
  const primary = (key: string, where: string, field: string, value: string | null | undefined, site: string | null, tenant: string | null) => {
    const v = orNull(value);
    if (v === null) return;
    const ip = parseIp(v);
    if (!ip) throw badRow(file, where, field, `"${v}" is not an IP address`);
    networks.push({ kind: 'address', ...ip, assetKey: key, site, tenant, vrf: null, role: 'primary', status: null });
  };
  devices.forEach((x, i) => {
    const key = `device:${x.id}`;
    const a: AssetInput = {
      key,
      kind: 'device',
      name: orNull(x.name),
      site: orNull(x.site),
      tenant: orNull(x.tenant),
      owner: null,
      criticality: null,
      role: orNull(x.role),
      status: orNull(x.status),
      tags: tagNames(x.tags),
      attrs: { manufacturer: orNull(x.manufacturer), model: orNull(x.model), platform: orNull(x.platform), rack: orNull(x.rack), serial: orNull(x.serial) },
    };
    assets.push(a);
    primary(key, `devices[${i}] (id ${x.id})`, 'primary_ip4', x.primary_ip4, a.site, a.tenant);
    primary(key, `devices[${i}] (id ${x.id})`, 'primary_ip6', x.primary_ip6, a.site, a.tenant);
  });
  vms.forEach((x, i) => {
    const key = `vm:${x.id}`;
    const cluster = orNull(x.cluster);
    // A VM runs where its cluster is, so the cluster's site stands in when the VM names none.
    const site = orNull(x.site) ?? (cluster === null ? null : (clusterSite.get(cluster) ?? null));
    const a: AssetInput = {
      key,
      kind: 'vm',
      name: orNull(x.name),
      site,
      tenant: orNull(x.tenant),
      owner: null,
      criticality: null,
      role: orNull(x.role),
      status: orNull(x.status),
      tags: tagNames(x.tags),
      attrs: { platform: orNull(x.platform), cluster },
    };
    assets.push(a);
    primary(key, `virtual_machines[${i}] (id ${x.id})`, 'primary_ip4', x.primary_ip4, a.site, a.tenant);
    primary(key, `virtual_machines[${i}] (id ${x.id})`, 'primary_ip6', x.primary_ip6, a.site, a.tenant);
  });
  prefixes.forEach((p, i) => {
    const net = parseCidr(p.prefix);
    if ('error' in net) throw badRow(file, `prefixes[${i}] (id ${p.id})`, 'prefix', net.error);
    networks.push({ kind: 'prefix', ...net, assetKey: null, site: orNull(p.site), tenant: orNull(p.tenant), vrf: orNull(p.vrf), role: orNull(p.role), status: orNull(p.status) });
  });
  ips.forEach((x, i) => {
    const ip = parseIp(x.address);
    if (!ip) throw badRow(file, `ip_addresses[${i}] (id ${x.id})`, 'address', `"${x.address}" is not an IP address`);
    networks.push({ kind: 'address', ...ip, assetKey: null, site: null, tenant: orNull(x.tenant), vrf: orNull(x.vrf), role: orNull(x.role), status: orNull(x.status) });
  });

  return {
    orgs,
    assets,
    networks,
    counts: {
      tenants: tenants.length,
      sites: sites.length,
      clusters: clusters.length,
      devices: devices.length,
      virtualMachines: vms.length,
      assets: 0,
      prefixes: prefixes.length,
      ipAddresses: ips.length,
    },
  };
}
