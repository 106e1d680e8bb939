import { QuellError } from '../api/index.js';
import type { CaseSummary, Note } from '../model/index.js';
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
