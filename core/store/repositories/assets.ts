import type { AssetCounts, AssetSummary, Criticality, PrefixInfo } from '../../model/index.js';
import type { Db } from '../open.js';

/** One asset as an importer hands it over; `key` is unique within its source. */
export interface AssetInput {
  key: string;
  kind: AssetSummary['kind'];
  name: string | null;
  site: string | null;
  tenant: string | null;
  owner: string | null;
  criticality: Criticality | null;
  role: string | null;
  status: string | null;
  tags: string[];
  attrs: Record<string, unknown>;
}

/** A prefix or a single address; `assetKey` ties it to an asset of the same source. */
export interface NetworkInput {
  kind: 'prefix' | 'address';
  text: string;
  version: 4 | 6;
  network: string;
  length: number;
  assetKey: string | null;
  site: string | null;
  tenant: string | null;
  vrf: string | null;
  role: string | null;
  status: string | null;
}

export interface AssetImport {
  source: string;
  format: string;
  file: string;
  importedAt: string;
  orgs: { kind: 'tenant' | 'site' | 'cluster'; name: string; attrs: Record<string, unknown> }[];
  assets: AssetInput[];
  networks: NetworkInput[];
  counts: AssetCounts;
}

interface AssetRow {
  id: number;
  source: string;
  kind: AssetSummary['kind'];
  name: string;
  site: string | null;
  tenant: string | null;
  owner: string | null;
  criticality: Criticality | null;
  role: string | null;
  tags: string;
}

export interface NetworkMatch {
  kind: 'prefix' | 'address';
  length: number;
  asset: AssetSummary | null;
  prefix: PrefixInfo;
}

const toAsset = (r: AssetRow): AssetSummary => ({
  name: r.name,
  kind: r.kind,
  source: r.source,
  site: r.site,
  tenant: r.tenant,
  owner: r.owner,
  criticality: r.criticality,
  role: r.role,
  tags: JSON.parse(r.tags) as string[],
});

/** Splits a host name into the lower-case whole, its first label and the rest (empty for a short name). */
export function hostParts(name: string): { lc: string; short: string; domain: string } {
  const lc = name.trim().replace(/\.$/, '').toLowerCase();
  const dot = lc.indexOf('.');
  return dot === -1 ? { lc, short: lc, domain: '' } : { lc, short: lc.slice(0, dot), domain: lc.slice(dot + 1) };
}

export class AssetRepository {
  constructor(private readonly db: Db) {}

  /** The counts of the last import of `source`, or null if it was never imported. */
  sourceCounts(source: string): AssetCounts | null {
    const row = this.db.prepare('SELECT counts FROM asset_sources WHERE source = ?').get(source) as { counts: string } | undefined;
    return row ? (JSON.parse(row.counts) as AssetCounts) : null;
  }

  /** Replaces everything `source` held with `data`. Call inside Store.write. */
  replaceSource(data: AssetImport): void {
    const { db } = this;
    db.prepare('DELETE FROM asset_sources WHERE source = ?').run(data.source);
    db.prepare('INSERT INTO asset_sources (source, format, file, imported_at, counts) VALUES (?, ?, ?, ?, ?)').run(
      data.source,
      data.format,
      data.file,
      data.importedAt,
      JSON.stringify(data.counts),
    );
    const org = db.prepare('INSERT INTO asset_orgs (source, kind, name, attrs) VALUES (?, ?, ?, ?)');
    for (const o of data.orgs) org.run(data.source, o.kind, o.name, JSON.stringify(o.attrs));
    const asset = db.prepare(
      `INSERT INTO assets (source, source_key, kind, name, name_lc, short_lc, domain_lc, site, tenant, owner, criticality, role, status, tags, attrs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const ids = new Map<string, number | bigint>();
    for (const a of data.assets) {
      const parts = a.name === null ? null : hostParts(a.name);
      const info = asset.run(
        data.source, a.key, a.kind, a.name, parts?.lc ?? null, parts?.short ?? null, parts?.domain ?? null,
        a.site, a.tenant, a.owner, a.criticality, a.role, a.status, JSON.stringify(a.tags), JSON.stringify(a.attrs),
      );
      ids.set(a.key, info.lastInsertRowid);
    }
    const network = db.prepare(
      `INSERT INTO asset_networks (source, kind, text, version, network, length, asset_id, site, tenant, vrf, role, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const n of data.networks) {
      const assetId = n.assetKey === null ? null : (ids.get(n.assetKey) ?? null);
      network.run(data.source, n.kind, n.text, n.version, n.network, n.length, assetId, n.site, n.tenant, n.vrf, n.role, n.status);
    }
  }

  /** Named assets whose whole lower-case name or first label is `value`. */
  byHostName(lc: string, short: string): (AssetSummary & { nameLc: string; shortLc: string; domainLc: string })[] {
    const rows = this.db
      .prepare(
        `SELECT id, source, kind, name, site, tenant, owner, criticality, role, tags, name_lc, short_lc, domain_lc
         FROM assets WHERE name_lc = ? OR short_lc = ? ORDER BY source, name_lc, id`,
      )
      .all(lc, short) as (AssetRow & { name_lc: string; short_lc: string; domain_lc: string })[];
    return rows.map((r) => ({ ...toAsset(r), nameLc: r.name_lc, shortLc: r.short_lc, domainLc: r.domain_lc }));
  }

  /** The distinct prefix lengths stored for an IP version: the only lengths a lookup needs to probe. */
  lengths(version: 4 | 6): number[] {
    return (this.db.prepare('SELECT DISTINCT length FROM asset_networks WHERE version = ?').all(version) as { length: number }[]).map(
      (r) => r.length,
    );
  }

  /** Networks equal to one of `probes`, longest first. */
  networksAt(version: 4 | 6, probes: { length: number; network: string }[]): NetworkMatch[] {
    const stmt = this.db.prepare(
      `SELECT n.kind AS nkind, n.text, n.length, n.source AS nsource, n.site AS nsite, n.tenant AS ntenant, n.vrf, n.role AS nrole,
              n.status AS nstatus, a.id, a.source, a.kind, a.name, a.site, a.tenant, a.owner, a.criticality, a.role, a.tags
       FROM asset_networks n LEFT JOIN assets a ON a.id = n.asset_id
       WHERE n.version = ? AND n.length = ? AND n.network = ? ORDER BY n.source, n.id`,
    );
    const out: NetworkMatch[] = [];
    for (const probe of probes) {
      for (const r of stmt.all(version, probe.length, probe.network) as (AssetRow & Record<string, unknown>)[]) {
        out.push({
          kind: r.nkind as 'prefix' | 'address',
          length: r.length as number,
          asset: r.id === null ? null : toAsset(r),
          prefix: {
            prefix: r.text as string,
            source: r.nsource as string,
            site: r.nsite as string | null,
            tenant: r.ntenant as string | null,
            vrf: r.vrf as string | null,
            role: r.nrole as string | null,
            status: r.nstatus as string | null,
          },
        });
      }
    }
    return out;
  }
}
