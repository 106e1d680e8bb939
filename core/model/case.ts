import { z } from 'zod';
import { CaseId, NoteId } from './ids.js';

export const CaseStatus = z.enum(['open', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const CaseSummary = z.object({
  id: CaseId,
  name: z.string(),
  description: z.string(),
  status: CaseStatus,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const Note = z.object({
  id: NoteId,
  caseId: CaseId,
  body: z.string(),
  author: z.string(),
  createdAt: z.iso.datetime(),
});
export type Note = z.infer<typeof Note>;
