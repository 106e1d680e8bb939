import { QuellError } from '../api/index.js';
import { createHash } from 'node:crypto';
import type { CaseSummary, EvidenceItem, Note, Task } from '../model/index.js';
import type { Handler } from '../router.js';

export const createCase: Handler<'case.create'> = (input, ctx) => {
  const now = ctx.now();
  const created: CaseSummary = {
    id: ctx.ids.next('case') as CaseSummary['id'],
    name: input.name,
    description: input.description,
    status: 'open',
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.cases.insert(created);
  ctx.journal(created.id, 'case.created', { name: created.name, description: created.description });
  return created;
};

export const listCases: Handler<'case.list'> = (_input, ctx) => ({ cases: ctx.store.read(() => ctx.store.cases.list()) });

export const getCase: Handler<'case.get'> = (input, ctx) => requireCase(ctx.store.cases.get(input.caseId), input.caseId);

export const addNote: Handler<'note.add'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const note: Note = {
    id: ctx.ids.next('note') as Note['id'],
    caseId: input.caseId,
    body: input.body,
    author: ctx.actor.id,
    createdAt: ctx.now(),
  };
  ctx.store.notes.insert(note);
  ctx.journal(input.caseId, 'note.added', { noteId: note.id, body: note.body });
  return note;
};

export const listNotes: Handler<'note.list'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return { notes: ctx.store.notes.listByCase(input.caseId) };
};

export function requireCase(found: CaseSummary | undefined, caseId: string): CaseSummary {
  if (!found) throw new QuellError('not_found', `No case with id ${caseId}.`, { details: { caseId } });
  return found;
}

export const setCaseStatus: Handler<'case.setStatus'> = (input, ctx) => {
  const found = requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const now = ctx.now();
  ctx.store.db.prepare('UPDATE cases SET status = ?, updated_at = ? WHERE id = ?').run(input.status, now, input.caseId);
  ctx.journal(input.caseId, 'case.status.set', { from: found.status, to: input.status, reason: input.reason });
  return { ...found, status: input.status, updatedAt: now };
};

interface TaskRow {
  id: string;
  case_id: string;
  title: string;
  status: 'open' | 'done';
  assignee: string | null;
  due_at: string | null;
  created_at: string;
  updated_at: string;
}

const toTask = (r: TaskRow): Task => ({
  id: r.id,
  caseId: r.case_id as Task['caseId'],
  title: r.title,
  status: r.status,
  assignee: r.assignee,
  dueAt: r.due_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const addTask: Handler<'task.add'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const now = ctx.now();
  const task: Task = {
    id: ctx.ids.next('task'),
    caseId: input.caseId,
    title: input.title,
    status: 'open',
    assignee: input.assignee ?? null,
    dueAt: input.dueAt ?? null,
    createdAt: now,
    updatedAt: now,
  };
  ctx.store.db
    .prepare('INSERT INTO tasks (id, case_id, title, status, assignee, due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(task.id, task.caseId, task.title, task.status, task.assignee, task.dueAt, now, now);
  ctx.journal(input.caseId, 'task.added', { taskId: task.id, title: task.title, assignee: task.assignee, dueAt: task.dueAt });
  return task;
};

export const listTasks: Handler<'task.list'> = (input, ctx) =>
  ctx.store.read(() => {
    requireCase(ctx.store.cases.get(input.caseId), input.caseId);
    const rows = ctx.store.db.prepare('SELECT * FROM tasks WHERE case_id = ? ORDER BY created_at, rowid').all(input.caseId) as TaskRow[];
    return { tasks: rows.map(toTask) };
  });

export const tagEvent: Handler<'event.tag'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const row = ctx.store.db.prepare('SELECT tags FROM events WHERE id = ? AND case_id = ?').get(input.eventId, input.caseId) as
    | { tags: string }
    | undefined;
  if (!row) throw new QuellError('not_found', `No record ${input.eventId} in case ${input.caseId}.`, { details: { eventId: input.eventId } });
  const existing = row.tags ? row.tags.slice(1, -1).split('\x1f') : [];
  const known = new Set(existing.map((t) => t.toLowerCase()));
  const added = [...new Set(input.tags)].filter((t) => !known.has(t.toLowerCase()));
  const tags = [...existing, ...added];
  if (added.length) {
    ctx.store.db.prepare('UPDATE events SET tags = ? WHERE id = ?').run(`\x1f${tags.join('\x1f')}\x1f`, input.eventId);
  }
  ctx.journal(input.caseId, 'event.tagged', { eventId: input.eventId, added });
  return { eventId: input.eventId, tags, added };
};

export const addEvidence: Handler<'evidence.add'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const bytes = Buffer.from(input.content, 'utf8');
  const item: EvidenceItem = {
    id: ctx.ids.next('evidence'),
    caseId: input.caseId,
    name: input.name,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    addedAt: ctx.now(),
  };
  ctx.store.db
    .prepare('INSERT INTO evidence (id, case_id, name, sha256, size, path, added_at) VALUES (?, ?, ?, ?, ?, NULL, ?)')
    .run(item.id, item.caseId, item.name, item.sha256, item.size, item.addedAt);
  ctx.journal(input.caseId, 'evidence.added', { evidenceId: item.id, name: item.name, sha256: item.sha256, size: item.size });
  return item;
};
