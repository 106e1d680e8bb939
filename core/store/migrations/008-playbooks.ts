// Playbooks and their runs. The 001 placeholders (playbook_runs, playbook_steps) were never written to and could not
// express a dry run in step mode, so they are replaced. A run's step records are its durable state: each is committed
// with its journal entry, holds the variables after the step, and a resumed or replayed run walks them back instead
// of acting again. `runs.vars` is the newest state (it includes edits made while paused).
export const playbooks = `
DROP TABLE playbook_steps;
DROP TABLE playbook_runs;

CREATE TABLE playbooks (
  id         TEXT NOT NULL,
  version    INTEGER NOT NULL,
  name       TEXT NOT NULL,
  source     TEXT NOT NULL,
  format     TEXT NOT NULL CHECK (format IN ('yaml', 'json', 'cacao')),
  definition TEXT NOT NULL,
  added_at   TEXT NOT NULL,
  PRIMARY KEY (id, version)
) STRICT;

CREATE TABLE runs (
  id              TEXT PRIMARY KEY,
  case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  playbook_id     TEXT NOT NULL,
  playbook_name   TEXT NOT NULL,
  playbook_version INTEGER NOT NULL,
  definition      TEXT NOT NULL,
  mode            TEXT NOT NULL CHECK (mode IN ('auto', 'step')),
  dry_run         INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  autonomy        TEXT NOT NULL,
  status          TEXT NOT NULL,
  outcome         TEXT,
  error           TEXT,
  alert_id        TEXT,
  inputs          TEXT NOT NULL,
  vars            TEXT NOT NULL,
  outputs         TEXT NOT NULL DEFAULT '{}',
  breakpoints     TEXT NOT NULL DEFAULT '[]',
  wait            TEXT,
  replay_of       TEXT,
  replay_from     TEXT,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX runs_by_case ON runs (case_id, started_at);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE run_steps (
  run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  key         TEXT NOT NULL,
  parent      TEXT,
  step_id     TEXT NOT NULL,
  type        TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  status      TEXT NOT NULL,
  simulated   INTEGER NOT NULL CHECK (simulated IN (0, 1)),
  input       TEXT,
  output      TEXT,
  error       TEXT,
  risk        TEXT,
  vars        TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  PRIMARY KEY (run_id, seq)
) STRICT;
CREATE INDEX run_steps_by_key ON run_steps (run_id, key);

CREATE TABLE notify_targets (
  name       TEXT PRIMARY KEY,
  url        TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`;
