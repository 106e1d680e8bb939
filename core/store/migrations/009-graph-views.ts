// Saved graph views: what an analyst arranged in a case's graph (positions, filters, hidden and pinned nodes), by
// name, so a view survives reopening the case and travels with its database.
export const graphViews = `
CREATE TABLE graph_views (
  case_id    TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  state      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (case_id, name)
) STRICT;
`;
