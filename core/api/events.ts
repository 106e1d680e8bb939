import { z } from 'zod';
import { JournalEntry } from '../model/index.js';
import { defineEvent } from './contract.js';

export const journalAppended = defineEvent({
  name: 'journal.appended',
  payload: JournalEntry,
});

export const events = { [journalAppended.name]: journalAppended } as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;
export const eventNames = Object.keys(events) as EventName[];
export const EventName = z.enum(eventNames as [EventName, ...EventName[]]);
