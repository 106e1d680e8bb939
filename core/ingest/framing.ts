import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** One record as framed from the file: its first line number, its exact bytes, and the parsed value or why not. */
export interface RawRecord {
  line: number;
  bytes: Buffer;
  value?: Record<string, unknown>;
  error?: string;
}

export type Framing = 'ndjson' | 'json-stream' | 'json-array' | 'zeek-tsv' | 'empty';

export interface FramingOptions {
  /** Records larger than this are quarantined, keeping their first 64 KiB. */
  maxRecordBytes?: number;
  /** Told once which framing the file turned out to have. */
  onFraming?: (framing: Framing, compressed: boolean) => void;
  /**
   * Zeek TSV: told each header block (before the first data line under it), so that a reader of the stored lines
   * can parse them again later (Sigma reads Zeek fields by name).
   */
  onZeekHeader?: (header: ZeekHeader) => void;
}

/** What a Zeek TSV header block says about the data lines under it, from `fromLine` on. */
export interface ZeekHeader {
  fromLine: number;
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path: string;
  fields: string[];
  types: string[];
}

const KEEP_OVERSIZED = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Frames a byte stream into records without ever holding the whole file: gzip is detected by its magic bytes, a
 * UTF-8 or UTF-16 byte-order mark is honoured, and the first meaningful byte chooses the framing. NDJSON is read
 * line by line so a damaged line costs only itself; other JSON is cut into top-level values by a byte scanner.
 */
export async function* frameRecords(input: Readable, options: FramingOptions = {}): AsyncGenerator<RawRecord> {
  const maxBytes = options.maxRecordBytes ?? 16 * 1024 * 1024;
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  while (head.length < 4) {
    const next = await chunks.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  const compressed = head[0] === 0x1f && head[1] === 0x8b;
  let source: AsyncIterable<Buffer> = prepend(head, chunks);
  if (compressed) source = gunzip(source);
  source = decodeBom(source);
  yield* frameDecoded(source, maxBytes, (f) => options.onFraming?.(f, compressed), options.onZeekHeader);
}

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (first.length) yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function* gunzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gz = createGunzip();
  const feed = (async () => {
    try {
      for await (const chunk of source) if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
      gz.end();
    } catch (err) {
      gz.destroy(err as Error);
    }
  })();
  try {
    for await (const chunk of gz) yield chunk as Buffer;
  } catch (err) {
    throw new FramingError(`the gzip data is damaged or cut short (${(err as Error).message})`);
  } finally {
    await feed;
  }
}

/** Damage that ends the stream itself (a broken gzip member); the pipeline quarantines what is left as one record. */
export class FramingError extends Error {}

/**
 * Records one at a time, null at the end. A stream that breaks mid-way (a truncated gzip) ends with one record
 * saying why, so it is quarantined like any other bad record rather than failing the whole file.
 */
export function recordReader(records: AsyncIterable<RawRecord>): () => Promise<RawRecord | null> {
  const it = records[Symbol.asyncIterator]();
  return async () => {
    try {
      const r = await it.next();
      return r.done ? null : r.value;
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      return { line: 0, bytes: Buffer.alloc(0), error: err.message };
    }
  };
}

async function* decodeBom(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let first = true;
  let decoder: TextDecoder | null = null;
  for await (let chunk of source) {
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      else if (chunk[0] === 0xff && chunk[1] === 0xfe) decoder = new TextDecoder('utf-16le');
      else if (chunk[0] === 0xfe && chunk[1] === 0xff) decoder = new TextDecoder('utf-16be');
      if (decoder) chunk = chunk.subarray(2);
    }
    yield decoder ? Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8') : chunk;
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield Buffer.from(rest, 'utf8');
  }
}

/** Splits a byte stream into lines (without the newline and any CR), numbering them from 1. */
async function* lines(source: AsyncIterable<Buffer>): AsyncGenerator<{ line: number; bytes: Buffer }> {
  let carry: Buffer = Buffer.alloc(0);
  let line = 0;
  for await (const chunk of source) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      yield { line: ++line, bytes: buf.subarray(start, end) };
      start = nl + 1;
    }
    carry = buf.subarray(start);
  }
  if (carry.length) yield { line: ++line, bytes: carry[carry.length - 1] === 13 ? carry.subarray(0, -1) : carry };
}

const isBlank = (b: Buffer) => {
  for (const byte of b) if (byte !== 32 && byte !== 9 && byte !== 13) return false;
  return true;
};

