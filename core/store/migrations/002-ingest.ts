// Evidence import: what each import read and did, the records it could not take (with their raw bytes), and the
// columns the alert queue and timeline filter and sort on, so they never have to parse the stored documents.
export const ingest = `
CREATE TABLE imports (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  file        TEXT NOT NULL,
  format      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  read        INTEGER NOT NULL DEFAULT 0,
  stored      INTEGER NOT NULL DEFAULT 0,
  duplicates  INTEGER NOT NULL DEFAULT 0,
  quarantined INTEGER NOT NULL DEFAULT 0,
  skipped     INTEGER NOT NULL DEFAULT 0,
  started_at  TEXT NOT NULL,
  finished_at TEXT
) STRICT;

CREATE TABLE quarantine (
  id         TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  import_id  TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  dedup_key  TEXT NOT NULL,
  file       TEXT NOT NULL,
  line       INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  raw        BLOB NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (case_id, dedup_key)
) STRICT;
CREATE INDEX quarantine_by_case ON quarantine (case_id, file, line);

ALTER TABLE events ADD COLUMN format TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN host TEXT;
ALTER TABLE events ADD COLUMN user_name TEXT;
ALTER TABLE events ADD COLUMN techniques TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN file TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN line INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN import_id TEXT;
CREATE INDEX events_queue ON events (case_id, kind, risk DESC, ts);

-- Full-text search over each record's title and raw original, kept in step by triggers.
CREATE VIRTUAL TABLE events_fts USING fts5 (title, original, content = 'events', content_rowid = 'rowid');
CREATE TRIGGER events_fts_insert AFTER INSERT ON events
BEGIN INSERT INTO events_fts (rowid, title, original) VALUES (new.rowid, new.title, new.original); END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events
BEGIN INSERT INTO events_fts (events_fts, rowid, title, original) VALUES ('delete', old.rowid, old.title, old.original); END;

ALTER TABLE incidents ADD COLUMN origin TEXT NOT NULL DEFAULT 'grouped';
ALTER TABLE incidents ADD COLUMN external_id TEXT;
ALTER TABLE incidents ADD COLUMN first_ts TEXT;
ALTER TABLE incidents ADD COLUMN last_ts TEXT;
ALTER TABLE incidents ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
`;
