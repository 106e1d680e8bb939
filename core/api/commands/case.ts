import { z } from 'zod';
import { CaseId, CaseSummary, Note } from '../../model/index.js';
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
