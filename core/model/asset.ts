import { z } from 'zod';

/** Organisation-wide inventory (not per case): assets, networks and application dependencies. */

export const Criticality = z.enum(['low', 'medium', 'high', 'critical']);
export type Criticality = z.infer<typeof Criticality>;

export const AssetFormat = z.enum(['netbox', 'csv', 'yaml']);
export type AssetFormat = z.infer<typeof AssetFormat>;
export const DepsFormat = z.enum(['vizceral', 'yaml', 'csv']);
export type DepsFormat = z.infer<typeof DepsFormat>;

export const AssetSummary = z.object({
  name: z.string(),
  /** device / vm from NetBox; asset from a user-written file. */
  kind: z.enum(['device', 'vm', 'asset']),
  source: z.string(),
  site: z.string().nullable(),
  tenant: z.string().nullable(),
  owner: z.string().nullable(),
  criticality: Criticality.nullable(),
  role: z.string().nullable(),
  tags: z.array(z.string()),
});
export type AssetSummary = z.infer<typeof AssetSummary>;

export const PrefixInfo = z.object({
  prefix: z.string(),
  source: z.string(),
  site: z.string().nullable(),
  tenant: z.string().nullable(),
  vrf: z.string().nullable(),
  role: z.string().nullable(),
  status: z.string().nullable(),
});
export type PrefixInfo = z.infer<typeof PrefixInfo>;

export const AssetQuery = z.object({ type: z.enum(['host', 'ip']), value: z.string().min(1).max(300) });
export type AssetQuery = z.infer<typeof AssetQuery>;

/**
 * What the inventory knows about one host name or address. `unknown` and `ambiguous` carry no guessed fields:
 * site, tenant, owner and criticality are null unless a matching asset or prefix gave them.
 */
export const AssetResolution = z.object({
  query: AssetQuery,
  status: z.enum(['known', 'unknown', 'ambiguous']),
  match: z.enum(['host-name', 'ip-address', 'prefix']).nullable(),
  asset: AssetSummary.nullable(),
  /** The longest prefix holding the address (IPs only). */
  prefix: PrefixInfo.nullable(),
  site: z.string().nullable(),
  tenant: z.string().nullable(),
  owner: z.string().nullable(),
  criticality: Criticality.nullable(),
  /** For `ambiguous`: the assets it could be, as `name (source)`. */
  candidates: z.array(z.string()),
  /** Why it resolved as it did, for a person. */
  reason: z.string(),
});
export type AssetResolution = z.infer<typeof AssetResolution>;

export const AssetCounts = z.object({
  tenants: z.number().int(),
  sites: z.number().int(),
  clusters: z.number().int(),
  devices: z.number().int(),
  virtualMachines: z.number().int(),
  assets: z.number().int(),
  prefixes: z.number().int(),
  ipAddresses: z.number().int(),
});
export type AssetCounts = z.infer<typeof AssetCounts>;

export const DepNode = z.object({
  id: z.string(),
  name: z.string(),
  /** region / service from Vizceral (instance: a service's nested node); service from a user file. */
  kind: z.enum(['region', 'service', 'instance']),
  parent: z.string().nullable(),
  source: z.string(),
  /** Referenced by a connection but never declared as a node (the Vizceral sample has a few). */
  implicit: z.boolean(),
});
export type DepNode = z.infer<typeof DepNode>;

/** `from` depends on `to` (Vizceral: traffic flows from source to target). Metrics in requests per second. */
export const DepEdge = z.object({
  from: z.string(),
  to: z.string(),
  source: z.string(),
  weight: z.number().nullable(),
  normal: z.number().nullable(),
  warning: z.number().nullable(),
  danger: z.number().nullable(),
});
export type DepEdge = z.infer<typeof DepEdge>;

export const DepCounts = z.object({ nodes: z.number().int(), edges: z.number().int(), implicitNodes: z.number().int() });
export type DepCounts = z.infer<typeof DepCounts>;

export const BlastDependent = z.object({
  id: z.string(),
  name: z.string(),
  /** Fewest hops from this node to the target. */
  depth: z.number().int().min(1),
  /** The nodes one hop nearer the target that this one calls directly. */
  via: z.array(z.string()),
  /** Sum of the weights of the edges to `via` (null when none of them has one). */
  weight: z.number().nullable(),
  owner: z.string().nullable(),
});
export type BlastDependent = z.infer<typeof BlastDependent>;

export const BlastRadius = z.object({
  target: z.object({ id: z.string(), name: z.string(), owner: z.string().nullable() }),
  dependents: z.array(BlastDependent),
  maxDepth: z.number().int(),
  /** Owners to inform, each with the affected nodes they own (target included). */
  owners: z.array(z.object({ owner: z.string(), nodes: z.array(z.string()) })),
  /** Affected nodes whose owner the inventory does not know. */
  unknownOwner: z.array(z.string()),
});
export type BlastRadius = z.infer<typeof BlastRadius>;

export const AssetImportResult = z.object({
  source: z.string(),
  format: AssetFormat,
  file: z.string(),
  counts: AssetCounts,
  /** What the source held before this import replaced it; null on its first import. */
  previous: AssetCounts.nullable(),
});
export type AssetImportResult = z.infer<typeof AssetImportResult>;

export const DepsImportResult = z.object({
  source: z.string(),
  format: DepsFormat,
  file: z.string(),
  counts: DepCounts,
  previous: DepCounts.nullable(),
});
export type DepsImportResult = z.infer<typeof DepsImportResult>;
