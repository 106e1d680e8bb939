import { z } from 'zod';
import { CaseId, CaseStatus, CaseSummary, EventId, EvidenceItem, Note, Task } from '../../model/index.js';
import { defineCommand } from '../contract.js';

export const createCase = defineCommand({
  name: 'case.create',
  summary: 'Open a new case',
  mutates: true,
  input: z.object({
    name: z.string().trim().min(1, 'a case needs a name').max(200, 'keep the name under 200 characters'),
    description: z.string().max(10_000).default(''),
  }),
  output: CaseSummary,
});

export const listCases = defineCommand({
  name: 'case.list',
  summary: 'List cases, newest first',
  mutates: false,
  input: z.object({}).default({}),
  output: z.object({ cases: z.array(CaseSummary) }),
});

export const getCase = defineCommand({
  name: 'case.get',
  summary: 'Read one case',
  mutates: false,
  input: z.object({ caseId: CaseId }),
  output: CaseSummary,
});

export const addNote = defineCommand({
  name: 'note.add',
  summary: 'Add an analyst note to a case',
  mutates: true,
  input: z.object({ caseId: CaseId, body: z.string().trim().min(1, 'a note needs text').max(100_000) }),
  output: Note,
});

export const listNotes = defineCommand({
  name: 'note.list',
  summary: "List a case's notes, oldest first",
  mutates: false,
  input: z.object({ caseId: CaseId }),
  output: z.object({ notes: z.array(Note) }),
});

export const setCaseStatus = defineCommand({
  name: 'case.setStatus',
  summary: 'Close or reopen a case, with the reason',
  mutates: true,
  input: z.object({ caseId: CaseId, status: CaseStatus, reason: z.string().trim().min(1, 'say why').max(5000) }),
  output: CaseSummary,
});

export const addTask = defineCommand({
  name: 'task.add',
  summary: 'Add a task to a case (who does it, by when)',
  mutates: true,
  input: z.object({
    caseId: CaseId,
    title: z.string().trim().min(1, 'a task needs a title').max(500),
    assignee: z.string().trim().min(1).max(200).optional(),
    dueAt: z.iso.datetime().optional(),
  }),
  output: Task,
});

export const listTasks = defineCommand({
  name: 'task.list',
  summary: "A case's tasks, oldest first",
  mutates: false,
  input: z.object({ caseId: CaseId }),
  output: z.object({ tasks: z.array(Task) }),
});

export const tagEvent = defineCommand({
  name: 'event.tag',
  summary: 'Add tags to a record of a case (existing tags stay)',
  mutates: true,
  input: z.object({ caseId: CaseId, eventId: EventId, tags: z.array(z.string().trim().min(1).max(200).regex(/^[^\x1f]*$/)).min(1).max(50) }),
  output: z.object({ eventId: EventId, tags: z.array(z.string()), added: z.array(z.string()) }),
});

export const addEvidence = defineCommand({
  name: 'evidence.add',
  summary: 'Record an evidence item in a case (its SHA-256 and size; the text itself is not kept)',
  mutates: true,
  input: z.object({ caseId: CaseId, name: z.string().trim().min(1).max(500), content: z.string().max(10_000_000) }),
  output: EvidenceItem,
});
