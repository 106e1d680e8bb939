// sigma.run and sigma.rules through the router, on a real case: the LSASS campaign 03 (Sysmon + Security via NXLog,
// Zeek TSV) imported, the shipped rules run over it, alerts stored, linked, journaled, regrouped.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openCore, sequentialIds, steppingClock, type Core, type JournalEntry } from '../../index.js';
import { SigmaDetection } from '../../model/index.js';
import { alice, defer, tempDir } from '../../store/journal.test-helpers.js';
import { fixture, journalOf } from '../../ingest/import.test-helpers.js';
import { detectionId } from './run.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'ingest', 'import-worker-tsx.mjs');
const LSASS = [
  fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson'),
  ...['conn.log', 'dns.log', 'http.log', 'kerberos.log', 'files.log', 'pe.log'].map((f) => fixture(`zeek/lsass-campaign-03/${f}`)),
];
const COMSVCS_PROC = '646ea171-dded-4578-8a4d-65e9822892e3';
const COMSVCS_ACCESS = 'a49fa4d5-11db-418c-8473-1e014a8dd462';
const LOCAL_ACCOUNTS = '502b42de-4306-40b4-9596-6f590c81f073';

async function caseWith(t: TestContext, paths: string[], worker = false): Promise<{ core: Core; caseId: string }> {
  const core = openCore({
    dbPath: path.join(tempDir(t), 'quell.db'),
    createDir: true,
    clock: steppingClock('2026-01-01T00:00:00.000Z'),
    ids: sequentialIds(),
    appVersion: 'test',
    ...(worker ? { importWorker: WORKER } : {}),
  });
  defer(t, () => core.close());
  const created = await core.router.invoke('case.create', { name: 'LSASS' }, alice);
  assert.ok(created.ok);
  const caseId = created.value.id;
  const imported = await core.router.invoke('evidence.import', { caseId, paths }, alice);
  assert.ok(imported.ok, JSON.stringify(imported));
  return { core, caseId };
}

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
};

