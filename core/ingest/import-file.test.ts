// evidence.import on the real fixtures, end to end through the router: what each file adds up to, what is
// quarantined with which bytes, what a second import does, and what the journal and the evidence table keep.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { alice, tempDir } from '../store/journal.test-helpers.js';
import { allFormats } from './formats/index.js';
import { coreWithCase, fixture, fixtureLines, generateEve, journalOf, rowCounts } from './import.test-helpers.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const knownFormats = () => allFormats.map((f) => f.name).join(', ');

type Core = Awaited<ReturnType<typeof coreWithCase>>;

async function importPaths(core: Core, paths: string[], caseId = core.caseId) {
  const result = await core.router.invoke('evidence.import', { caseId, paths }, alice);
  if (!result.ok) throw new Error(`evidence.import failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The per-file counts of a summary, without its import id. */
const counts = (s: { read: number; stored: number; duplicates: number; quarantined: number; skipped: number }) => ({
  read: s.read,
  stored: s.stored,
  duplicates: s.duplicates,
  quarantined: s.quarantined,
  skipped: s.skipped,
});

/** The text a JSON.parse failure gives on this runtime, as the quarantine reason quotes it. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${text} parses`);
}

describe('evidence.import: counts per file', () => {
  test('eve-alerts: all 22 alerts stored', async (t) => {
    const core = await coreWithCase(t);
    const { files, totals } = await importPaths(core, [fixture('suricata/eve-alerts.ndjson')]);
    assert.deepEqual(files, [
      {
        importId: 'imp_0002',
        file: 'eve-alerts.ndjson',
        format: 'suricata-eve',
        read: 22,
        stored: 22,
        duplicates: 0,
        quarantined: 0,
        skipped: 0,
        quarantineReasons: {},
        skipReasons: {},
      },
    ]);
    assert.deepEqual(totals, { read: 22, stored: 22, duplicates: 0, quarantined: 0, skipped: 0, incidents: 2, byFormat: { 'suricata-eve': 22 } });
    assert.deepEqual(rowCounts(core.store).events, 22);
  });

  test('eve-mixed-small: the stats record is skipped with its reason, the other 11 stored', async (t) => {
    const core = await coreWithCase(t);
    const { files, totals } = await importPaths(core, [fixture('suricata/eve-mixed-small.ndjson')]);
    assert.deepEqual(files, [
      {
        importId: 'imp_0002',
        file: 'eve-mixed-small.ndjson',
        format: 'suricata-eve',
        read: 12,
        stored: 11,
        duplicates: 0,
        quarantined: 0,
        skipped: 1,
        quarantineReasons: {},
        skipReasons: { 'Suricata stats record': 1 },
      },
    ]);
    assert.deepEqual(totals, { read: 12, stored: 11, duplicates: 0, quarantined: 0, skipped: 1, incidents: 1, byFormat: { 'suricata-eve': 12 } });
    const listed = await core.router.invoke('event.list', { caseId: core.caseId, limit: 100 }, alice);
    assert.ok(listed.ok);
    // Line 6 is the stats record: every other line became exactly one stored record.
    assert.deepEqual(listed.value.rows.map((r) => r.line).sort((a, b) => a - b), [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
    assert.equal(listed.value.total, 11);
  });

  test('several files in one call: totals are the sums and byFormat counts records read per format', async (t) => {
    const core = await coreWithCase(t);
    const { files, totals } = await importPaths(core, [fixture('suricata/eve-alerts.ndjson'), fixture('suricata/eve-mixed-small.ndjson')]);
    assert.deepEqual(files.map(counts), [
      { read: 22, stored: 22, duplicates: 0, quarantined: 0, skipped: 0 },
      { read: 12, stored: 11, duplicates: 0, quarantined: 0, skipped: 1 },
    ]);
    assert.deepEqual(totals, { read: 34, stored: 33, duplicates: 0, quarantined: 0, skipped: 1, incidents: 3, byFormat: { 'suricata-eve': 34 } });
    assert.equal(core.store.events.incidents(core.caseId).length, 3);
  });

  test('one file of each other source: the four byte-identical Windows lines are duplicates, Wazuh test cases skipped', async (t) => {
    const core = await coreWithCase(t);
    const { files, totals } = await importPaths(
      core,
      [
        'windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson',
        'zeek/lsass-campaign-03/conn.log',
        'zeek/apt29-day1/combined_zeek.first300.ndjson',
        'wazuh/ruleset-test-cases.first60.ndjson',
        'elastic/kibana-es-archive-alert-docs.ndjson',
        'elastic/kibana-es-archive-attack-discovery-doc.ndjson',
      ].map(fixture),
    );
    assert.deepEqual(
      files.map((f) => [f.file, f.format, f.read, f.stored, f.duplicates, f.quarantined, f.skipped]),
      [
        ['metasploit_comsvcs_lsass_memory_dump.subset.ndjson', 'windows-nxlog', 1394, 1390, 4, 0, 0],
        ['conn.log', 'zeek-tsv', 126, 126, 0, 0, 0],
        ['combined_zeek.first300.ndjson', 'zeek', 300, 300, 0, 0, 0],
        ['ruleset-test-cases.first60.ndjson', 'wazuh-alert', 60, 0, 0, 0, 60],
        ['kibana-es-archive-alert-docs.ndjson', 'elastic-alert', 3, 3, 0, 0, 0],
        ['kibana-es-archive-attack-discovery-doc.ndjson', 'elastic-attack-discovery', 1, 1, 0, 0, 0],
      ],
    );
    assert.deepEqual(files[3]!.skipReasons, { 'Wazuh ruleset test case, not an alert (no alert time)': 60 });
    // The fixture really holds four lines twice over: duplicates are the same bytes, not different events merged.
    const lines = fixtureLines('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson').map((l) => l.toString('latin1'));
    assert.equal(lines.length - new Set(lines).size, 4);
    // The Attack Discovery record is stored as an imported incident, not as an event.
    assert.equal(rowCounts(core.store).events, 1390 + 126 + 300 + 3);
    assert.deepEqual(
      core.store.events.incidents(core.caseId).filter((i) => i.origin === 'imported').map((i) => i.externalMemberIds.length > 0),
      [true],
    );
    assert.deepEqual(totals.byFormat, { 'windows-nxlog': 1394, 'zeek-tsv': 126, zeek: 300, 'wazuh-alert': 60, 'elastic-alert': 3, 'elastic-attack-discovery': 1 });
  });
});

describe('evidence.import: damaged records', () => {
  test('a broken JSON line and a line of invalid UTF-8 are quarantined alone, with line, reason and exact bytes', async (t) => {
    const core = await coreWithCase(t);
    const lines = fixtureLines('suricata/eve-alerts.ndjson');
    const broken = Buffer.from('{"broken":');
    const latin = Buffer.concat([lines[11]!.subarray(0, 30), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), lines[11]!.subarray(30)]);
    const damaged = lines.map((l, i) => (i === 4 ? broken : i === 11 ? latin : l));
    const file = path.join(tempDir(t), 'eve-damaged.ndjson');
    fs.writeFileSync(file, Buffer.concat(damaged.flatMap((l) => [l, Buffer.from('\n')])));

    const { files } = await importPaths(core, [file]);
    assert.deepEqual(files.map(counts), [{ read: 22, stored: 20, duplicates: 0, quarantined: 2, skipped: 0 }]);
    assert.deepEqual(files[0]!.quarantineReasons, { 'not valid JSON': 1, 'not valid UTF-8 text': 1 });

    const q = await core.router.invoke('quarantine.list', { caseId: core.caseId }, alice);
    assert.ok(q.ok);
    assert.deepEqual(q.value.total, 2);
    assert.deepEqual(q.value.reasons, { 'not valid JSON': 1, 'not valid UTF-8 text': 1 });
    assert.deepEqual(
      q.value.records.map(({ id, ...rest }) => (assert.match(id, /^q_[0-9a-f]{32}$/), rest)),
      [
        { importId: 'imp_0002', file: 'eve-damaged.ndjson', line: 5, reason: `not valid JSON: ${jsonError('{"broken":')}`, raw: '{"broken":', rawEncoding: 'utf8' },
        { importId: 'imp_0002', file: 'eve-damaged.ndjson', line: 12, reason: 'not valid UTF-8 text', raw: latin.toString('base64'), rawEncoding: 'base64' },
      ],
    );
    assert.deepEqual(Buffer.from(q.value.records[1]!.raw, 'base64'), latin);

    const listed = await core.router.invoke('event.list', { caseId: core.caseId, limit: 100 }, alice);
    assert.ok(listed.ok);
    assert.deepEqual(
      listed.value.rows.map((r) => r.line).sort((a, b) => a - b),
      Array.from({ length: 22 }, (_, i) => i + 1).filter((n) => n !== 5 && n !== 12),
    );
  });

  test('a gzip copy imports the same records as the plain file, and its evidence is the compressed bytes', async (t) => {
    const core = await coreWithCase(t);
    const other = await core.router.invoke('case.create', { name: 'the gzip copy' }, alice);
    assert.ok(other.ok);
    const plain = fixture('suricata/eve-mixed-small.ndjson');
    const gz = path.join(tempDir(t), 'eve-mixed-small.ndjson.gz');
    const gzBytes = gzipSync(fs.readFileSync(plain));
    fs.writeFileSync(gz, gzBytes);

    const a = await importPaths(core, [plain]);
    const b = await importPaths(core, [gz], other.value.id);
    assert.deepEqual(b.files.map(counts), a.files.map(counts));
    assert.deepEqual(b.files[0]!.skipReasons, { 'Suricata stats record': 1 });
    assert.equal(b.files[0]!.format, 'suricata-eve');

    // Same dedup keys in both cases: the gzip copy yields record for record the same events.
    const keys = (caseId: string) =>
      (core.store.db.prepare('SELECT dedup_key FROM events WHERE case_id = ? ORDER BY dedup_key').all(caseId) as { dedup_key: string }[]).map((r) => r.dedup_key);
    assert.deepEqual(keys(other.value.id), keys(core.caseId));
    assert.equal(keys(core.caseId).length, 11);

    const evidence = core.store.db.prepare('SELECT name, sha256, size FROM evidence WHERE case_id = ?').all(other.value.id);
    assert.deepEqual(evidence, [{ name: 'eve-mixed-small.ndjson.gz', sha256: sha256(gzBytes), size: gzBytes.length }]);
  });
});

describe('evidence.import: importing again', () => {
  test('the same file twice: the second run stores nothing and counts every record a duplicate', async (t) => {
    const core = await coreWithCase(t);
    const file = fixture('suricata/eve-alerts.ndjson');
    await importPaths(core, [file]);
    const before = rowCounts(core.store);
    const { files } = await importPaths(core, [file]);
    assert.deepEqual(files.map(counts), [{ read: 22, stored: 0, duplicates: 22, quarantined: 0, skipped: 0 }]);
    const after = rowCounts(core.store);
    assert.deepEqual({ ...after, imports: 0, journal: 0 }, { ...before, imports: 0, journal: 0 });
    assert.equal(after.imports, before.imports + 1);
    // import.started, import.batch, import.finished, incidents.regrouped; no second evidence.added.
    assert.equal(after.journal, before.journal + 4);
    assert.equal(after.evidence, 1);
  });

  test('skipped records stay skipped on a second run; quarantined ones count as duplicates', async (t) => {
    const core = await coreWithCase(t);
    const lines = fixtureLines('suricata/eve-mixed-small.ndjson');
    const file = path.join(tempDir(t), 'eve-mixed-broken.ndjson');
    fs.writeFileSync(file, Buffer.concat(lines.map((l, i) => (i === 2 ? Buffer.from('{"broken":\n') : Buffer.concat([l, Buffer.from('\n')])))));
    const first = await importPaths(core, [file]);
    assert.deepEqual(first.files.map(counts), [{ read: 12, stored: 10, duplicates: 0, quarantined: 1, skipped: 1 }]);
    const second = await importPaths(core, [file]);
    assert.deepEqual(second.files.map(counts), [{ read: 12, stored: 0, duplicates: 11, quarantined: 0, skipped: 1 }]);
    assert.deepEqual(second.files[0]!.quarantineReasons, {});
    assert.deepEqual(rowCounts(core.store).quarantine, 1);
  });
});

describe('evidence.import: files it cannot take', () => {
  test('an unrecognisable file: invalid_input naming the file and the known formats, and nothing written', async (t) => {
    const core = await coreWithCase(t);
    const file = path.join(tempDir(t), 'notes.json');
    fs.writeFileSync(file, '{"hello":"world","n":1}\n{"hello":"again","n":2}\n');
    const before = rowCounts(core.store);
    const result = await core.router.invoke('evidence.import', { caseId: core.caseId, paths: [file] }, alice);
    assert.deepEqual(result, {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `Could not recognise the format of ${file} (first record's keys: hello, n). Name it with --format, one of: ${knownFormats()}. Nothing was imported.`,
      },
    });
    assert.ok(knownFormats().includes('suricata-eve'));
    assert.deepEqual(rowCounts(core.store), before);
  });

  test('an empty file and a file of blank lines hold no records', async (t) => {
    const core = await coreWithCase(t);
    const dir = tempDir(t);
    const before = rowCounts(core.store);
    for (const [name, content] of [['empty.ndjson', ''], ['blank.ndjson', '\n  \r\n\t\n']] as const) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      assert.deepEqual(await core.router.invoke('evidence.import', { caseId: core.caseId, paths: [file] }, alice), {
        ok: false,
        error: { code: 'invalid_input', message: `${file} holds no records (it is empty or only blank lines).` },
      });
    }
    assert.deepEqual(rowCounts(core.store), before);
  });

  test('a gzip file damaged before its first record is refused with the gzip error, and nothing written', async (t) => {
    const core = await coreWithCase(t);
    const file = path.join(tempDir(t), 'damaged.ndjson.gz');
    const gz = gzipSync(fs.readFileSync(fixture('suricata/eve-alerts.ndjson')));
    fs.writeFileSync(file, Buffer.concat([gz.subarray(0, 10), Buffer.from('not deflate data at all')]));
    const before = rowCounts(core.store);
    const result = await core.router.invoke('evidence.import', { caseId: core.caseId, paths: [file] }, alice);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.error.code, 'invalid_input');
    const message = result.ok ? '' : result.error.message;
    assert.ok(message.startsWith(`${file}: the gzip data is damaged or cut short (`), message);
    assert.ok(message.endsWith('). Nothing was imported.'), message);
    assert.deepEqual(rowCounts(core.store), before);
  });

  test('an unknown --format name is refused with the list of formats', async (t) => {
    const core = await coreWithCase(t);
    const result = await core.router.invoke(
      'evidence.import',
      { caseId: core.caseId, paths: [fixture('suricata/eve-alerts.ndjson')], format: 'snort' },
      alice,
    );
    assert.deepEqual(result, { ok: false, error: { code: 'invalid_input', message: `Unknown format "snort". Known formats: ${knownFormats()}.` } });
  });

  test('a missing file is not_found; a folder is invalid_input; an unknown case is not_found', async (t) => {
    const core = await coreWithCase(t);
    const dir = tempDir(t);
    const missing = path.join(dir, 'nope.ndjson');
    const before = rowCounts(core.store);
    assert.deepEqual(await core.router.invoke('evidence.import', { caseId: core.caseId, paths: [missing] }, alice), {
      ok: false,
      error: { code: 'not_found', message: `Cannot read ${missing}: no such file.` },
    });
    assert.deepEqual(await core.router.invoke('evidence.import', { caseId: core.caseId, paths: [dir] }, alice), {
      ok: false,
      error: { code: 'invalid_input', message: `${dir} is not a file.` },
    });
    assert.deepEqual(await core.router.invoke('evidence.import', { caseId: 'case_nope', paths: [fixture('suricata/eve-alerts.ndjson')] }, alice), {
      ok: false,
      error: { code: 'not_found', message: 'No case with id case_nope.', details: { caseId: 'case_nope' } },
    });
    assert.deepEqual(rowCounts(core.store), before);
  });
});

