// Property tests: importFile fed damaged variants of real fixture lines (cut, spliced with random bytes, wrongly
// encoded, shuffled, duplicated, gzip-truncated) never fails except to say a file is unrecognisable, and always
// accounts for every record the framing produced. fast-check prints the seed and path of any counterexample;
// QUELL_PROPERTY_SEED=<seed> reruns with it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { QuellError } from '../api/errors.js';
import type { ImportSummary } from '../model/index.js';
import { sequentialIds, steppingClock } from '../runtime.js';
import { START, tempDir } from '../store/journal.test-helpers.js';
import type { Store } from '../store/index.js';
import { allFormats } from './formats/index.js';
import { frameRecords, FramingError, type RawRecord } from './framing.js';
import { importFile } from './import-file.js';
import { coreWithCase, fixtureLines, rowCounts } from './import.test-helpers.js';

const RUNS = 100;
const seed = process.env.QUELL_PROPERTY_SEED ? Number(process.env.QUELL_PROPERTY_SEED) : undefined;
const options = { numRuns: RUNS, ...(seed === undefined ? {} : { seed }) };

const SOURCES = {
  suricata: [...fixtureLines('suricata/eve-alerts.ndjson'), ...fixtureLines('suricata/eve-mixed-small.ndjson')],
  zeekJson: fixtureLines('zeek/apt29-day1/combined_zeek.selection.ndjson'),
  windows: fixtureLines('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson').slice(0, 60),
  wazuh: fixtureLines('wazuh/ruleset-test-cases.first60.ndjson'),
};
const ZEEK_TSV = fixtureLines('zeek/lsass-campaign-03/conn.log');
const ZEEK_TSV_HEADER = ZEEK_TSV.filter((l) => l[0] === 0x23 /* # */ && !l.toString().startsWith('#close'));
const ZEEK_TSV_DATA = ZEEK_TSV.filter((l) => l[0] !== 0x23);

/** One property run's database: a case in a fresh core, imported into again and again. */
async function importer(t: TestContext) {
  const core = await coreWithCase(t);
  const dir = tempDir(t);
  const clock = steppingClock(START);
  const ids = sequentialIds();
  let n = 0;
  return {
    core,
    /** Writes `bytes` as a new file and imports it, checking the accounting; null when it was not recognised. */
    async check(bytes: Buffer, ext = 'ndjson'): Promise<ImportSummary | null> {
      const file = path.join(dir, `run-${++n}.${ext}`);
      fs.writeFileSync(file, bytes);
      const framed = await countFramed(file);
      const before = rowCounts(core.store);
      const incidentsBefore = importedIncidents(core);
      let summary: ImportSummary;
      try {
        summary = await importFile({ store: core.store, caseId: core.caseId, filePath: file, actor: { kind: 'importer', id: 'prop' }, clock, ids });
      } catch (err) {
        if (!(err instanceof QuellError) || err.code !== 'invalid_input') throw err;
        assert.match(
          err.message,
          /^(Could not recognise the format of .*Nothing was imported\.|.* holds no records \(it is empty or only blank lines\)\.|.*: the gzip data is damaged or cut short \(.*\)\. Nothing was imported\.)$/s,
        );
        assert.deepEqual(rowCounts(core.store), before, 'an unrecognised file writes nothing');
        return null;
      }
      const after = rowCounts(core.store);
      assert.equal(summary.read, summary.stored + summary.duplicates + summary.quarantined + summary.skipped, 'read = stored + duplicates + quarantined + skipped');
      assert.equal(summary.read, framed, 'every framed record is read');
      // Attack Discovery records are stored as incidents, everything else as events.
      assert.equal(after.events - before.events + importedIncidents(core) - incidentsBefore, summary.stored, 'stored records are in the database');
      assert.equal(after.quarantine - before.quarantine, summary.quarantined, 'quarantined records are in the database');
      assert.equal(sum(summary.quarantineReasons), summary.quarantined);
      assert.equal(sum(summary.skipReasons), summary.skipped);
      const row = core.store.db.prepare('SELECT status, read, stored, duplicates, quarantined, skipped FROM imports WHERE id = ?').get(summary.importId);
      assert.deepEqual(row, { status: 'done', read: summary.read, stored: summary.stored, duplicates: summary.duplicates, quarantined: summary.quarantined, skipped: summary.skipped });
      return summary;
    },
  };
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const importedIncidents = (core: { store: Store }) =>
  (core.store.db.prepare("SELECT count(*) AS n FROM incidents WHERE origin = 'imported'").get() as { n: number }).n;

/** Records the framing yields for a file, counting a stream-ending FramingError as the one record importFile makes of it. */
async function countFramed(file: string): Promise<number> {
  let n = 0;
  try {
    for await (const _ of frameRecords(fs.createReadStream(file))) n++;
  } catch (err) {
    if (!(err instanceof FramingError)) throw err;
    n++;
  }
  return n;
}

/** A line, possibly damaged: cut at a byte offset, spliced with random bytes, or replaced by them. */
const damagedLine = (lines: Buffer[]) =>
  fc
    .tuple(
      fc.constantFrom(...lines),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant({ kind: 'keep' as const }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
        {
          weight: 1,
          arbitrary: fc.record({ kind: fc.constant('splice' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), bytes: fc.uint8Array({ maxLength: 40 }) }) },
      ),
    )
    .map(([line, d]) => {
      if (d.kind === 'keep') return line;
      if (d.kind === 'replace') return Buffer.from(d.bytes);
      const at = Math.floor(d.at * line.length);
      if (d.kind === 'cut') return line.subarray(0, at);
      return Buffer.concat([line.subarray(0, at), Buffer.from(d.bytes), line.subarray(at)]);
    });

/** Lines joined as a file: LF or CRLF, blank lines here and there, with or without a final newline. */
const asFile = (lines: fc.Arbitrary<Buffer[]>) =>
  fc.tuple(lines, fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 3 })).map(([ls, crlf, finalNewline, blanks]) => {
    const eol = Buffer.from(crlf ? '\r\n' : '\n');
    const all = [...ls];
    for (const b of blanks) all.splice(b % (all.length + 1), 0, Buffer.from(b % 2 ? '' : '  '));
    return Buffer.concat(all.flatMap((l, i) => (i < all.length - 1 || finalNewline ? [l, eol] : [l])));
  });

