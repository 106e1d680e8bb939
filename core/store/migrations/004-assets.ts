// The organisation's inventory and application dependency graph. Not per case: every case resolves its entities
// against the same assets. Each import is a `source`; re-importing a source replaces its rows, so nothing doubles.
export const assets = `
CREATE TABLE asset_sources (
  source      TEXT PRIMARY KEY,
  format      TEXT NOT NULL,
  file        TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  counts      TEXT NOT NULL
) STRICT;

-- NetBox tenants, sites and clusters: the organisational context of devices, VMs and prefixes.
CREATE TABLE asset_orgs (
  source TEXT NOT NULL REFERENCES asset_sources (source) ON DELETE CASCADE,
  kind   TEXT NOT NULL CHECK (kind IN ('tenant', 'site', 'cluster')),
  name   TEXT NOT NULL,
  attrs  TEXT NOT NULL,
  PRIMARY KEY (source, kind, name)
) STRICT;

CREATE TABLE assets (
  id          INTEGER PRIMARY KEY,
  source      TEXT NOT NULL REFERENCES asset_sources (source) ON DELETE CASCADE,
  source_key  TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('device', 'vm', 'asset')),
  name        TEXT,
  -- Lower-case name, its first label and the rest, so short names and FQDNs meet without merging domains.
  name_lc     TEXT,
  short_lc    TEXT,
  domain_lc   TEXT,
  site        TEXT,
  tenant      TEXT,
  owner       TEXT,
  criticality TEXT CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
  role        TEXT,
  status      TEXT,
  tags        TEXT NOT NULL,
  attrs       TEXT NOT NULL,
  UNIQUE (source, source_key)
) STRICT;
CREATE INDEX assets_by_name ON assets (name_lc);
CREATE INDEX assets_by_short ON assets (short_lc);

-- Prefixes and single addresses, as fixed-width hex networks so that a longest-prefix lookup is one probe per length.
CREATE TABLE asset_networks (
  id       INTEGER PRIMARY KEY,
  source   TEXT NOT NULL REFERENCES asset_sources (source) ON DELETE CASCADE,
  kind     TEXT NOT NULL CHECK (kind IN ('prefix', 'address')),
  text     TEXT NOT NULL,
  version  INTEGER NOT NULL CHECK (version IN (4, 6)),
  network  TEXT NOT NULL,
  length   INTEGER NOT NULL,
  asset_id INTEGER REFERENCES assets (id) ON DELETE CASCADE,
  site     TEXT,
  tenant   TEXT,
  vrf      TEXT,
  role     TEXT,
  status   TEXT
) STRICT;
CREATE INDEX asset_networks_lookup ON asset_networks (version, length, network);

CREATE TABLE dep_sources (
  source      TEXT PRIMARY KEY,
  format      TEXT NOT NULL,
  file        TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  counts      TEXT NOT NULL
) STRICT;

CREATE TABLE dep_nodes (
  source   TEXT NOT NULL REFERENCES dep_sources (source) ON DELETE CASCADE,
  id       TEXT NOT NULL,
  name     TEXT NOT NULL,
  name_lc  TEXT NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('region', 'service', 'instance')),
  parent   TEXT,
  implicit INTEGER NOT NULL,
  PRIMARY KEY (source, id)
) STRICT;
CREATE INDEX dep_nodes_by_name ON dep_nodes (name_lc);

-- from_id depends on to_id.
CREATE TABLE dep_edges (
  source  TEXT NOT NULL REFERENCES dep_sources (source) ON DELETE CASCADE,
  from_id TEXT NOT NULL,
  to_id   TEXT NOT NULL,
  weight  REAL,
  normal  REAL,
  warning REAL,
  danger  REAL,
  PRIMARY KEY (source, from_id, to_id)
) STRICT;
CREATE INDEX dep_edges_to ON dep_edges (to_id);
`;
