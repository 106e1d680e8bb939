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

export const Task = z.object({
  id: z.string(),
  caseId: CaseId,
  title: z.string(),
  status: z.enum(['open', 'done']),
  assignee: z.string().nullable(),
  dueAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Task = z.infer<typeof Task>;

export const EvidenceItem = z.object({
  id: z.string(),
  caseId: CaseId,
  name: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  addedAt: z.string(),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;
