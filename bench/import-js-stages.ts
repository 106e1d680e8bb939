// Scratch measurement behind the import figure's profile: what the importer's JavaScript costs per record, stage by
// stage, with no database at all (framing and JSON.parse, normalising, entity extraction, the stored JSON text,
// the original's text, the SHA-256 ids). Each stage runs over every record of the files before the next one.
//
//   node --import tsx bench/import-js-stages.ts FILE…
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { allFormats, extractEntities, frameRecords, type RawRecord } from '../core/ingest/index.js';
import { sniffFormat } from '../core/ingest/sniff.js';
import type { NormalizedEvent } from '../core/model/index.js';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node --import tsx bench/import-js-stages.ts FILE…');
  process.exit(2);
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const totals = new Map<string, number>();
let rows = 0;
const time = <T>(stage: string, fn: () => T): T => {
  const start = performance.now();
  const result = fn();
  totals.set(stage, (totals.get(stage) ?? 0) + performance.now() - start);
  return result;
};

for (const file of files) {
  const start = performance.now();
  const records: RawRecord[] = [];
  for await (const r of frameRecords(fs.createReadStream(file, { highWaterMark: 1 << 20 }))) records.push(r);
  totals.set('frame: read, split lines, UTF-8 decode, JSON.parse', (totals.get('frame: read, split lines, UTF-8 decode, JSON.parse') ?? 0) + performance.now() - start);
  const values = records.map((r) => r.value!);
  const format = sniffFormat(values.slice(0, 20), allFormats, 'json')!.format;
  const events = time(`normalise (${format.name})`, () =>
    values.map((v, line) => {
      const r = format.normalize(v, { file, line });
      if (r.kind !== 'event') throw new Error('expected events');
      return { event: r.event, identity: `${format.name}\0${r.identity}` };
    }),
  );
  const entities = time('extractEntities', () => events.map((e) => extractEntities(e.event)));
  time('JSON.stringify(normalised event) for doc', () => events.map((e) => JSON.stringify(e.event)));
  time("record.bytes.toString('utf8') for original", () => records.map((r) => r.bytes.toString('utf8')));
  time('SHA-256: dedup key and event id', () => events.map((e) => sha256(`case\0${sha256(e.identity)}`)));
  time('SHA-256: entity ids (first sight per file)', () => {
    const seen = new Map<string, string>();
    for (const list of entities) {
      for (const en of list) {
        const key = `${en.type}\0${en.canonical}`;
        if (!seen.has(key)) seen.set(key, sha256(`case\0${key}`));
      }
    }
  });
  time('title, host, user, techniques columns', () =>
    events.map(({ event: e }: { event: NormalizedEvent }) => [
      e.rule?.name ?? e.event.action ?? e.message?.slice(0, 160) ?? '',
      e.host?.name ?? e.host?.hostname ?? null,
      e.user?.name ? (e.user.domain && !e.user.name.includes('\\') ? `${e.user.domain}\\${e.user.name}` : e.user.name) : null,
      (e.threat?.technique?.id ?? []).join(' '),
    ]),
  );
  rows += records.length;
}

let sum = 0;
console.log(`${rows} records from ${files.length} file(s); JavaScript only, no database\n`);
for (const [stage, ms] of totals) {
  sum += ms;
  console.log(`${((ms * 1000) / rows).toFixed(1).padStart(8)} µs/row  ${stage}`);
}
console.log(`${((sum * 1000) / rows).toFixed(1).padStart(8)} µs/row  total`);
