// `quell sigma match`: rules over evidence files as they are, read with the importer's framing and format sniffing,
// without a case database.
import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../../api/errors.js';
import { allFormats } from '../../ingest/formats/index.js';
import type { FormatDef } from '../../ingest/formats/types.js';
import { frameRecords, recordReader, type Framing, type RawRecord } from '../../ingest/framing.js';
import { fileSize } from '../../ingest/read-evidence.js';
import { sniffFormat } from '../../ingest/sniff.js';
import type { Hit, MatchedField, SigmaEngine } from './engine.js';
import type { Raw, RecordView } from './sources.js';

export interface FileRecordMatch {
  file: string;
  line: number;
  format: string;
  /** Ids of the rules that matched, in rule load order. */
  rules: string[];
  /** With `explain`: what matched, per rule id. */
  matches?: Record<string, MatchedField[]>;
  /** A record that could not be read (not JSON, truncated …): matched by nothing. */
  error?: string;
}

const SNIFF_SAMPLE = 20;

/**
 * Every record of one file with the rules it matches, in file order. The format is sniffed from the first records
 * as an import would (or forced with `formatName`); a file whose format cannot be told is refused whole.
 */
export async function* matchFile(
  engine: SigmaEngine,
  filePath: string,
  options: { formatName?: string | undefined; explain?: boolean } = {},
): AsyncGenerator<FileRecordMatch> {
  fileSize(filePath);
  const file = path.basename(filePath);
  let framing: Framing = 'empty';
  const stream = fs.createReadStream(filePath, { highWaterMark: 1 << 20 });
  const next = recordReader(frameRecords(stream, { onFraming: (f) => (framing = f) }));
  try {
    // Sample the first parseable records to choose the format, as an import does.
    const pending: RawRecord[] = [];
    let parsed = 0;
    let ended = false;
    while (parsed < SNIFF_SAMPLE) {
      const r = await next();
      if (!r) {
        ended = true;
        break;
      }
      pending.push(r);
      if (r.value) parsed++;
      if (r.line === 0) {
        ended = true;
        break;
      }
    }
    const format = chooseFormat(options.formatName, pending.flatMap((r) => (r.value ? [r.value] : [])), framing, filePath);
    const one = (r: RawRecord): FileRecordMatch => matchOne(engine, r, format, file, options.explain === true);
    for (const r of pending) yield one(r);
    if (!ended) for (let r = await next(); r; r = r.line === 0 ? null : await next()) yield one(r);
  } finally {
    stream.destroy();
  }
}

function matchOne(engine: SigmaEngine, r: RawRecord, format: FormatDef, file: string, explain: boolean): FileRecordMatch {
  if (!r.value) return { file, line: r.line, format: format.name, rules: [], error: r.error ?? 'empty record' };
  const raw = r.value;
  let doc: Raw | null | undefined;
  const view: RecordView = {
    format: format.name,
    raw,
    file,
    // The normalised document only when a rule asks for an ECS name the original lacks.
    doc: () => {
      if (doc === undefined) {
        try {
          const n = format.normalize(raw, { file, line: r.line });
          doc = n.kind === 'event' ? (n.event as unknown as Raw) : null;
        } catch {
          doc = null;
        }
      }
      return doc ?? undefined;
    },
  };
  const hits: Hit[] = engine.match(view);
  const out: FileRecordMatch = { file, line: r.line, format: format.name, rules: hits.map((h) => h.rule.info.id) };
  if (explain && hits.length) out.matches = Object.fromEntries(hits.map((h) => [h.rule.info.id, engine.explain(view, h)]));
  return out;
}

function chooseFormat(formatName: string | undefined, samples: Record<string, unknown>[], framing: Framing, filePath: string): FormatDef {
  const names = allFormats.map((f) => f.name).join(', ');
  if (formatName) {
    const forced = allFormats.find((f) => f.name === formatName);
    if (!forced) throw new QuellError('invalid_input', `Unknown format "${formatName}". Known formats: ${names}.`);
    return forced;
  }
  if (framing === 'empty') throw new QuellError('invalid_input', `${filePath} holds no records (it is empty or only blank lines).`);
  const sniffed = sniffFormat(samples.slice(0, SNIFF_SAMPLE), allFormats, framing === 'zeek-tsv' ? 'zeek-tsv' : 'json');
  if (!sniffed) {
    const keys = samples[0] ? Object.keys(samples[0]).slice(0, 8).join(', ') : 'none parseable';
    throw new QuellError('invalid_input', `Could not recognise the format of ${filePath} (first record's keys: ${keys}). Name it with --format, one of: ${names}.`);
  }
  return sniffed.format;
}
