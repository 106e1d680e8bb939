import type { AssetQuery, AssetResolution, AssetSummary } from '../../model/index.js';
import { hostParts, type Store } from '../../store/index.js';
import { networksOf, parseIp } from './ip.js';

const none = { asset: null, prefix: null, site: null, tenant: null, owner: null, criticality: null, candidates: [] as string[] };
const label = (a: AssetSummary) => `${a.name} (${a.source})`;

/** A query for whatever `value` is: an address if it parses as one, else a host name. */
export function queryFor(value: string): AssetQuery {
  return { type: parseIp(value) && !value.includes('/') ? 'ip' : 'host', value: value.trim() };
}

export function resolveAsset(store: Store, query: AssetQuery): AssetResolution {
  return query.type === 'ip' ? resolveIp(store, query) : resolveHost(store, query);
}

/**
 * Short name vs FQDN, case-insensitive: `ws5` meets `WS5.corp.local` and the other way round, but `ws5.a.local`
 * never meets `ws5.b.local`, and a short name that two domains both have is ambiguous rather than guessed.
 */
function resolveHost(store: Store, query: AssetQuery): AssetResolution {
  const q = hostParts(query.value);
  const found = store.assets.byHostName(q.lc, q.short);
  const exact = found.filter((a) => a.nameLc === q.lc);
  const compatible = exact.length
    ? exact
    : found.filter((a) => (q.domain === '' ? a.shortLc === q.short : a.shortLc === q.short && a.domainLc === ''));
  if (compatible.length === 0) {
    const others = found.filter((a) => a.domainLc !== '' && a.domainLc !== q.domain);
    const reason = others.length
      ? `no asset named ${query.value}; ${others.map(label).join(', ')} is in another domain`
      : `no asset named ${query.value} in the inventory`;
    return { query, status: 'unknown', match: null, ...none, reason };
  }
  const sameHost = new Set(compatible.map((a) => a.nameLc)).size === 1 && new Set(compatible.map((a) => a.source)).size === compatible.length;
  if (compatible.length > 1 && !sameHost) {
    return {
      query,
      status: 'ambiguous',
      match: null,
      ...none,
      candidates: compatible.map(label),
      reason: `${compatible.length} assets could be ${query.value}: ${compatible.map(label).join(', ')}`,
    };
  }
  const asset = combine(compatible.map(({ nameLc: _n, shortLc: _s, domainLc: _d, ...a }) => a));
  return {
    query,
    status: 'known',
    match: 'host-name',
    asset,
    prefix: null,
    site: asset.site,
    tenant: asset.tenant,
    owner: asset.owner,
    criticality: asset.criticality,
    candidates: [],
    reason: asset.name.toLowerCase() === q.lc ? `asset ${label(asset)} by name` : `asset ${label(asset)} by ${q.domain ? 'short name' : 'FQDN'}`,
  };
}

/**
 * One host named alike in several sources (a NetBox device and the owner file that adds its owner) is one asset:
 * each field comes from the first source that has it, the user-written files first since they are the ones that
 * carry owner and criticality. Two assets of one source with one name stay ambiguous (the NetBox patch panels).
 */
function combine(records: AssetSummary[]): AssetSummary {
  if (records.length === 1) return records[0]!;
  const ordered = [...records].sort((a, b) => Number(b.kind === 'asset') - Number(a.kind === 'asset'));
  const first = <K extends keyof AssetSummary>(k: K): AssetSummary[K] => ordered.find((r) => r[k] !== null)?.[k] ?? ordered[0]![k];
  return {
    name: ordered[0]!.name,
    kind: ordered.find((r) => r.kind !== 'asset')?.kind ?? 'asset',
    source: ordered.map((r) => r.source).join(' + '),
    site: first('site'),
    tenant: first('tenant'),
    owner: first('owner'),
    criticality: first('criticality'),
    role: first('role'),
    tags: [...new Set(ordered.flatMap((r) => r.tags))],
  };
}

/**
 * Longest prefix wins. An asset that owns the address (or a network holding it) gives the asset; the longest plain
 * prefix gives site and tenant where the asset names none.
 */
function resolveIp(store: Store, query: AssetQuery): AssetResolution {
  const ip = parseIp(query.value);
  if (!ip) return { query, status: 'unknown', match: null, ...none, reason: `${query.value} is not an IP address` };
  const matches = store.assets.networksAt(ip.version, networksOf(ip, store.assets.lengths(ip.version)));
  const owned = matches.find((m) => m.asset !== null);
  const prefix = matches.find((m) => m.kind === 'prefix' && m.asset === null)?.prefix ?? null;
  if (owned?.asset) {
    const rivals = matches.filter((m) => m.asset !== null && m.length === owned.length).map((m) => m.asset!);
    if (new Set(rivals.map((a) => a.name.toLowerCase())).size > 1) {
      return {
        query,
        status: 'ambiguous',
        match: null,
        ...none,
        prefix,
        candidates: rivals.map(label),
        reason: `${rivals.length} assets claim ${ip.text}: ${rivals.map(label).join(', ')}`,
      };
    }
    const asset = combine(rivals);
    const how = owned.kind === 'address' ? 'ip-address' : 'prefix';
    return {
      query,
      status: 'known',
      match: how,
      asset,
      prefix,
      site: asset.site ?? prefix?.site ?? null,
      tenant: asset.tenant ?? prefix?.tenant ?? null,
      owner: asset.owner,
      criticality: asset.criticality,
      candidates: [],
      reason: how === 'ip-address' ? `address of asset ${label(asset)}` : `in ${owned.prefix.prefix} of asset ${label(asset)}`,
    };
  }
  if (prefix) {
    return {
      query,
      status: 'known',
      match: 'prefix',
      ...none,
      prefix,
      site: prefix.site,
      tenant: prefix.tenant,
      reason: `in prefix ${prefix.prefix}${prefix.vrf ? ` (VRF ${prefix.vrf})` : ''} of ${prefix.source}; no asset holds the address`,
    };
  }
  return { query, status: 'unknown', match: null, ...none, reason: `${ip.text} is in no known prefix and belongs to no asset` };
}
