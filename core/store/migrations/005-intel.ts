// Threat intel is organisation-wide: feeds and their indicators belong to no case, so one import serves every case.
// Assessments (confidence rating, validation) belong to one record and go when it goes.
export const intel = `
CREATE TABLE intel_feeds (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  format      TEXT NOT NULL CHECK (format IN ('stix', 'misp', 'csv')),
  reliability TEXT NOT NULL CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
  file        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  indicators  INTEGER NOT NULL,
  report      TEXT NOT NULL DEFAULT '{}',
  imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE intel_indicators (
  feed_id    TEXT NOT NULL REFERENCES intel_feeds (id) ON DELETE CASCADE,
  type       TEXT NOT NULL CHECK (type IN ('ip', 'domain', 'url', 'hash')),
  canonical  TEXT NOT NULL,
  value      TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  confidence INTEGER,
  PRIMARY KEY (feed_id, type, canonical)
) STRICT, WITHOUT ROWID;
CREATE INDEX intel_indicators_by_value ON intel_indicators (type, canonical);

CREATE TABLE intel_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE alert_assessments (
  event_id          TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  case_id           TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  rating            TEXT CHECK (rating IN ('automatic', 'analyst', 'discard')),
  rating_detail     TEXT,
  rated_at          TEXT,
  validation        TEXT CHECK (validation IN ('qualified', 'not_relevant')),
  validation_detail TEXT,
  validated_at      TEXT
) STRICT;
CREATE INDEX alert_assessments_by_case ON alert_assessments (case_id);
`;