describe('sigma.run over a case', () => {
  test('the LSASS campaign raises the comsvcs dump (Sysmon 1 and Security 4688), the LSASS access and whoami, once each', async (t) => {
    const { core, caseId } = await caseWith(t, LSASS);
    const before = (core.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const result = ok(await core.router.invoke('sigma.run', { caseId }, alice));
    assert.deepEqual({ ...result, rulesPath: path.basename(result.rulesPath), byRule: [...result.byRule].sort((a, b) => a.id.localeCompare(b.id)) }, {
      rulesPath: 'rules',
      rules: { loaded: 38, rejected: [], unroutable: 3 },
      records: before,
      unreadable: 0,
      detections: 7,
      stored: 7,
      duplicates: 0,
      byRule: [
        { id: LOCAL_ACCOUNTS, title: 'Local Accounts Discovery', level: 'low', count: 4 },
        { id: COMSVCS_PROC, title: 'Process Memory Dump Via Comsvcs.DLL', level: 'high', count: 2 },
        { id: COMSVCS_ACCESS, title: 'Lsass Memory Dump via Comsvcs DLL', level: 'high', count: 1 },
      ],
      incidents: 1,
    });

    const alerts = ok(await core.router.invoke('event.list', { caseId, kind: 'alert', sort: 'risk', order: 'desc' }, alice));
    assert.equal(alerts.total, 7);
    assert.deepEqual(
      alerts.rows.map((r) => [r.format, r.level, r.risk, r.title, r.techniques.join(' ')]).sort(),
      [
        ['sigma', 'high', 73, 'Lsass Memory Dump via Comsvcs DLL', 'T1003.001'],
        ['sigma', 'high', 73, 'Process Memory Dump Via Comsvcs.DLL', 'T1036 T1003.001'],
        ['sigma', 'high', 73, 'Process Memory Dump Via Comsvcs.DLL', 'T1036 T1003.001'],
        ['sigma', 'low', 21, 'Local Accounts Discovery', 'T1033 T1087.001'],
        ['sigma', 'low', 21, 'Local Accounts Discovery', 'T1033 T1087.001'],
        ['sigma', 'low', 21, 'Local Accounts Discovery', 'T1033 T1087.001'],
        ['sigma', 'low', 21, 'Local Accounts Discovery', 'T1033 T1087.001'],
      ],
    );

    // The Sysmon 1 detection in detail: the record it matched, the fields that matched and where they are.
    const sysmon = alerts.rows.find((r) => r.title === 'Process Memory Dump Via Comsvcs.DLL' && r.line === 843)!;
    const detail = ok(await core.router.invoke('event.get', { caseId, eventId: sysmon.id }, alice));
    const detection = SigmaDetection.parse(detail.doc.detection);
    const record = ok(await core.router.invoke('event.get', { caseId, eventId: detection.record.id }, alice));
    assert.equal(sysmon.id, detectionId(caseId, COMSVCS_PROC, record.id).id);
    assert.deepEqual(detection.rule, {
      id: COMSVCS_PROC,
      title: 'Process Memory Dump Via Comsvcs.DLL',
      level: 'high',
      status: 'test',
      description: 'Detects a process memory dump via "comsvcs.dll" using rundll32, covering multiple different techniques (ordinal, minidump function, etc.)',
      author: 'Florian Roth (Nextron Systems), Modexp, Nasreddine Bencherchali (Nextron Systems), Swachchhanda Shrawan Poudel (Nextron Systems)',
      references: detection.rule.references,
      falsepositives: ['Unlikely'],
      tags: ['attack.defense-evasion', 'attack.credential-access', 'attack.t1036', 'attack.t1003.001', 'car.2013-05-009'],
      logsource: { category: 'process_creation', product: 'windows' },
      file: 'windows/process_creation/proc_creation_win_rundll32_process_dump_via_comsvcs.yml',
      condition: '(selection_img and 1 of selection_cli_*) or selection_generic',
    });
    assert.equal(detection.rule.references.length, 8);
    assert.deepEqual({ ...detection.record, id: undefined }, { id: undefined, format: 'windows-nxlog', file: 'metasploit_comsvcs_lsass_memory_dump.subset.ndjson', line: 843, ts: record.ts });
    assert.deepEqual([detection.route, detection.mapping], ['Sysmon 1', 'native']);
    const commandLine = (record.original as Record<string, string>).CommandLine!;
    assert.deepEqual(detection.matches, [
      { selection: 'selection_img', field: 'Image', modifiers: ['endswith'], paths: ['Image'], value: 'C:\\Windows\\System32\\rundll32.exe', patterns: ['\\rundll32.exe'] },
      { selection: 'selection_img', field: 'OriginalFileName', modifiers: [], paths: ['OriginalFileName'], value: 'RUNDLL32.EXE', patterns: ['RUNDLL32.EXE'] },
      { selection: 'selection_img', field: 'CommandLine', modifiers: ['contains'], paths: ['CommandLine'], value: commandLine, patterns: ['rundll32'] },
      { selection: 'selection_cli_1', field: 'CommandLine', modifiers: ['contains', 'all'], paths: ['CommandLine'], value: commandLine, patterns: ['comsvcs', 'full'] },
      { selection: 'selection_cli_1', field: 'CommandLine', modifiers: ['contains'], paths: ['CommandLine'], value: commandLine, patterns: ['MiniDump'] },
    ]);
    // The alert is the record's document turned alert: same host and process, the rule's ATT&CK and level.
    assert.equal(detail.original && JSON.stringify(detail.original), JSON.stringify(record.original));
    assert.deepEqual([detail.host, detail.user, detail.ts, detail.file, detail.line], [record.host, record.user, record.ts, record.file, record.line]);
    const doc = detail.doc as Record<string, any>;
    assert.deepEqual(doc.threat, {
      technique: { id: ['T1036', 'T1003.001'], name: ['Masquerading', 'OS Credential Dumping: LSASS Memory'] },
      tactic: { id: ['TA0005', 'TA0006'], name: ['Defense Evasion', 'Credential Access'] },
    });
    assert.deepEqual(doc.rule, { id: COMSVCS_PROC, name: 'Process Memory Dump Via Comsvcs.DLL', description: detection.rule.description, category: 'process_creation', ruleset: 'sigma' });
    assert.deepEqual([doc.event.kind, doc.event.risk_score, doc.quell.format, doc.quell.risk, doc.quell.level, doc.quell.severityOriginal], ['alert', 73, 'sigma', 73, 'high', 'high']);
    assert.equal(doc.process.command_line, commandLine);
    assert.deepEqual(detail.tags, detection.rule.tags);
    // Linked to the same entities as the record.
    assert.deepEqual(detail.entities, record.entities);
    assert.ok(detail.entities.some((e) => e.type === 'host' && e.canonical === 'prd01.pandalab.com'));

    // Every alert belongs to the regrouped incident, which an alert now titles.
    const incidents = ok(await core.router.invoke('incident.list', { caseId }, alice)).incidents;
    assert.equal(incidents.length, 1);
    assert.ok(['Process Memory Dump Via Comsvcs.DLL', 'Lsass Memory Dump via Comsvcs DLL'].includes(incidents[0]!.title));
    const members = core.store.db.prepare("SELECT count(*) AS n FROM incident_members m JOIN events e ON e.id = m.event_id WHERE e.format = 'sigma'").get() as { n: number };
    assert.equal(members.n, 7);

    // Running again stores nothing new, and says so.
    const again = ok(await core.router.invoke('sigma.run', { caseId }, alice));
    assert.deepEqual([again.detections, again.stored, again.duplicates], [7, 0, 7]);
    assert.equal((core.store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n, before + 7);

    // The detections view: counts per rule in the case, and one rule's detections by format and rule id.
    const rules = ok(await core.router.invoke('sigma.rules', { caseId }, alice));
    assert.deepEqual(rules.detections, { [LOCAL_ACCOUNTS]: 4, [COMSVCS_PROC]: 2, [COMSVCS_ACCESS]: 1 });
    const ofRule = ok(await core.router.invoke('event.list', { caseId, format: 'sigma', ruleId: COMSVCS_PROC }, alice));
    assert.deepEqual(
      [ofRule.total, new Set(ofRule.rows.map((r) => r.title)), ofRule.rows.some((r) => r.id === sysmon.id)],
      [2, new Set(['Process Memory Dump Via Comsvcs.DLL']), true],
    );
    assert.equal(ok(await core.router.invoke('event.list', { caseId, format: 'windows-nxlog', ruleId: COMSVCS_PROC }, alice)).total, 0);
    assert.equal(ok(await core.router.invoke('event.list', { caseId, format: 'zeek-tsv' }, alice)).total, before - ok(await core.router.invoke('event.list', { caseId, format: 'windows-nxlog' }, alice)).total);
    assert.deepEqual(await core.router.invoke('sigma.rules', { caseId: 'case_nope' }, alice), {
      ok: false,
      error: { code: 'not_found', message: 'No case with id case_nope.', details: { caseId: 'case_nope' } },
    });
    const runs = (await journalOf(core, caseId)).filter((e) => e.action === 'sigma.run');
    assert.deepEqual(
      runs.map((e) => [e.payload.detections, e.payload.stored, e.payload.duplicates, e.payload.records, e.payload.rulesPath, (e.payload.rules as Record<string, unknown>).rejected]),
      [
        [7, 7, 0, before, 'content/sigma/rules', 0],
        [7, 0, 7, before, 'content/sigma/rules', 0],
      ],
    );
    const tail = (await journalOf(core, caseId)).slice(-2).map((e) => e.action);
    assert.deepEqual(tail, ['sigma.run', 'incidents.regrouped']);
    assert.equal(core.store.journal.verify().ok, true);
  });

  test('stored Zeek TSV lines are matched by field name; rejected rules are reported and journaled', async (t) => {
    const { core, caseId } = await caseWith(t, [fixture('zeek/lsass-campaign-03/conn.log')]);
    const dir = tempDir(t);
    fs.writeFileSync(
      path.join(dir, 'c2.yml'),
      `title: Connection to the C2 port\nid: c2-5678\nlevel: critical\ntags:\n    - attack.command-and-control\n    - attack.t1571\nlogsource:\n    product: zeek\n    service: conn\ndetection:\n    sel:\n        id.resp_p: 5678\n        id.resp_h|cidr: 10.0.0.0/8\n    condition: sel\n`,
    );
    fs.writeFileSync(path.join(dir, 'broken.yml'), `title: Broken\nid: broken-1\nlogsource:\n    product: zeek\ndetection:\n    sel:\n        id.resp_p|nope: 1\n    condition: sel\n`);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a rule');
    const result = ok(await core.router.invoke('sigma.run', { caseId, rulesPath: dir }, alice));
    assert.deepEqual([result.rules, result.records, result.unreadable, result.detections, result.stored], [
      { loaded: 1, rejected: [{ file: 'broken.yml', reason: 'search identifier "sel": unknown value modifier "nope" in "id.resp_p|nope"', id: 'broken-1', title: 'Broken' }], unroutable: 0 },
      126,
      0,
      5,
      5,
    ]);
    const alerts = ok(await core.router.invoke('event.list', { caseId, kind: 'alert' }, alice)).rows;
    assert.deepEqual(new Set(alerts.map((a) => [a.level, a.risk, a.techniques.join(), a.file].join(' '))), new Set(['critical 99 T1571 conn.log']));
    const detail = ok(await core.router.invoke('event.get', { caseId, eventId: alerts[0]!.id }, alice));
    const detection = SigmaDetection.parse(detail.doc.detection);
    assert.deepEqual(detection.matches.map((m) => [m.field, m.paths, m.value]), [
      ['id.resp_p', ['id.resp_p'], 5678],
      ['id.resp_h', ['id.resp_h'], '10.0.5.13'],
    ]);
    assert.deepEqual((detail.doc as Record<string, any>).threat, { technique: { id: ['T1571'], name: ['Non-Standard Port'] }, tactic: { id: ['TA0011'], name: ['Command and Control'] } });
    const journaled = (await journalOf(core, caseId)).find((e) => e.action === 'sigma.run')!.payload;
    assert.deepEqual([journaled.rejected, (journaled.rules as Record<string, unknown>).rejected], [[{ file: 'broken.yml', reason: result.rules.rejected[0]!.reason }], 1]);

    // A TSV import from before headers were kept cannot be read by field name: counted, not silently skipped.
    core.store.db.prepare('UPDATE imports SET zeek_headers = NULL').run();
    const old = ok(await core.router.invoke('sigma.run', { caseId, rulesPath: dir }, alice));
    assert.deepEqual([old.records, old.unreadable, old.detections], [126, 126, 0]);
  });

  test("a rule's ATT&CK tags are canonicalised as vendor alerts' are: revoked ids redirected, unknown ones kept and reported", async (t) => {
    const { core, caseId } = await caseWith(t, [fixture('zeek/lsass-campaign-03/conn.log')]);
    const dir = tempDir(t);
    fs.writeFileSync(
      path.join(dir, 'old-tags.yml'),
      `title: Old tags\nid: old-tags-1\nlevel: high\ntags:\n    - attack.execution\n    - attack.t1086\n    - attack.t9999\n    - attack.g0016\nlogsource:\n    product: zeek\n    service: conn\ndetection:\n    sel:\n        id.resp_p: 5678\n    condition: sel\n`,
    );
    const result = ok(await core.router.invoke('sigma.run', { caseId, rulesPath: dir }, alice));
    assert.equal(result.stored, 5);
    const alerts = ok(await core.router.invoke('event.list', { caseId, kind: 'alert' }, alice)).rows;
    assert.deepEqual([...new Set(alerts.map((a) => a.techniques.join(' ')))], ['T1059.001 T9999']);
    const doc = ok(await core.router.invoke('event.get', { caseId, eventId: alerts[0]!.id }, alice)).doc as Record<string, any>;
    assert.deepEqual([doc.threat, doc.quell.attackUnresolved], [
      { technique: { id: ['T1059.001', 'T9999'], name: ['Command and Scripting Interpreter: PowerShell', 'T9999'] }, tactic: { id: ['TA0002'], name: ['Execution'] } },
      ['T9999'],
    ]);
    const listed = ok(await core.router.invoke('sigma.rules', { rulesPath: dir }, alice)).rules;
    assert.deepEqual(listed.map((r) => [r.techniques, r.tactics]), [[['T1059.001', 'T9999'], ['Execution']]]);
  });

  test('bad input: an unknown case, a missing rules path', async (t) => {
    const { core, caseId } = await caseWith(t, [fixture('zeek/lsass-campaign-03/conn.log')]);
    assert.deepEqual(await core.router.invoke('sigma.run', { caseId: 'case_nope' }, alice), {
      ok: false,
      error: { code: 'not_found', message: 'No case with id case_nope.', details: { caseId: 'case_nope' } },
    });
    const missing = path.join(tempDir(t), 'missing');
    assert.deepEqual(await core.router.invoke('sigma.run', { caseId, rulesPath: missing }, alice), {
      ok: false,
      error: { code: 'not_found', message: `No Sigma rules at ${missing}: no such file or folder.` },
    });
  });
});

describe('sigma.rules', () => {
  test('lists every shipped rule with what it applies to', async (t) => {
    const { core } = await caseWith(t, [fixture('zeek/lsass-campaign-03/conn.log')]);
    const listed = ok(await core.router.invoke('sigma.rules', {}, alice));
    assert.equal(listed.rules.length, 38);
    assert.deepEqual(listed.rejected, []);
    const comsvcs = listed.rules.find((r) => r.id === COMSVCS_ACCESS)!;
    assert.deepEqual({ ...comsvcs, references: comsvcs.references.length }, {
      id: COMSVCS_ACCESS,
      title: 'Lsass Memory Dump via Comsvcs DLL',
      level: 'high',
      levelAssumed: false,
      status: 'test',
      description: 'Detects adversaries leveraging the MiniDump export function from comsvcs.dll via rundll32 to perform a memory dump from lsass.',
      author: 'Roberto Rodriguez (Cyb3rWard0g), OTR (Open Threat Research)',
      date: '2020-10-20',
      modified: '2023-11-29',
      references: 2,
      falsepositives: ['Unknown'],
      tags: ['attack.credential-access', 'attack.t1003.001'],
      techniques: ['T1003.001'],
      tactics: ['Credential Access'],
      logsource: { category: 'process_access', product: 'windows' },
      file: 'windows/process_access/proc_access_win_lsass_dump_comsvcs_dll.yml',
      condition: 'selection',
      formats: ['windows-nxlog', 'windows-sentinel', 'windows-evtx'],
    });
    assert.deepEqual(listed.rules.filter((r) => !r.formats.length).map((r) => r.logsource), [
      { product: 'aws', service: 'cloudtrail' },
      { product: 'okta', service: 'okta' },
      { product: 'linux', service: 'cron' },
    ]);
  });
});

describe('sigma.run in a worker thread (the hosts)', () => {
  test('stores what an in-thread run stores, and the host announces its journal entries before answering', async (t) => {
    const inThread = await caseWith(t, LSASS);
    const inWorker = await caseWith(t, LSASS, true);
    const announced: JournalEntry[] = [];
    inWorker.core.router.subscribe('journal.appended', (e) => announced.push(e));
    const a = ok(await inThread.core.router.invoke('sigma.run', { caseId: inThread.caseId }, alice));
    const b = ok(await inWorker.core.router.invoke('sigma.run', { caseId: inWorker.caseId }, alice));
    assert.deepEqual(b, a);
    assert.deepEqual(announced.map((e) => e.action), ['sigma.run', 'incidents.regrouped']);
    const rows = (core: Core) => core.store.db.prepare("SELECT id, title, risk, techniques FROM events WHERE format = 'sigma' ORDER BY id").all();
    assert.deepEqual(rows(inWorker.core), rows(inThread.core));
    // A failure inside the worker comes back as the same typed error.
    const missing = path.join(tempDir(t), 'nothing-here');
    assert.deepEqual(await inWorker.core.router.invoke('sigma.run', { caseId: inWorker.caseId, rulesPath: missing }, alice), {
      ok: false,
      error: { code: 'not_found', message: `No Sigma rules at ${missing}: no such file or folder.` },
    });
  });
});
