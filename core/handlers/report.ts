import { createHash } from 'node:crypto';
import type { Handler } from '../router.js';
import { collectReport, reportBlocks, toHtml, toMarkdown } from '../report/case-report.js';
import { requireCase } from './cases.js';

/** Journaled with the digest of what was handed out, so a report can later be matched to the case as it was. */
export const exportReport: Handler<'report.export'> = (input, ctx) => {
  const c = requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const data = collectReport(ctx.store, c, ctx.store.events.incidents(input.caseId), ctx.store.journal.verify(input.caseId), ctx.now());
  const blocks = reportBlocks(data);
  const text = input.format === 'html' ? toHtml(blocks, `Case report: ${c.name}`) : toMarkdown(blocks);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const slug = c.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || c.id;
  const fileName = `quell-report-${slug}.${input.format === 'html' ? 'html' : 'md'}`;
  ctx.journal(input.caseId, 'report.exported', { format: input.format, fileName, sha256, bytes: Buffer.byteLength(text), journalOk: data.verify.ok });
  return { caseId: c.id, format: input.format, fileName, text, sha256, journalOk: data.verify.ok };
};