describe('evidence.import: journal and evidence', () => {
  test('journal: import.started, import.batch, evidence.added, import.finished, incidents.regrouped with exact counts', async (t) => {
    const core = await coreWithCase(t);
    const file = fixture('suricata/eve-mixed-small.ndjson');
    const bytes = fs.readFileSync(file);
    const { files, totals } = await importPaths(core, [file]);
    const journal = await journalOf(core, core.caseId);
    assert.deepEqual(journal.map((e) => e.action), ['case.created', 'import.started', 'import.batch', 'evidence.added', 'import.finished', 'incidents.regrouped']);
    assert.deepEqual(journal.slice(1, 5).map((e) => e.payload), [
      { importId: 'imp_0002', file: 'eve-mixed-small.ndjson', format: 'suricata-eve', bytes: bytes.length },
      { importId: 'imp_0002', file: 'eve-mixed-small.ndjson', lines: [1, 12], stored: 11, duplicates: 0, quarantined: 0, skipped: 1 },
      { name: 'eve-mixed-small.ndjson', sha256: sha256(bytes), size: bytes.length },
      files[0],
    ]);
    assert.equal(totals.incidents, 1);
    assert.deepEqual(journal[5]!.payload, { incidents: 1, members: 6, windowMinutes: 60 });

    const evidence = core.store.db.prepare('SELECT id, name, sha256, size, path FROM evidence WHERE case_id = ?').all(core.caseId) as Record<string, unknown>[];
    assert.equal(evidence.length, 1);
    assert.match(String(evidence[0]!.id), /^evd_[0-9a-f]{32}$/);
    assert.deepEqual({ ...evidence[0], id: undefined }, { id: undefined, name: 'eve-mixed-small.ndjson', sha256: sha256(bytes), size: bytes.length, path: file });

    const imports = core.store.db.prepare('SELECT id, file, format, status, read, stored, duplicates, quarantined, skipped FROM imports').all();
    assert.deepEqual(imports, [
      { id: 'imp_0002', file: 'eve-mixed-small.ndjson', format: 'suricata-eve', status: 'done', read: 12, stored: 11, duplicates: 0, quarantined: 0, skipped: 1 },
    ]);
    const verified = await core.router.invoke('audit.verify', {}, alice);
    assert.ok(verified.ok && verified.value.ok);
  });

  test('a file larger than a batch commits in batches of 2000 records, each journaled with its line range', async (t) => {
    const core = await coreWithCase(t);
    const file = path.join(tempDir(t), 'eve-5000.ndjson');
    const generated = generateEve(file, 5000, 7);
    const progress: { read: number; bytesRead: number; totalBytes: number }[] = [];
    const off = core.router.subscribe('import.progress', (p) => progress.push({ read: p.read, bytesRead: p.bytesRead, totalBytes: p.totalBytes }));
    const { files } = await importPaths(core, [file]);
    off();
    const quarantined = generated.broken.size;
    assert.deepEqual(files.map(counts), [
      { read: 5000, stored: 5000 - quarantined - generated.stats, duplicates: 0, quarantined, skipped: generated.stats },
    ]);
    const batches = (await journalOf(core, core.caseId)).filter((e) => e.action === 'import.batch').map((e) => e.payload);
    assert.equal(batches.length, 3);
    const lineCount = generated.records + generated.blank;
    const ranges = batches.map((b) => b.lines as [number, number]);
    assert.equal(ranges[0]![0], 1 + countBlankBetween(file, 0));
    assert.equal(ranges[2]![1], lineCount);
    assert.equal(ranges[1]![0], ranges[0]![1] + 1 + countBlankBetween(file, ranges[0]![1]));
    const sum = (k: string) => batches.reduce((n, b) => n + (b[k] as number), 0);
    assert.deepEqual([sum('stored'), sum('duplicates'), sum('quarantined'), sum('skipped')], [files[0]!.stored, 0, quarantined, generated.stats]);
    assert.deepEqual(progress.map((p) => p.read), [2000, 4000, 5000]);
    assert.equal(progress.at(-1)!.bytesRead, fs.statSync(file).size);
    assert.equal(progress.at(-1)!.totalBytes, fs.statSync(file).size);
  });
});

/** Blank lines directly after `line` (1-based), which a batch boundary skips over. */
function countBlankBetween(file: string, line: number): number {
  const all = fs.readFileSync(file, 'utf8').split('\n');
  let n = 0;
  while (all[line + n] !== undefined && all[line + n]!.trim() === '') n++;
  return n;
}
