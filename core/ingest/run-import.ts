import type { CommandInput, CommandOutput, EventPayload } from '../api/index.js';
import type { Actor, ImportSummary } from '../model/index.js';
import type { Clock, IdSource } from '../runtime.js';
import type { Store } from '../store/index.js';
import { importFile } from './import-file.js';
import { regroupIncidents } from './incidents.js';

export type ImportInput = CommandInput<'evidence.import'>;
export type ImportResult = CommandOutput<'evidence.import'>;
export type ImportProgressEvent = EventPayload<'import.progress'>;

/** Where evidence.import runs: in this thread (the CLI), or in a worker so a host stays responsive. */
export type ImportRunner = (input: ImportInput, actor: Actor, onProgress: (p: ImportProgressEvent) => void) => Promise<ImportResult>;

/** Imports every file of one evidence.import call, then regroups the case's incidents once. */
export async function runImport(
  store: Store,
  input: ImportInput,
  deps: {
    actor: Actor;
    clock: Clock;
    ids: IdSource;
    onProgress: (p: ImportProgressEvent) => void;
    /** The import worker entry: when given, each file is read and normalised in a thread of its own. */
    readerScript?: string | URL | undefined;
  },
): Promise<ImportResult> {
  const actor = { kind: 'importer' as const, id: deps.actor.id };
  const files: ImportSummary[] = [];
  for (const [index, filePath] of input.paths.entries()) {
    files.push(
      await importFile({
        store,
        caseId: input.caseId,
        filePath,
        formatName: input.format,
        readerScript: deps.readerScript,
        actor,
        clock: deps.clock,
        ids: deps.ids,
        onProgress: (p) => deps.onProgress({ caseId: input.caseId, fileIndex: index, fileCount: input.paths.length, ...p }),
      }),
    );
  }
  regroupIncidents(store, input.caseId, { at: deps.clock.now().toISOString(), actor });
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
      // A count, not the list: a million records make ~100k incidents, and parsing them all weighed ~250 MB.
      incidents: store.events.incidentCount(input.caseId),
      byFormat,
    },
  };
}
