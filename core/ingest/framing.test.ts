import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { frameRecords, type Framing, type RawRecord } from './framing.js';

async function frame(input: Buffer | string, chunkSize = 7, maxRecordBytes?: number) {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
  // Small chunks make records straddle chunk boundaries, as they do in real files.
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  let framing: Framing | undefined;
  let compressed = false;
  const records: RawRecord[] = [];
  for await (const r of frameRecords(Readable.from(chunks), {
    onFraming: (f, c) => ((framing = f), (compressed = c)),
    ...(maxRecordBytes ? { maxRecordBytes } : {}),
  })) {
    records.push(r);
  }
  return { framing, compressed, records, summary: records.map((r) => (r.error ? `${r.line}!${r.error}` : `${r.line}:${JSON.stringify(r.value)}`)) };
}

describe('framing', () => {
  test('NDJSON with CRLF endings and blank lines numbers records by physical line', async () => {
    const { framing, summary } = await frame('{"a":1}\r\n\r\n{"a":2}\r\n   \n{"a":3}');
    assert.equal(framing, 'ndjson');
    assert.deepEqual(summary, ['1:{"a":1}', '3:{"a":2}', '5:{"a":3}']);
  });

  test('a damaged NDJSON line is quarantined alone, with its exact bytes', async () => {
    const { records } = await frame('{"a":1}\n{"a":2\n{"a":3}\n[1,2]\n"text"\n');
    assert.deepEqual(records.map((r) => r.line), [1, 2, 3, 4, 5]);
    assert.equal(records[1]!.bytes.toString(), '{"a":2');
    assert.match(records[1]!.error!, /^not valid JSON: /);
    assert.equal(records[2]!.value!.a, 3);
    assert.equal(records[3]!.error, 'expected a JSON object, found an array');
    assert.equal(records[4]!.error, 'expected a JSON object, found string');
  });

  test('concatenated pretty-printed objects, with braces inside strings', async () => {
    const text = '{\n  "a": "x } {",\n  "b": {"c": [1, 2]}\n}\n{\n  "a": "\\"}"\n}\n';
    const { framing, summary, records } = await frame(text, 3);
    assert.equal(framing, 'json-stream');
    assert.deepEqual(summary, ['1:{"a":"x } {","b":{"c":[1,2]}}', '5:{"a":"\\"}"}']);
    assert.equal(records[0]!.bytes.toString(), '{\n  "a": "x } {",\n  "b": {"c": [1, 2]}\n}');
  });

  test('a single object spread over lines, and a JSON array of objects', async () => {
    assert.deepEqual((await frame('{\n"one": true\n}')).summary, ['1:{"one":true}']);
    const array = await frame('[\n  {"a": 1},\n  {"a": 2}\n]\n');
    assert.equal(array.framing, 'json-array');
    assert.deepEqual(array.summary, ['2:{"a":1}', '3:{"a":2}']);
  });

  test('a file cut off inside a pretty-printed value quarantines the partial record', async () => {
    const { summary, records } = await frame('{\n "a": 1\n}\n{\n "b": [1,\n');
    assert.deepEqual(summary, ['1:{"a":1}', '4!truncated: the file ends inside this JSON value']);
    assert.equal(records[1]!.bytes.toString(), '{\n "b": [1,\n');
  });

  test('NDJSON cut off mid-line quarantines only the last line', async () => {
    const { summary } = await frame('{"a": 1}\n{"b": [1,');
    assert.deepEqual(summary, ['1:{"a":1}', '2!not valid JSON: Unexpected end of JSON input']);
  });

  test('gzip is detected by its magic bytes', async () => {
    const { compressed, framing, summary } = await frame(gzipSync('{"z":1}\n{"z":2}\n'));
    assert.equal(compressed, true);
    assert.equal(framing, 'ndjson');
    assert.deepEqual(summary, ['1:{"z":1}', '2:{"z":2}']);
  });

  test('UTF-8 BOM is dropped; UTF-16LE with BOM is decoded', async () => {
    assert.deepEqual((await frame(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"k":"é"}\n')]))).summary, ['1:{"k":"é"}']);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"k":"ü"}\r\n{"k":2}\r\n', 'utf16le')]);
    assert.deepEqual((await frame(utf16, 5)).summary, ['1:{"k":"ü"}', '2:{"k":2}']);
  });

  test('invalid UTF-8 is quarantined with its raw bytes kept', async () => {
    const bad = Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    const { records } = await frame(bad);
    assert.equal(records[1]!.error, 'not valid UTF-8 text');
    assert.deepEqual([...records[1]!.bytes.subarray(6, 8)], [0xc3, 0x28]);
  });

  test('an oversized record is quarantined and keeps its first 64 KiB', async () => {
    const big = `{"a":"${'x'.repeat(100_000)}"}`;
    const { records } = await frame(`{"a":1}\n${big}\n{"a":2}\n`, 4096, 50_000);
    assert.equal(records.length, 3);
    assert.equal(records[1]!.error, `record is ${big.length} bytes, over the 50000-byte limit (first 65536 bytes kept)`);
    assert.equal(records[1]!.bytes.length, 65536);
    assert.equal(records[2]!.value!.a, 2);
  });

  test('Zeek TSV: header-driven types, unset and empty fields, sets', async () => {
    const tsv = [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      '#path\tdns',
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tquery\tanswers\tTTLs\trejected',
      '#types\ttime\tstring\taddr\tport\tstring\tvector[string]\tvector[interval]\tbool',
      '1692374165.735188\tCx1\t192.168.1.42\t51234\tdc01.pandalab.com\t192.168.1.4,10.0.0.1\t600.0,30.0\tF',
      '1692374166.1\tCx2\t192.168.1.42\t51235\t-\t(empty)\t-\tT',
      '1692374166.2\tCx3\tonly-three\tfields',
      '#close\t2023-08-18-16-10-00',
    ].join('\n');
    const { framing, records } = await frame(tsv);
    assert.equal(framing, 'zeek-tsv');
    assert.deepEqual(records[0]!.value, {
      _path: 'dns',
      ts: 1692374165.735188,
      uid: 'Cx1',
      'id.orig_h': '192.168.1.42',
      'id.orig_p': 51234,
      query: 'dc01.pandalab.com',
      answers: ['192.168.1.4', '10.0.0.1'],
      TTLs: [600, 30],
      rejected: false,
    });
    assert.deepEqual(records[1]!.value, { _path: 'dns', ts: 1692374166.1, uid: 'Cx2', 'id.orig_h': '192.168.1.42', 'id.orig_p': 51235, answers: [], rejected: true });
    assert.equal(records[2]!.line, 10);
    assert.equal(records[2]!.error, 'Zeek line has 4 fields but the #fields header names 8');
  });

  test('an empty file has no records', async () => {
    const { framing, records } = await frame('\n  \n');
    assert.equal(framing, 'empty');
    assert.equal(records.length, 0);
  });
});
