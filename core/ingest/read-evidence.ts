import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../api/errors.js';
import { allFormats } from './formats/index.js';
import type { FormatDef } from './formats/types.js';
import { frameRecords, recordReader, type Framing, type RawRecord, type ZeekHeader } from './framing.js';
import { prepareRecord, type PreparedRecord } from './prepare-record.js';
import { sniffFormat } from './sniff.js';

export interface ReadOptions {
  filePath: string;
  caseId: string;
  /** Force a format by name instead of sniffing. */
  formatName?: string | undefined;
  batchSize?: number | undefined;
  /** A batch also ends once its records reach this many bytes, so large records do not make large batches. */
  batchBytes?: number | undefined;
}

/**
 * What reading one evidence file yields, in order: a header once the format is known, then batches of prepared
 * records, then the end with the file's digest. Plain data, so a reader in another thread can post it unchanged.
 */
export type ReadMessage =
  | { type: 'header'; format: string; calibration?: string; totalBytes: number; zeekHeaders?: ZeekHeader[] }
  | { type: 'batch'; records: PreparedRecord[]; lines: [first: number, last: number]; bytesRead: number }
  | { type: 'end'; bytesRead: number; sha256: string; zeekHeaders?: ZeekHeader[] };

/** The same messages with a batch's records as something to iterate once (a reader thread hands them over in parts). */
export type StreamedReadMessage =
  | Exclude<ReadMessage, { type: 'batch' }>
  | { type: 'batch'; records: Iterable<PreparedRecord>; lines: [first: number, last: number]; bytesRead: number };

const SNIFF_SAMPLE = 20;
/** Records held back before the first write, for formats that calibrate themselves on a file (clock offsets). */
const CALIBRATION_SAMPLE = 2000;

/**
 * Reads, frames, sniffs and normalises one evidence file into batches of prepared records. Refuses the file whole
 * (throwing, before any header) when it cannot be read or its format cannot be told; after that every record comes
 * out as stored, skipped or quarantined, so the writer can account for each one.
 */
export async function* readEvidence(options: ReadOptions): AsyncGenerator<ReadMessage> {
  const { filePath, caseId } = options;
  const file = path.basename(filePath);
  const totalBytes = fileSize(filePath);
  const stream = fs.createReadStream(filePath, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  const fileHash = createHash('sha256');
  stream.on('data', (chunk) => {
    bytesRead += chunk.length;
    fileHash.update(chunk);
  });
  let framing: Framing = 'empty';
  // Zeek TSV header blocks, kept with the import so the stored lines can be read by field name again (Sigma).
  const zeekHeaders: ZeekHeader[] = [];
  const next = recordReader(frameRecords(stream, { onFraming: (f) => (framing = f), onZeekHeader: (h) => zeekHeaders.push(h) }));

  try {
    // Sample the first parseable records to choose the format before anything is written.
    const pending: RawRecord[] = [];
    const samples: Record<string, unknown>[] = [];
    let ended = false;
    while (samples.length < CALIBRATION_SAMPLE) {
      const record = await next();
      if (!record) {
        ended = true;
        break;
      }
      pending.push(record);
      if (record.value) samples.push(record.value);
      if (record.line === 0 && record.error) {
        ended = true;
        break;
      }
    }
    // A stream broken before its first record (a damaged gzip header) is refused whole, saying why.
    const broken = pending.find((r) => r.line === 0 && r.error);
    if (broken && samples.length === 0) throw new QuellError('invalid_input', `${filePath}: ${broken.error}. Nothing was imported.`);
    const chosen = chooseFormat(options.formatName, samples.slice(0, SNIFF_SAMPLE), framing, filePath);
    const calibrated = chosen.calibrate?.(samples) ?? null;
    const format = calibrated?.format ?? chosen;
    yield {
      type: 'header',
      format: format.name,
      ...(calibrated ? { calibration: calibrated.note } : {}),
      totalBytes,
      ...(zeekHeaders.length ? { zeekHeaders: [...zeekHeaders] } : {}),
    };

    const batchSize = options.batchSize ?? 2000;
    const batchBytes = options.batchBytes ?? 4 * 1024 * 1024;
    let batch: PreparedRecord[] = [];
    let first = 0;
    let last = 0;
    let size = 0;
    const take = (record: RawRecord) => {
      if (!batch.length) first = record.line;
      last = record.line;
      size += record.bytes.length;
      batch.push(prepareRecord(record, format, file, caseId));
    };
    const isFull = () => batch.length >= batchSize || size >= batchBytes;
    const full = (): ReadMessage => {
      const message: ReadMessage = { type: 'batch', records: batch, lines: [first, last], bytesRead };
      batch = [];
      size = 0;
      return message;
    };
    // The records held back for sniffing and calibration go out in batches like the rest.
    for (const record of pending) {
      take(record);
      if (isFull()) yield full();
    }
    if (!ended) {
      for (let record = await next(); record; record = record.line === 0 && record.error ? null : await next()) {
        take(record);
        if (isFull()) yield full();
      }
    }
    if (batch.length) yield full();
    yield { type: 'end', bytesRead, sha256: fileHash.digest('hex'), ...(zeekHeaders.length ? { zeekHeaders } : {}) };
  } finally {
    stream.destroy();
  }
}

/** The size of an evidence file, or a clear error when it is missing or not a file. */
export function fileSize(filePath: string): number {
  try {
    const stat = fs.statSync(filePath);
    if (!stat.isFile()) throw new QuellError('invalid_input', `${filePath} is not a file.`);
    return stat.size;
  } catch (err) {
    if (err instanceof QuellError) throw err;
    throw new QuellError('not_found', `Cannot read ${filePath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
}

function chooseFormat(formatName: string | undefined, samples: Record<string, unknown>[], framing: Framing, filePath: string): FormatDef {
  const names = allFormats.map((f) => f.name).join(', ');
  if (formatName) {
    const forced = allFormats.find((f) => f.name === formatName);
    if (!forced) throw new QuellError('invalid_input', `Unknown format "${formatName}". Known formats: ${names}.`);
    return forced;
  }
  if (framing === 'empty') throw new QuellError('invalid_input', `${filePath} holds no records (it is empty or only blank lines).`);
  const sniffed = sniffFormat(samples, allFormats, framing === 'zeek-tsv' ? 'zeek-tsv' : 'json');
  if (!sniffed) {
    const keys = samples[0] ? Object.keys(samples[0]).slice(0, 8).join(', ') : 'none parseable';
    throw new QuellError(
      'invalid_input',
      `Could not recognise the format of ${filePath} (first record's keys: ${keys}). Name it with --format, one of: ${names}. Nothing was imported.`,
    );
  }
  return sniffed.format;
}
