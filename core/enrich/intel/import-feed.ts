import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../../api/index.js';
import type { Actor, FeedFormat, FeedSummary, Reliability } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { parseCsv } from './parse-csv.js';
import { parseMisp } from './parse-misp.js';
import { parseStix } from './parse-stix.js';
import type { ParsedFeed } from './parsed-feed.js';

export interface FeedImportInput {
  path: string;
  name: string;
  reliability: Reliability;
  format?: FeedFormat | undefined;
}

const PARSERS: Record<FeedFormat, (text: string, file: string) => ParsedFeed> = { stix: parseStix, misp: parseMisp, csv: parseCsv };

/** STIX bundles and MISP events are JSON and say what they are; anything else is read as CSV only if named so. */
export function detectFeedFormat(text: string, file: string): FeedFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    if (/"type"\s*:\s*"bundle"/.test(head.slice(0, 4096))) return 'stix';
    if (/"(Event|response)"\s*:/.test(head.slice(0, 4096))) return 'misp';
  }
  throw new QuellError('invalid_input', `${file}: cannot tell the feed format (a STIX 2.1 bundle, a MISP JSON event or a .csv file); name it with format.`, {
    details: { file },
  });
}

/**
 * Reads a feed file and replaces the feed of that name with what it holds, all or nothing: a bad record stops the
 * import with an error naming it, and the feed already stored under that name stays as it was.
 */
export function importFeed(store: Store, input: FeedImportInput, ctx: { id: string; at: string; actor: Actor }): FeedSummary & { replaced: boolean } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(input.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new QuellError(code === 'ENOENT' ? 'not_found' : 'invalid_input', `Cannot read feed file ${input.path}: ${code ?? (err as Error).message}.`, {
      details: { file: input.path },
    });
  }
  const text = bytes.toString('utf8');
  const file = path.basename(input.path);
  const format = input.format ?? detectFeedFormat(text, file);
  const parsed = PARSERS[format](text, file);
  const report = parsed.report();
  const feed = { id: ctx.id, name: input.name, format, reliability: input.reliability, file: input.path, sha256: createHash('sha256').update(bytes).digest('hex'), importedAt: ctx.at, report };
  return store.write(() => {
    const { replaced } = store.intel.replaceFeed(feed, parsed.indicators());
    store.journal.append({
      at: ctx.at,
      caseId: null,
      actor: ctx.actor,
      action: 'intel.feed.imported',
      payload: {
        feed: input.name,
        feedId: ctx.id,
        replacedFeedId: replaced,
        format,
        reliability: input.reliability,
        file: input.path,
        sha256: feed.sha256,
        indicators: report.indicators,
        byType: report.byType,
        duplicates: report.duplicates,
        unsupported: report.unsupported.length,
        skipped: report.skipped,
      },
    });
    return { ...feed, replaced: replaced !== null };
  });
}