const source = fc.constantFrom(...(Object.keys(SOURCES) as (keyof typeof SOURCES)[]));

describe('importFile properties', () => {
  test('damaged, duplicated and shuffled lines of one source: every record accounted for', async (t) => {
    const imp = await importer(t);
    let recognised = 0;
    await fc.assert(
      fc.asyncProperty(
        source.chain((s) => asFile(fc.array(damagedLine(SOURCES[s]), { minLength: 1, maxLength: 25 }))),
        async (bytes) => {
          if (await imp.check(bytes)) recognised++;
        },
      ),
      options,
    );
    t.diagnostic(`${recognised} of ${RUNS} files recognised`);
    assert.ok(recognised > RUNS / 2, 'most damaged files are still recognised');
  });

  test('lines of several sources in one file, and Zeek TSV logs with damaged data lines', async (t) => {
    const imp = await importer(t);
    const mixed = fc.array(source.chain((s) => damagedLine(SOURCES[s])), { minLength: 1, maxLength: 25 });
    const zeek = fc
      .array(damagedLine(ZEEK_TSV_DATA), { minLength: 1, maxLength: 25 })
      .map((data) => [...ZEEK_TSV_HEADER, ...data]);
    await fc.assert(
      fc.asyncProperty(fc.oneof(asFile(mixed), asFile(zeek)), async (bytes) => {
        await imp.check(bytes, bytes[0] === 0x23 ? 'log' : 'ndjson');
      }),
      options,
    );
  });

  test('files cut at a random byte offset, plain or gzip', async (t) => {
    const imp = await importer(t);
    await fc.assert(
      fc.asyncProperty(
        source.chain((s) => asFile(fc.shuffledSubarray(SOURCES[s], { minLength: 1, maxLength: 20 }))),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        async (bytes, cut, gzip) => {
          const whole = gzip ? gzipSync(bytes) : bytes;
          await imp.check(whole.subarray(0, Math.max(1, Math.floor(cut * whole.length))), gzip ? 'ndjson.gz' : 'ndjson');
        },
      ),
      options,
    );
  });

  test('wrong encodings: random bytes, UTF-16 without a BOM, Latin-1 text', async (t) => {
    const imp = await importer(t);
    const valid = source.chain((s) => asFile(fc.shuffledSubarray(SOURCES[s], { minLength: 1, maxLength: 10 })));
    const utf16 = (bytes: Buffer, be: boolean) => {
      const le = Buffer.from(bytes.toString('utf8'), 'utf16le');
      return be ? le.swap16() : le;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => Buffer.from(b)),
          fc.tuple(valid, fc.boolean()).map(([b, be]) => utf16(b, be)),
          // JSON text whose strings hold "é" written as the single Latin-1 byte 0xE9.
          valid.map((b) => Buffer.from(b.toString('utf8').replace(/":"/g, '":"\u00e9'), 'latin1')),
        ),
        async (bytes) => {
          await imp.check(bytes);
        },
      ),
      options,
    );
  });

  test('a UTF-16 file with a byte-order mark reads exactly like its UTF-8 original', async (t) => {
    const imp = await importer(t);
    await fc.assert(
      fc.asyncProperty(
        source.chain((s) => asFile(fc.array(damagedLine(SOURCES[s]), { minLength: 1, maxLength: 15 }))),
        fc.boolean(),
        async (bytes, be) => {
          const utf8 = await imp.check(bytes);
          const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]);
          const encoded = be ? Buffer.from(le).swap16() : le;
          const utf16 = await imp.check(encoded);
          // Valid UTF-8 only: other bytes do not survive the round trip through a JS string.
          if (!utf8 || !isUtf8(bytes)) return;
          assert.ok(utf16);
          assert.deepEqual(
            [utf16.read, utf16.stored, utf16.duplicates, utf16.quarantined, utf16.skipped, utf16.format],
            [utf8.read, 0, utf8.stored + utf8.duplicates, utf8.quarantined, utf8.skipped, utf8.format],
          );
        },
      ),
      { ...options, numRuns: 50 },
    );
  });
});

