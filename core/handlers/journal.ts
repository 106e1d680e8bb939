import type { Handler } from '../router.js';
import { requireCase } from './cases.js';

export const listJournal: Handler<'journal.list'> = (input, ctx) => {
  if (input.caseId !== undefined) requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return { entries: ctx.store.read(() => ctx.store.journal.list(input)) };
};

export const verifyJournal: Handler<'audit.verify'> = (input, ctx) => {
  // A case id that was never created is still worth checking: its entries may exist without their case row.
  return ctx.store.read(() => ctx.store.journal.verify(input.caseId));
};
