import { z } from 'zod';
import { CaseId, JournalEntry, VerifyReport } from '../../model/index.js';
import { defineCommand } from '../contract.js';

export const listJournal = defineCommand({
  name: 'journal.list',
  summary: "List journal entries of one case (or of the whole database), oldest first",
  mutates: false,
  input: z.object({
    caseId: CaseId.optional(),
    afterSeq: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  }),
  output: z.object({ entries: z.array(JournalEntry) }),
});

export const verifyJournal = defineCommand({
  name: 'audit.verify',
  summary: 'Check the hash chain of the journal, for one case or all of them',
  mutates: false,
  input: z.object({ caseId: CaseId.optional() }).default({}),
  output: VerifyReport,
});
