import { QuellError } from '../api/index.js';
import { regroupIncidents, runImport, type ImportProgressEvent, type ImportRunner } from '../ingest/index.js';
import type { Handler } from '../router.js';
import { requireCase } from './cases.js';

/**
 * evidence.import runs through the injected runner (a worker in the hosts) or in this thread (the CLI), which then
 * reads the files in a worker when it has the script for one.
 */
export const importEvidence =
  (runner: ImportRunner | undefined, readerScript: string | URL | undefined): Handler<'evidence.import'> =>
  async (input, ctx) => {
    requireCase(ctx.store.cases.get(input.caseId), input.caseId);
    const onProgress = (p: ImportProgressEvent) => ctx.emit('import.progress', p);
    if (!runner) return runImport(ctx.store, input, { actor: ctx.actor, clock: ctx.clock, ids: ctx.ids, onProgress, readerScript });
    const result = await runner(input, ctx.actor, onProgress);
    // Announce the worker's journal entries now rather than at the next watcher tick, so they precede the answer.
    ctx.store.pollExternalCommits();
    return result;
  };

export const listEvents: Handler<'event.list'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return ctx.store.read(() => ctx.store.events.list(input));
};

export const getEvent: Handler<'event.get'> = (input, ctx) => {
  const found = ctx.store.read(() => ctx.store.events.get(input.caseId, input.eventId));
  if (!found) throw new QuellError('not_found', `No record ${input.eventId} in case ${input.caseId}.`, { details: { ...input } });
  return found;
};

export const listQuarantine: Handler<'quarantine.list'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return ctx.store.read(() => ctx.store.events.quarantine(input.caseId, input.limit, input.offset));
};

export const listIncidents: Handler<'incident.list'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return { incidents: ctx.store.read(() => ctx.store.events.incidents(input.caseId)) };
};

export const regroup: Handler<'incident.regroup'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return regroupIncidents(ctx.store, input.caseId, { at: ctx.now(), actor: ctx.actor, windowMs: input.windowMinutes * 60_000 });
};
