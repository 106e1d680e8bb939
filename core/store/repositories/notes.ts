import type { Note } from '../../model/index.js';
import type { Db } from '../open.js';

interface NoteRow {
  id: string;
  case_id: string;
  body: string;
  author: string;
  created_at: string;
}

const toNote = (r: NoteRow): Note => ({
  id: r.id as Note['id'],
  caseId: r.case_id as Note['caseId'],
  body: r.body,
  author: r.author,
  createdAt: r.created_at,
});

export class NoteRepository {
  constructor(private readonly db: Db) {}

  insert(n: Note): void {
    this.db
      .prepare('INSERT INTO notes (id, case_id, body, author, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(n.id, n.caseId, n.body, n.author, n.createdAt);
  }

  listByCase(caseId: string): Note[] {
    return (
      this.db.prepare('SELECT * FROM notes WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as NoteRow[]
    ).map(toNote);
  }
}
