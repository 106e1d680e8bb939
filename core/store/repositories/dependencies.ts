import type { DepCounts, DepEdge, DepNode } from '../../model/index.js';
import type { Db } from '../open.js';

export interface DepsImport {
  source: string;
  format: string;
  file: string;
  importedAt: string;
  nodes: Omit<DepNode, 'source'>[];
  edges: Omit<DepEdge, 'source'>[];
  counts: DepCounts;
}

interface NodeRow {
  source: string;
  id: string;
  name: string;
  kind: DepNode['kind'];
  parent: string | null;
  implicit: number;
}

interface EdgeRow {
  source: string;
  from_id: string;
  to_id: string;
  weight: number | null;
  normal: number | null;
  warning: number | null;
  danger: number | null;
}

const toNode = (r: NodeRow): DepNode => ({ id: r.id, name: r.name, kind: r.kind, parent: r.parent, source: r.source, implicit: r.implicit === 1 });
const toEdge = (r: EdgeRow): DepEdge => ({
  from: r.from_id,
  to: r.to_id,
  source: r.source,
  weight: r.weight,
  normal: r.normal,
  warning: r.warning,
  danger: r.danger,
});

export class DependencyRepository {
  constructor(private readonly db: Db) {}

  sourceCounts(source: string): DepCounts | null {
    const row = this.db.prepare('SELECT counts FROM dep_sources WHERE source = ?').get(source) as { counts: string } | undefined;
    return row ? (JSON.parse(row.counts) as DepCounts) : null;
  }

  /** Replaces everything `source` held with `data`. Call inside Store.write. */
  replaceSource(data: DepsImport): void {
    const { db } = this;
    db.prepare('DELETE FROM dep_sources WHERE source = ?').run(data.source);
    db.prepare('INSERT INTO dep_sources (source, format, file, imported_at, counts) VALUES (?, ?, ?, ?, ?)').run(
      data.source,
      data.format,
      data.file,
      data.importedAt,
      JSON.stringify(data.counts),
    );
    const node = db.prepare('INSERT INTO dep_nodes (source, id, name, name_lc, kind, parent, implicit) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const n of data.nodes) node.run(data.source, n.id, n.name, n.name.toLowerCase(), n.kind, n.parent, n.implicit ? 1 : 0);
    const edge = db.prepare('INSERT INTO dep_edges (source, from_id, to_id, weight, normal, warning, danger) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const e of data.edges) edge.run(data.source, e.from, e.to, e.weight, e.normal, e.warning, e.danger);
  }

  /** Every node and edge, optionally of one source, in a stable order. */
  graph(source?: string): { nodes: DepNode[]; edges: DepEdge[] } {
    const where = source === undefined ? '' : 'WHERE source = ?';
    const args = source === undefined ? [] : [source];
    const nodes = (this.db.prepare(`SELECT * FROM dep_nodes ${where} ORDER BY source, id`).all(...args) as NodeRow[]).map(toNode);
    const edges = (this.db.prepare(`SELECT * FROM dep_edges ${where} ORDER BY source, from_id, to_id`).all(...args) as EdgeRow[]).map(toEdge);
    return { nodes, edges };
  }

  /** Nodes whose id is `value` exactly, else whose name is `value` (case-insensitive). */
  findNodes(value: string): DepNode[] {
    const exact = this.db.prepare('SELECT * FROM dep_nodes WHERE id = ? ORDER BY source, id').all(value) as NodeRow[];
    if (exact.length) return exact.map(toNode);
    return (this.db.prepare('SELECT * FROM dep_nodes WHERE name_lc = ? ORDER BY source, id').all(value.toLowerCase()) as NodeRow[]).map(toNode);
  }

  /** Edges into any of `ids`: who depends on them. */
  dependentsOf(ids: string[]): DepEdge[] {
    if (!ids.length) return [];
    const stmt = this.db.prepare('SELECT * FROM dep_edges WHERE to_id = ? ORDER BY from_id, source');
    return ids.flatMap((id) => (stmt.all(id) as EdgeRow[]).map(toEdge));
  }

  node(id: string): DepNode | null {
    const row = this.db.prepare('SELECT * FROM dep_nodes WHERE id = ? ORDER BY source LIMIT 1').get(id) as NodeRow | undefined;
    return row ? toNode(row) : null;
  }
}
