import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fixture, ROOT } from '../core/ingest/import.test-helpers.js';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { cliRunner } from './cli.test-helpers.js';

const cli = cliRunner;

const REGRESSION = fixture('sigma/regression_data/rules/windows');
const CRED_DUMP = path.join(REGRESSION, 'file/file_event/file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.json');
const CERTUTIL = path.join(REGRESSION, 'process_creation/proc_creation_win_certutil_decode/cc9cbe82-7bc0-4ef5-bc23-bbfb83947be7.json');

describe('quell sigma', () => {
  test('sigma match --json: the rules each record matched, record by record', async (t) => {
    const run = cli(t);
    const rules = path.join(ROOT, 'content/sigma/rules/windows');
    const out = await run('sigma', 'match', '--rules', rules, CRED_DUMP, CERTUTIL, '--json');
    assert.deepEqual([out.code, out.stderr], [0, '']);
    const parsed = JSON.parse(out.stdout) as { rulesPath: string; rules: { loaded: number; rejected: unknown[] }; records: unknown[]; summary: unknown };
    assert.deepEqual(parsed.rules, { loaded: 30, rejected: [] });
    const cred = '8fbf3271-1ef6-4e94-8210-03c2317947f6';
    const file = path.basename(CRED_DUMP);
    assert.deepEqual(parsed.records, [
      { file, line: 1, format: 'windows-evtx', rules: [cred] },
      { file, line: 52, format: 'windows-evtx', rules: [] },
      { file, line: 103, format: 'windows-evtx', rules: [cred] },
      { file, line: 154, format: 'windows-evtx', rules: [] },
      { file, line: 205, format: 'windows-evtx', rules: [cred] },
      { file, line: 256, format: 'windows-evtx', rules: [] },
      { file: path.basename(CERTUTIL), line: 1, format: 'windows-evtx', rules: ['cc9cbe82-7bc0-4ef5-bc23-bbfb83947be7'] },
    ]);
    assert.deepEqual(parsed.summary, { records: 7, matched: 4, unreadable: 0, byRule: { [cred]: 3, 'cc9cbe82-7bc0-4ef5-bc23-bbfb83947be7': 1 } });

    const explained = JSON.parse((await run('sigma', 'match', CERTUTIL, '--json', '--explain')).stdout) as { records: { matches: Record<string, { field: string }[]> }[] };
    assert.deepEqual(explained.records[0]!.matches['cc9cbe82-7bc0-4ef5-bc23-bbfb83947be7']!.map((m) => m.field), ['Image', 'OriginalFileName', 'CommandLine']);
  });

  test('sigma match without --json: one line per match, then a summary; rejected rules on stderr', async (t) => {
    const run = cli(t);
    const dir = tempDir(t);
    fs.copyFileSync(path.join(ROOT, 'content/sigma/rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files.yml'), path.join(dir, 'cred.yml'));
    fs.writeFileSync(path.join(dir, 'bad.yml'), 'title: Bad\nid: bad\nlogsource:\n    product: windows\ndetection:\n    condition: sel\n    sel:\n        x|expand: "%a%"\n');
    const out = await run('sigma', 'match', '--rules', dir, CRED_DUMP);
    assert.equal(out.code, 0);
    const file = path.basename(CRED_DUMP);
    assert.equal(
      out.stdout,
      `${file}:1  8fbf3271-1ef6-4e94-8210-03c2317947f6  Cred Dump Tools Dropped Files\n` +
        `${file}:103  8fbf3271-1ef6-4e94-8210-03c2317947f6  Cred Dump Tools Dropped Files\n` +
        `${file}:205  8fbf3271-1ef6-4e94-8210-03c2317947f6  Cred Dump Tools Dropped Files\n` +
        '6 records read, 3 records matched 1 rule of 1; 1 rule rejected\n',
    );
    assert.equal(out.stderr, 'quell: rejected bad.yml: search identifier "sel": "x|expand": the "expand" modifier needs placeholder values (%name%) from a processing pipeline, and Quell has none configured\n');
  });

  test('sigma run stores detections in a case; sigma rules lists the rules', async (t) => {
    const run = cli(t);
    const caseId = (await run('case', 'new', 'LSASS')).stdout.trim();
    assert.equal((await run('import', '--case', caseId, fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson'))).code, 0);
    const ran = await run('sigma', 'run', '--case', caseId);
    assert.deepEqual([ran.code, ran.stderr], [0, '']);
    const lines = ran.stdout.split('\n');
    assert.match(lines[0]!, /^38 rules loaded from .*rules \(3 apply to no format Quell reads\)$/);
    assert.equal(lines[1], '1,390 records read: 7 detections, 7 new alerts, 0 already stored');
    assert.equal(lines[2], 'LEVEL  COUNT  RULE                                  TITLE');
    assert.equal(lines.at(-2), `1 incident in the case. See them with: quell incidents list --case ${caseId}`);
    const again = JSON.parse((await run('sigma', 'run', '--case', caseId, '--json')).stdout) as { stored: number; duplicates: number };
    assert.deepEqual([again.stored, again.duplicates], [0, 7]);
    assert.equal((await run('sigma', 'run')).code, 2);

    const listed = await run('sigma', 'rules');
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /^ID +LEVEL +STATUS +LOGSOURCE +FORMATS +TITLE\n/);
    assert.match(listed.stdout, /646ea171-dded-4578-8a4d-65e9822892e3 +high +test +windows\/process_creation +windows-nxlog,windows-sentinel,windows-evtx,elastic +Process Memory Dump Via Comsvcs\.DLL\n/);
    assert.match(listed.stdout, /\n38 rules from .*rules\n$/);
  });
});
