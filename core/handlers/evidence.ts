import { QuellError } from '../api/index.js';
import { allFormats, importFile, regroupIncidents } from '../ingest/index.js';
import type { ImportSummary } from '../model/index.js';
import type { Handler } from '../router.js';
import { requireCase } from './cases.js';

export const importEvidence: Handler<'evidence.import'> = async (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const actor = { kind: 'importer' as const, id: ctx.actor.id };
  const files: ImportSummary[] = [];
  for (const [index, filePath] of input.paths.entries()) {
    files.push(
      await importFile({
        store: ctx.store,
        caseId: input.caseId,
        filePath,
        formats: allFormats,
        formatName: input.format,
        actor,
        clock: ctx.clock,
        ids: ctx.ids,
        onProgress: (p) => ctx.emit('import.progress', { caseId: input.caseId, fileIndex: index, fileCount: input.paths.length, ...p }),
      }),
    );
  }
  regroupIncidents(ctx.store, input.caseId, { at: ctx.now(), actor });
  const byFormat: Record<string, number> = {};
  for (const f of files) byFormat[f.format] = (byFormat[f.format] ?? 0) + f.read;
  const sum = (key: 'read' | 'stored' | 'duplicates' | 'quarantined' | 'skipped') => files.reduce((n, f) => n + f[key], 0);
  return {
    files,
    totals: {
      read: sum('read'),
      stored: sum('stored'),
      duplicates: sum('duplicates'),
      quarantined: sum('quarantined'),
      skipped: sum('skipped'),
      incidents: ctx.store.events.incidents(input.caseId).length,
      byFormat,
    },
  };
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