const isUtf8 = (b: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
};

describe('framing: oversized records', () => {
  /** Frames `bytes` in chunks of `chunk` bytes with the given limit. */
  async function frame(bytes: Buffer, chunk: number, maxRecordBytes: number): Promise<RawRecord[]> {
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
    const out: RawRecord[] = [];
    for await (const r of frameRecords(Readable.from(chunks), { maxRecordBytes })) out.push(r);
    return out;
  }

  const KEEP = 64 * 1024;

  test('every record over the limit is quarantined with its real size and its first bytes; the rest parse', async () => {
    const record = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.string({ maxLength: 120 }), fc.integer(), fc.boolean()), {
      minKeys: 1,
      maxKeys: 8,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.integer({ min: 40, max: 400 }),
        fc.integer({ min: 3, max: 4096 }),
        fc.option(fc.integer({ min: 0, max: 11 }), { freq: 4 }),
        async (objects, pretty, maxRecordBytes, chunk, huge) => {
          // Now and then one record far over 64 KiB, of which only the first 64 KiB are kept.
          const values = objects.map((o, i) => (huge !== null && huge % objects.length === i ? { ...o, big: 'x'.repeat(KEEP + 1000) } : o));
          // The first record decides the framing (one object per line, or a stream of pretty-printed ones); it is small.
          const texts = [pretty ? '{\n  "first": true\n}' : '{"first":true}', ...values.map((v) => JSON.stringify(v, null, pretty ? 2 : undefined))];
          const records = await frame(Buffer.from(`${texts.join('\n')}\n`), chunk, maxRecordBytes);
          assert.equal(records.length, texts.length);
          let line = 1;
          records.forEach((r, i) => {
            const bytes = Buffer.from(texts[i]!);
            assert.equal(r.line, line);
            line += texts[i]!.split('\n').length;
            if (bytes.length > maxRecordBytes) {
              assert.equal(r.error, `record is ${bytes.length} bytes, over the ${maxRecordBytes}-byte limit (first ${KEEP} bytes kept)`);
              assert.deepEqual(r.bytes, bytes.subarray(0, KEEP));
              assert.equal(r.value, undefined);
            } else {
              assert.equal(r.error, undefined);
              assert.deepEqual(r.value, JSON.parse(texts[i]!));
              assert.deepEqual(r.bytes, bytes);
            }
          });
        },
      ),
      options,
    );
  });

  // Regression: in pretty-printed JSON, an oversized record reported only the bytes kept so far as its size, and
  // kept its first lines spliced to its last line instead of its first bytes.
  test('an oversized pretty-printed record reports its real size and keeps a true prefix', async () => {
    const text = JSON.stringify(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'x'.repeat(50)])), null, 2);
    const [first, big, small] = await frame(Buffer.from(`{\n"a": 1\n}\n${text}\n{"b":2}\n`), 64, 200);
    assert.deepEqual(first!.value, { a: 1 });
    assert.equal(big!.line, 4);
    assert.equal(big!.error, `record is ${Buffer.byteLength(text)} bytes, over the 200-byte limit (first 65536 bytes kept)`);
    assert.equal(big!.bytes.toString(), text);
    assert.deepEqual([small!.line, small!.value], [16, { b: 2 }]);
  });
});