async function* frameDecoded(
  source: AsyncIterable<Buffer>,
  maxBytes: number,
  onFraming: (f: Framing) => void,
  onZeekHeader: ((header: ZeekHeader) => void) | undefined,
): AsyncGenerator<RawRecord> {
  const it = lines(source)[Symbol.asyncIterator]();
  // Find the first meaningful line to choose the framing; blank lines are not records.
  let first: { line: number; bytes: Buffer } | undefined;
  for (let n = await it.next(); !n.done; n = await it.next()) {
    if (!isBlank(n.value.bytes)) {
      first = n.value;
      break;
    }
  }
  if (!first) {
    onFraming('empty');
    return;
  }
  const text = first.bytes.toString('utf8').trimStart();
  const rest = { [Symbol.asyncIterator]: () => it };
  if (text.startsWith('#')) {
    onFraming('zeek-tsv');
    yield* zeekTsv(first, rest, onZeekHeader);
    return;
  }
  if (text.startsWith('{') && parsesAsObject(first.bytes)) {
    onFraming('ndjson');
    yield* ndjson(first, rest, maxBytes);
    return;
  }
  const framing = text.startsWith('[') ? 'json-array' : 'json-stream';
  onFraming(framing);
  yield* jsonValues(first, rest, maxBytes, framing === 'json-array');
}

