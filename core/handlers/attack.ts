import { attackCatalogue, buildMatrix } from '../detect/attack/index.js';
import type { Handler } from '../router.js';
import { requireCase } from './cases.js';

export const attackLookup: Handler<'attack.lookup'> = (input) => attackCatalogue().lookup(input.query);

export const attackMatrix: Handler<'attack.matrix'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const groups = ctx.store.read(() => ctx.store.events.techniqueGroups(input.caseId));
  return { caseId: input.caseId, ...buildMatrix(attackCatalogue(), groups) };
};
