import type { IndicatorType } from '../../model/index.js';
import { ParsedFeed } from './parsed-feed.js';

/** The `type` words a CSV feed may use, and what each means. `hash` takes the algorithm from the length. */
export const CSV_TYPES: Record<string, [IndicatorType, string?]> = {
  ip: ['ip'],
  ipv4: ['ip'],
  ipv6: ['ip'],
  'ipv4-addr': ['ip'],
  'ipv6-addr': ['ip'],
  'ip-src': ['ip'],
  'ip-dst': ['ip'],
  domain: ['domain'],
  'domain-name': ['domain'],
  hostname: ['domain'],
  url: ['url'],
  md5: ['hash', 'md5'],
  sha1: ['hash', 'sha1'],
  'sha-1': ['hash', 'sha1'],
  sha256: ['hash', 'sha256'],
  'sha-256': ['hash', 'sha256'],
  hash: ['hash'],
};

/**
 * A CSV list (RFC 4180 quoting): a header row naming at least `value` and `type` (any order, any case; other
 * columns are ignored except `confidence`, 0–100). Blank lines and lines starting with `#` are comments.
 */
export function parseCsv(text: string, file: string): ParsedFeed {
  const feed = new ParsedFeed(file);
  let header: { value: number; type: number; confidence: number; width: number } | null = null;
  for (const { line, fields } of records(text, feed)) {
    if (fields.length === 1 && (fields[0]!.trim() === '' || fields[0]!.trimStart().startsWith('#'))) continue;
    if (!header) {
      const names = fields.map((f) => f.trim().toLowerCase());
      const value = names.indexOf('value');
      const type = names.indexOf('type');
      if (value === -1 || type === -1) {
        throw feed.error(`line ${line}`, `the header row must name the columns "value" and "type" (found ${names.map((n) => JSON.stringify(n)).join(', ')})`);
      }
      header = { value, type, confidence: names.indexOf('confidence'), width: names.length };
      continue;
    }
    const where = `line ${line}`;
    if (fields.length !== header.width) throw feed.error(where, `${fields.length} fields, the header has ${header.width}`);
    const typeWord = fields[header.type]!.trim().toLowerCase();
    const known = CSV_TYPES[typeWord];
    if (!known) throw feed.error(where, `type ${JSON.stringify(typeWord)} is not one of ${Object.keys(CSV_TYPES).join(', ')}`);
    let confidence: number | null = null;
    if (header.confidence !== -1 && fields[header.confidence]!.trim() !== '') {
      const c = Number(fields[header.confidence]!.trim());
      if (!Number.isInteger(c) || c < 0 || c > 100) throw feed.error(where, `confidence ${JSON.stringify(fields[header.confidence])} is not a whole number from 0 to 100`);
      confidence = c;
    }
    feed.add(known[0], fields[header.value]!, where, where, confidence, known[1]);
  }
  if (!header) throw feed.error('line 1', 'no header row (the file is empty)');
  return feed;
}

/** CSV records with the line each starts on; a quoted field may span lines. */
function* records(text: string, feed: ParsedFeed): Generator<{ line: number; fields: string[] }> {
  let line = 1;
  let i = 0;
  const body = text.replace(/^\uFEFF/, '');
  while (i < body.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    for (;;) {
      if (body[i] === '"' && field === '') {
        i++;
        for (;;) {
          if (i >= body.length) throw feed.error(`line ${start}`, 'a quoted field is not closed');
          if (body[i] === '"') {
            if (body[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (body[i] === '\n') line++;
          field += body[i++];
        }
        if (i < body.length && body[i] !== ',' && body[i] !== '\n' && body[i] !== '\r') {
          throw feed.error(`line ${line}`, 'text after a closing quote');
        }
      }
      const c = body[i];
      if (c === undefined || c === '\n' || (c === '\r' && body[i + 1] === '\n')) {
        fields.push(field);
        i += c === undefined ? 0 : c === '\r' ? 2 : 1;
        line++;
        break;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        i++;
        continue;
      }
      field += c;
      i++;
    }
    yield { line: start, fields };
  }
}