function parsesAsObject(bytes: Buffer): boolean {
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** `size` is the whole record's; `prefix` holds at least its first KEEP_OVERSIZED bytes (or all of it). */
function oversized(prefix: Buffer, size: number, maxBytes: number): Pick<RawRecord, 'error' | 'bytes'> {
  return {
    bytes: prefix.subarray(0, KEEP_OVERSIZED),
    error: `record is ${size} bytes, over the ${maxBytes}-byte limit (first ${KEEP_OVERSIZED} bytes kept)`,
  };
}

function parseRecord(bytes: Buffer, maxBytes: number): Pick<RawRecord, 'value' | 'error' | 'bytes'> {
  if (bytes.length > maxBytes) return oversized(bytes, bytes.length, maxBytes);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { bytes, error: 'not valid UTF-8 text' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { bytes, error: `not valid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { bytes, error: `expected a JSON object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}` };
  }
  return { bytes, value: value as Record<string, unknown> };
}

async function* ndjson(
  first: { line: number; bytes: Buffer },
  rest: AsyncIterable<{ line: number; bytes: Buffer }>,
  maxBytes: number,
): AsyncGenerator<RawRecord> {
  yield { line: first.line, ...parseRecord(first.bytes, maxBytes) };
  for await (const { line, bytes } of rest) {
    if (isBlank(bytes)) continue;
    yield { line, ...parseRecord(bytes, maxBytes) };
  }
}

/**
 * Top-level JSON values that are not one per line: concatenated pretty-printed objects, or the elements of one
 * array. A byte scanner tracks strings and nesting depth; a value cut off by the end of the file is quarantined.
 */
async function* jsonValues(
  first: { line: number; bytes: Buffer },
  rest: AsyncIterable<{ line: number; bytes: Buffer }>,
  maxBytes: number,
  inArray: boolean,
): AsyncGenerator<RawRecord> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let arrayOpen = false;
  let parts: Buffer[] = [];
  let size = 0;
  // Bytes held in `parts`: all of a record within the limit, else enough of its start to keep KEEP_OVERSIZED.
  let kept = 0;
  const keepLimit = Math.max(maxBytes, KEEP_OVERSIZED) + 1;
  let startLine = 0;
  let stray: { line: number; bytes: number[] } | null = null;

  const flushStray = function* (): Generator<RawRecord> {
    if (stray && stray.bytes.some((b) => b !== 32 && b !== 9 && b !== 13 && b !== 10)) {
      const bytes = Buffer.from(stray.bytes);
      yield { line: stray.line, bytes, error: `unexpected text outside any JSON object: ${JSON.stringify(bytes.toString('utf8').trim().slice(0, 40))}` };
    }
    stray = null;
  };

  async function* all() {
    yield first;
    yield* rest;
  }

  for await (const { line, bytes } of all()) {
    let segmentStart = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (depth === 0) {
        if (b === 0x7b /* { */ || (b === 0x5b /* [ */ && !(inArray && !arrayOpen))) {
          yield* flushStray();
          depth = 1;
          startLine = line;
          segmentStart = i;
          parts = [];
          size = 0;
          kept = 0;
          continue;
        }
        if (inArray && !arrayOpen && b === 0x5b) {
          arrayOpen = true;
          continue;
        }
        if (inArray && arrayOpen && (b === 0x2c /* , */ || b === 0x5d /* ] */)) continue;
        stray ??= { line, bytes: [] };
        stray.bytes.push(b);
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
        continue;
      }
      if (b === 0x22) inString = true;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) {
          const piece = bytes.subarray(segmentStart, i + 1);
          if (kept < keepLimit) parts.push(piece);
          size += piece.length;
          const whole = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
          yield { line: startLine, ...(size > maxBytes ? oversized(whole, size, maxBytes) : parseRecord(whole, maxBytes)) };
          parts = [];
        }
      }
    }
    if (depth > 0) {
      const piece = bytes.subarray(segmentStart);
      // Keep the line break so the raw bytes are the record as it was written. Past the limit only a prefix is
      // kept, but the size still counts every byte, so an oversized record reports its real size.
      if (kept < keepLimit) {
        parts.push(piece, NEWLINE);
        kept += piece.length + 1;
      }
      size += piece.length + 1;
    } else if (stray) {
      stray.bytes.push(10);
    }
  }
  yield* flushStray();
  if (depth > 0) {
    const whole = Buffer.concat(parts);
    yield { line: startLine, bytes: whole.subarray(0, Math.min(whole.length, maxBytes)), error: 'truncated: the file ends inside this JSON value' };
  }
}

const NEWLINE = Buffer.from('\n');

/**
 * Zeek ASCII logs: the `#separator`, `#set_separator`, `#empty_field`, `#unset_field`, `#path`, `#fields` and
 * `#types` headers drive the parse. Unset fields are left out, empty sets become [], typed values are converted.
 */
async function* zeekTsv(
  first: { line: number; bytes: Buffer },
  rest: AsyncIterable<{ line: number; bytes: Buffer }>,
  onHeader?: (header: ZeekHeader) => void,
): AsyncGenerator<RawRecord> {
  let separator = '\t';
  let setSeparator = ',';
  let emptyField = '(empty)';
  let unsetField = '-';
  let path = '';
  let fields: string[] | null = null;
  let types: string[] = [];
  // Whether a header line changed since the last block was announced.
  let changed = true;

  async function* all() {
    yield first;
    yield* rest;
  }
  for await (const { line, bytes } of all()) {
    if (isBlank(bytes)) continue;
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      yield { line, bytes, error: 'not valid UTF-8 text' };
      continue;
    }
    if (text.startsWith('#')) {
      const [key, ...values] = text.slice(1).split(key0(text) === 'separator' ? ' ' : separator);
      switch (key) {
        case 'separator':
          separator = unescapeZeek(values.join(' '));
          break;
        case 'set_separator':
          setSeparator = values[0] ?? setSeparator;
          break;
        case 'empty_field':
          emptyField = values[0] ?? emptyField;
          break;
        case 'unset_field':
          unsetField = values[0] ?? unsetField;
          break;
        case 'path':
          path = values[0] ?? '';
          break;
        case 'fields':
          fields = values;
          break;
        case 'types':
          types = values;
          break;
        default:
          break; // #open, #close
      }
      if (key !== 'open' && key !== 'close') changed = true;
      continue;
    }
    if (!fields) {
      yield { line, bytes, error: 'Zeek data line before any #fields header' };
      continue;
    }
    const header: ZeekHeader = { fromLine: line, separator, setSeparator, emptyField, unsetField, path, fields, types };
    if (changed) {
      onHeader?.(header);
      changed = false;
    }
    const parsed = parseZeekLine(text, header);
    yield typeof parsed === 'string' ? { line, bytes, error: parsed } : { line, bytes, value: parsed };
  }
}

/** One Zeek TSV data line under its header: the record (`_path` added, unset fields left out), or why not. */
export function parseZeekLine(text: string, header: ZeekHeader): Record<string, unknown> | string {
  const cells = text.split(header.separator);
  if (cells.length !== header.fields.length) return `Zeek line has ${cells.length} fields but the #fields header names ${header.fields.length}`;
  const value: Record<string, unknown> = { _path: header.path };
  let bad: string | undefined;
  header.fields.forEach((name, i) => {
    const cell = cells[i]!;
    if (cell === header.unsetField) return;
    const converted = convertZeek(cell, header.types[i] ?? 'string', header.setSeparator, header.emptyField);
    if (converted instanceof Error) bad ??= `field ${name}: ${converted.message}`;
    else value[name] = converted;
  });
  return bad ?? value;
}

const key0 = (text: string) => text.slice(1).split(/[\s]/, 1)[0];

function unescapeZeek(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function convertZeek(cell: string, type: string, setSeparator: string, emptyField: string): unknown {
  const container = /^(set|vector)\[(.+)\]$/.exec(type);
  if (container) {
    if (cell === emptyField) return [];
    return cell.split(setSeparator).map((item) => convertZeek(item, container[2]!, setSeparator, emptyField));
  }
  if (cell === emptyField && type === 'string') return '';
  switch (type) {
    case 'time':
    case 'interval':
    case 'double':
    case 'count':
    case 'int':
    case 'port': {
      const n = Number(cell);
      return Number.isFinite(n) ? n : new Error(`"${cell}" is not a ${type}`);
    }
    case 'bool':
      return cell === 'T' ? true : cell === 'F' ? false : new Error(`"${cell}" is not a bool`);
    default:
      return unescapeZeek(cell);
  }
}
