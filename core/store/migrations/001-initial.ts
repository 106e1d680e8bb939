// The first schema: every table later capabilities fill. Columns that hold whole documents are JSON text so that
// importers can keep the untouched original beside the normalised fields.
export const initial = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE cases (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX cases_by_created ON cases (created_at DESC);

CREATE TABLE events (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('alert', 'event')),
  ts          TEXT NOT NULL,
  source      TEXT NOT NULL,
  dedup_key   TEXT NOT NULL,
  risk        INTEGER,
  level       TEXT,
  doc         TEXT NOT NULL,
  original    TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  UNIQUE (case_id, dedup_key)
) STRICT;
CREATE INDEX events_by_time ON events (case_id, ts);

CREATE TABLE entities (
  id        TEXT PRIMARY KEY,
  case_id   TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  type      TEXT NOT NULL,
  value     TEXT NOT NULL,
  canonical TEXT NOT NULL,
  UNIQUE (case_id, type, canonical)
) STRICT;

CREATE TABLE event_entities (
  event_id  TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
  role      TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (event_id, entity_id, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_entities_by_entity ON event_entities (entity_id);

CREATE TABLE incidents (
  id         TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  title      TEXT NOT NULL,
  status     TEXT NOT NULL,
  risk       INTEGER,
  level      TEXT,
  rationale  TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE incident_members (
  incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  PRIMARY KEY (incident_id, event_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE tasks (
  id         TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  title      TEXT NOT NULL,
  status     TEXT NOT NULL,
  assignee   TEXT,
  due_at     TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE notes (
  id         TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  body       TEXT NOT NULL,
  author     TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX notes_by_case ON notes (case_id, created_at);

CREATE TABLE evidence (
  id       TEXT PRIMARY KEY,
  case_id  TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  name     TEXT NOT NULL,
  sha256   TEXT NOT NULL,
  size     INTEGER NOT NULL,
  path     TEXT,
  added_at TEXT NOT NULL
) STRICT;

CREATE TABLE playbook_runs (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  playbook    TEXT NOT NULL,
  mode        TEXT NOT NULL CHECK (mode IN ('auto', 'step', 'dry-run')),
  status      TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT
) STRICT;

CREATE TABLE playbook_steps (
  run_id      TEXT NOT NULL REFERENCES playbook_runs (id) ON DELETE CASCADE,
  step_id     TEXT NOT NULL,
  attempt     INTEGER NOT NULL DEFAULT 1,
  status      TEXT NOT NULL,
  simulated   INTEGER NOT NULL DEFAULT 0,
  input       TEXT,
  output      TEXT,
  started_at  TEXT,
  finished_at TEXT,
  PRIMARY KEY (run_id, step_id, attempt)
) STRICT;

-- The journal: one global gapless sequence, and a hash chain per case (chain '' holds entries of no case).
CREATE TABLE journal (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  case_id   TEXT,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  payload   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
CREATE INDEX journal_by_case ON journal (case_id, seq);

-- The recorded head of every chain ('*' is the global sequence), so that dropping the newest entries shows.
CREATE TABLE journal_heads (
  chain TEXT PRIMARY KEY,
  seq   INTEGER NOT NULL,
  hash  TEXT NOT NULL,
  count INTEGER NOT NULL
) STRICT;

-- Append-only by default. Anyone with the file can drop these triggers; audit verify still catches the edit.
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END;
`;
