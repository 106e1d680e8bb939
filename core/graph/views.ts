import { GraphViewState, type GraphView } from '../model/index.js';
import type { Store } from '../store/index.js';

// Saved views live in graph_views (migration 009), one row per case and name; saving a name again replaces it.

export function saveView(store: Store, caseId: string, name: string, state: GraphViewState, at: string): GraphView {
  store.db
    .prepare(
      `INSERT INTO graph_views (case_id, name, state, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (case_id, name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    )
    .run(caseId, name, JSON.stringify(state), at);
  return { name, ...state, updatedAt: at };
}

export function getView(store: Store, caseId: string, name: string): GraphView | undefined {
  const row = store.read(
    () => store.db.prepare('SELECT name, state, updated_at FROM graph_views WHERE case_id = ? AND name = ?').get(caseId, name) as Row | undefined,
  );
  return row ? toView(row) : undefined;
}

export function listViews(store: Store, caseId: string): GraphView[] {
  const rows = store.read(() => store.db.prepare('SELECT name, state, updated_at FROM graph_views WHERE case_id = ? ORDER BY name').all(caseId) as Row[]);
  return rows.map(toView);
}

interface Row {
  name: string;
  state: string;
  updated_at: string;
}

// Parsed, not cast: a view written by a later Quell with fields this one does not know still reads.
const toView = (r: Row): GraphView => ({ name: r.name, ...GraphViewState.parse(JSON.parse(r.state)), updatedAt: r.updated_at });
