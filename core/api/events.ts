import { z } from 'zod';
import { JournalEntry } from '../model/index.js';
import { defineEvent } from './contract.js';

export const journalAppended = defineEvent({
  name: 'journal.appended',
  payload: JournalEntry,
});

export const importProgress = defineEvent({
  name: 'import.progress',
  payload: z.object({
    caseId: z.string(),
    importId: z.string(),
    file: z.string(),
    fileIndex: z.number().int(),
    fileCount: z.number().int(),
    bytesRead: z.number().int(),
    totalBytes: z.number().int(),
    read: z.number().int(),
    stored: z.number().int(),
    duplicates: z.number().int(),
    quarantined: z.number().int(),
    skipped: z.number().int(),
  }),
});

export const connectorProgress = defineEvent({
  name: 'connector.progress',
  payload: z.object({
    connector: z.string(),
    caseId: z.string(),
    importId: z.string(),
    pages: z.number().int(),
    read: z.number().int(),
    stored: z.number().int(),
    duplicates: z.number().int(),
    quarantined: z.number().int(),
    skipped: z.number().int(),
    requests: z.number().int(),
    retries: z.number().int(),
    done: z.boolean(),
  }),
});

export const runUpdated = defineEvent({
  name: 'run.updated',
  payload: z.object({
    runId: z.string(),
    caseId: z.string(),
    status: z.string(),
    /** The step that just finished, when one did. */
    key: z.string().nullable(),
  }),
});

export const events = {
  [journalAppended.name]: journalAppended,
  [importProgress.name]: importProgress,
  [connectorProgress.name]: connectorProgress,
  [runUpdated.name]: runUpdated,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;
export const eventNames = Object.keys(events) as EventName[];
export const EventName = z.enum(eventNames as [EventName, ...EventName[]]);
