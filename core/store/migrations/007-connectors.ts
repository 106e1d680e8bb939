// Connectors. Settings are stored without their secret fields (those live in the secret store, never here). A
// cursor per (connector, case) is written in the same transaction as the records of the page that produced it, so
// a resumed pull starts exactly after the last committed page; `next_line` numbers pulled records like lines of a
// file. Action calls are keyed by (connector, idempotency key): a repeated request returns the stored outcome.
export const connectors = `
CREATE TABLE connectors (
  name                   TEXT PRIMARY KEY,
  vendor                 TEXT NOT NULL,
  settings               TEXT NOT NULL,
  enabled                INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  schedule_case_id       TEXT REFERENCES cases (id) ON DELETE SET NULL,
  schedule_every_minutes INTEGER CHECK (schedule_every_minutes IS NULL OR schedule_every_minutes > 0),
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  last_pull_at           TEXT,
  last_pull_status       TEXT CHECK (last_pull_status IN ('running', 'done', 'failed', 'stopped')),
  last_pull_summary      TEXT,
  last_error             TEXT
) STRICT;

CREATE TABLE connector_cursors (
  connector  TEXT NOT NULL REFERENCES connectors (name) ON DELETE CASCADE,
  case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  cursor     TEXT,
  next_line  INTEGER NOT NULL DEFAULT 1,
  pages      INTEGER NOT NULL DEFAULT 0,
  records    INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (connector, case_id)
) STRICT;

CREATE TABLE connector_actions (
  id              TEXT PRIMARY KEY,
  connector       TEXT NOT NULL,
  vendor          TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  action          TEXT NOT NULL,
  case_id         TEXT REFERENCES cases (id) ON DELETE SET NULL,
  input           TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('running', 'pending', 'done', 'failed')),
  poll            TEXT,
  outcome         TEXT,
  last_error      TEXT,
  polls           INTEGER NOT NULL DEFAULT 0,
  requested_at    TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  finished_at     TEXT,
  UNIQUE (connector, idempotency_key)
) STRICT;
CREATE INDEX connector_actions_by_time ON connector_actions (connector, requested_at);
`;
