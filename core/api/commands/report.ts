import { z } from 'zod';
import { CaseId } from '../../model/index.js';
import { defineCommand } from '../contract.js';

export const exportReport = defineCommand({
  name: 'report.export',
  summary: 'The case report (Markdown or a self-contained HTML page): findings, response runs, approvals, journal check',
  mutates: true,
  input: z.object({ caseId: CaseId, format: z.enum(['markdown', 'html']).default('markdown') }),
  output: z.object({
    caseId: z.string(),
    format: z.enum(['markdown', 'html']),
    fileName: z.string(),
    text: z.string(),
    sha256: z.string(),
    journalOk: z.boolean(),
  }),
});
