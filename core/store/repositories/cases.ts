import type { CaseSummary } from '../../model/index.js';
import type { Db } from '../open.js';

interface CaseRow {
  id: string;
  name: string;
  description: string;
  status: 'open' | 'closed';
  created_at: string;
  updated_at: string;
}

const toCase = (r: CaseRow): CaseSummary => ({
  id: r.id as CaseSummary['id'],
  name: r.name,
  description: r.description,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class CaseRepository {
  constructor(private readonly db: Db) {}

  insert(c: CaseSummary): void {
    this.db
      .prepare('INSERT INTO cases (id, name, description, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.id, c.name, c.description, c.status, c.createdAt, c.updatedAt);
  }

  get(id: string): CaseSummary | undefined {
    const row = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
    return row && toCase(row);
  }

  list(): CaseSummary[] {
    return (this.db.prepare('SELECT * FROM cases ORDER BY created_at DESC, rowid DESC').all() as CaseRow[]).map(toCase);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
  }
}
