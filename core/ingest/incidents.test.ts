// Incident grouping: the LSASS campaign (Sysmon/Security on PRD01 plus the Zeek logs of the same hour) must come out
// as one incident spanning both sources, and the grouping must not merge what only looks alike: hosts that share a
// short name in different domains, records too far apart in time, one source's telemetry with no alert in it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { openCore } from '../app.js';
import type { IncidentSummary } from '../model/index.js';
import { sequentialIds, steppingClock } from '../runtime.js';
import { alice, defer, START, tempDir } from '../store/journal.test-helpers.js';
import { coreWithCase, fixture, fixtureLines, quell } from './import.test-helpers.js';

const WINDOWS = fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson');
const ZEEK_DIR = fixture('zeek/lsass-campaign-03');
const ZEEK = fs.readdirSync(ZEEK_DIR).filter((f) => f.endsWith('.log')).sort().map((f) => path.join(ZEEK_DIR, f));

type Core = Awaited<ReturnType<typeof coreWithCase>>;

async function importText(core: Core, name: string, lines: string[]) {
  const file = path.join(core.dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const result = await core.router.invoke('evidence.import', { caseId: core.caseId, paths: [file] }, alice);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

async function incidents(core: Core): Promise<IncidentSummary[]> {
  const listed = await core.router.invoke('incident.list', { caseId: core.caseId }, alice);
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value.incidents;
}

/** The file lines of each grouped incident's members, incidents ordered by their first line. */
function memberLines(core: Core): number[][] {
  const rows = core.store.db
    .prepare(
      `SELECT m.incident_id AS incident, e.line FROM incident_members m JOIN events e ON e.id = m.event_id
       JOIN incidents i ON i.id = m.incident_id WHERE i.case_id = ? ORDER BY e.line`,
    )
    .all(core.caseId) as { incident: string; line: number }[];
  const groups = new Map<string, number[]>();
  for (const r of rows) groups.set(r.incident, [...(groups.get(r.incident) ?? []), r.line]);
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}

const WAZUH = JSON.parse(fixtureLines('wazuh/alerts-json-sample.ndjson')[0]!.toString('utf8')) as Record<string, unknown>;
let alertNo = 0;

/**
 * A Wazuh alert made from the real sample, on `host` at `minutes` past 10:00, with a source address and user of its
 * own so that the host is the only thing it can share with another alert.
 */
function alertOn(host: string, minutes: number): string {
  const n = ++alertNo;
  const record = structuredClone(WAZUH);
  record.timestamp = new Date(Date.parse('2024-05-01T10:00:00.000Z') + minutes * 60_000).toISOString().replace('Z', '+0000');
  record.id = `1714557600.${n}`;
  record.agent = { id: String(n).padStart(3, '0'), name: host };
  record.data = { srcip: `198.51.100.${n}`, srcport: '50000', srcuser: `user${n}` };
  return JSON.stringify(record);
}

describe('incident grouping: the LSASS campaign', () => {
  test('Sysmon and Security events of PRD01 and the Zeek logs of the same hour form one incident across both sources', async (t) => {
    const db = path.join(tempDir(t), 'lsass.db');
    const run = async (...argv: string[]) => {
      const r = await quell(['--db', db, ...argv]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    const caseId = (await run('case', 'new', 'LSASS dump on PRD01')).trim();

    // Host telemetry alone, without an alert, is not an incident ...
    const windows = JSON.parse(await run('import', WINDOWS, '--case', caseId, '--json')) as Record<string, unknown>;
    assert.deepEqual(
      { ...windows, files: undefined },
      { read: 1394, stored: 1390, duplicates: 4, quarantined: 0, skipped: 0, incidents: 0, byFormat: { 'windows-nxlog': 1394 }, files: undefined },
    );
    // ... but the network logs of the same hour join it into one.
    const zeek = JSON.parse(await run('import', ...ZEEK, '--case', caseId, '--json')) as Record<string, unknown>;
    assert.deepEqual(
      { ...zeek, files: undefined },
      { read: 305, stored: 305, duplicates: 0, quarantined: 0, skipped: 0, incidents: 1, byFormat: { 'zeek-tsv': 305 }, files: undefined },
    );

    const listed = JSON.parse(await run('incidents', 'list', '--case', caseId, '--json')) as IncidentSummary[];
    assert.equal(listed.length, 1);
    const [incident] = listed;
    assert.match(incident!.id, /^inc_[0-9a-f]{32}$/);
    assert.deepEqual(
      { ...incident, id: undefined, entities: undefined, rationale: undefined },
      {
        id: undefined,
        caseId,
        title: 'Correlated activity on prd01.pandalab.com across zeek-tsv and windows-nxlog',
        origin: 'grouped',
        status: 'open',
        risk: 0,
        level: 'informational',
        memberCount: 1657,
        firstTs: '2023-08-18T15:55:58.105Z',
        lastTs: '2023-08-18T16:06:45.386Z',
        summary: '1657 records (0 alerts) from 2 source(s)',
        entities: undefined,
        rationale: undefined,
        formats: { 'windows-nxlog': 1390, 'zeek-tsv': 267 },
        externalMemberIds: [],
      },
    );
    const has = (type: string, canonical: string) => incident!.entities.find((e) => e.type === type && e.canonical === canonical)?.count;
    assert.deepEqual(
      [
        has('host', 'prd01.pandalab.com'),
        has('ip', '192.168.1.42'),
        has('user', 'pandalab\\pupy.godoy'),
        has('user', 'nt authority\\system'),
        has('ip', '10.0.5.13'),
      ],
      [1390, 416, 387, 543, 28],
    );
    // The links that hold it together, the cross-source ones first: the workstation's address, the user who
    // logged on (Sysmon and Kerberos), the domain controller, and the web server at 10.0.5.13 that Edge reached.
    assert.deepEqual(incident!.rationale, [
      'ip 192.168.1.42 is shared by 416 records across windows-nxlog, zeek-tsv',
      'user pandalab\\pupy.godoy is shared by 387 records across windows-nxlog, zeek-tsv',
      'ip 192.168.1.4 is shared by 371 records across windows-nxlog, zeek-tsv',
      'ip 10.0.5.13 is shared by 28 records across windows-nxlog, zeek-tsv',
      'host prd01.pandalab.com is shared by 1390 records (windows-nxlog)',
      'user pandalab\\pedro.gustavo is shared by 224 records (windows-nxlog)',
      'user pandalab\\prd01$ is shared by 43 records (windows-nxlog)',
      'user sid:S-1-5-21-1939123204-1418869057-2368897034-1107 is shared by 36 records (windows-nxlog)',
      'linked records are at most 60 min apart; span 2023-08-18T15:55:58.105Z – 2023-08-18T16:06:45.386Z',
    ]);

    const text = await run('incidents', 'list', '--case', caseId);
    assert.deepEqual(text.split('\n').slice(0, 4), [
      `${incident!.id}  INFORMATIONAL (0)  Correlated activity on prd01.pandalab.com across zeek-tsv and windows-nxlog`,
      '  1657 members, 2023-08-18T15:55:58.105Z – 2023-08-18T16:06:45.386Z, grouped',
      '  because ip 192.168.1.42 is shared by 416 records across windows-nxlog, zeek-tsv',
      '  because user pandalab\\pupy.godoy is shared by 387 records across windows-nxlog, zeek-tsv',
    ]);
    assert.match(text, /\n {2}entities: host:prd01\.pandalab\.com, user:nt authority\\system, ip:192\.168\.1\.42, user:pandalab\\pupy\.godoy, /);

    // Regrouping the same records twice yields the same incident, id and all.
    const core = openCore({ dbPath: db, createDir: false, clock: steppingClock(START), ids: sequentialIds(), appVersion: 'test' });
    defer(t, () => core.close());
    // The cross-source links hold because the Windows file's clock was calibrated: its @timestamp is local time
    // labelled Z, seven hours behind Zeek, and the Sysmon connections to 10.0.5.13 carry a UtcTime from before a
    // clock jump. Uncalibrated, those records land hours away from the Zeek logs and 10.0.5.13 links only Zeek records.
    const journal = await core.router.invoke('journal.list', { caseId, limit: 1000 }, alice);
    assert.ok(journal.ok);
    const started = journal.value.entries.filter((e) => e.action === 'import.started').map((e) => e.payload as Record<string, unknown>);
    assert.deepEqual(
      started.filter((p) => p.calibration !== undefined).map((p) => [p.file, p.calibration]),
      [
        [
          'metasploit_comsvcs_lsass_memory_dump.subset.ndjson',
          '@timestamp is 420 min behind Sysmon UtcTime on 1014 of 1231 sampled records: records without UtcTime are corrected by 420 min',
        ],
      ],
    );
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(await core.router.invoke('incident.regroup', { caseId }, alice), { ok: true, value: { incidents: 1, members: 1657 } });
      const again = await core.router.invoke('incident.list', { caseId }, alice);
      assert.ok(again.ok);
      assert.deepEqual(again.value.incidents, listed);
    }
  });
});

describe('incident grouping: what must not be merged', () => {
  test('hosts with the same short name in different domains stay apart; a bare short name then links neither', async (t) => {
    const core = await coreWithCase(t);
    await importText(core, 'wazuh-ws5.ndjson', [
      alertOn('ws5.mordor.local', 0),
      alertOn('ws5.theshire.local', 1),
      alertOn('WS5', 2),
      alertOn('ws5.mordor.local', 5),
      alertOn('ws5.theshire.local', 6),
    ]);
    const found = await incidents(core);
    assert.deepEqual(
      found.map((i) => [i.memberCount, i.entities.filter((e) => e.type === 'host')]),
      [
        [2, [{ type: 'host', canonical: 'ws5.mordor.local', count: 2 }]],
        [2, [{ type: 'host', canonical: 'ws5.theshire.local', count: 2 }]],
      ],
    );
    assert.deepEqual(memberLines(core), [[1, 4], [2, 5]]);
  });

  test('with one domain in the case, the bare short name is that host and joins its incident', async (t) => {
    const core = await coreWithCase(t);
    await importText(core, 'wazuh-ws5.ndjson', [alertOn('ws5.mordor.local', 0), alertOn('WS5', 2), alertOn('ws5.mordor.local', 5)]);
    const found = await incidents(core);
    assert.deepEqual(
      found.map((i) => [i.memberCount, i.entities.filter((e) => e.type === 'host'), i.rationale[0]]),
      [[3, [{ type: 'host', canonical: 'ws5.mordor.local', count: 3 }], 'host ws5.mordor.local is shared by 3 records (wazuh-alert)']],
    );
  });

  test('records sharing a host are linked only within the window (60 min, inclusive) of the previous one', async (t) => {
    const core = await coreWithCase(t);
    await importText(core, 'wazuh-window.ndjson', [
      alertOn('far.corp.local', 0), // 1
      alertOn('far.corp.local', 61), // 2: 61 min later, not linked
      alertOn('near.corp.local', 0), // 3
      alertOn('near.corp.local', 59), // 4
      alertOn('edge.corp.local', 0), // 5
      alertOn('edge.corp.local', 60), // 6: exactly the window
      alertOn('chain.corp.local', 0), // 7
      alertOn('chain.corp.local', 50), // 8
      alertOn('chain.corp.local', 100), // 9: 100 min from the first, 50 from the previous
    ]);
    assert.deepEqual(memberLines(core), [[3, 4], [5, 6], [7, 8, 9]]);
    const chain = (await incidents(core)).find((i) => i.memberCount === 3)!;
    assert.equal(chain.rationale.at(-1), 'linked records are at most 60 min apart; span 2024-05-01T10:00:00.000Z – 2024-05-01T11:40:00.000Z');

    // A narrower window splits them all.
    assert.deepEqual(await core.router.invoke('incident.regroup', { caseId: core.caseId, windowMinutes: 30 }, alice), {
      ok: true,
      value: { incidents: 0, members: 0 },
    });
    assert.deepEqual(await incidents(core), []);
  });

  test("one source's telemetry with no alert in it is not an incident; the same records with an alert are", async (t) => {
    const lines = fixtureLines('suricata/eve-mixed-small.ndjson').map((b) => b.toString('utf8'));
    const withoutAlert = lines.filter((l) => !l.includes('"event_type":"alert"'));
    assert.equal(withoutAlert.length, lines.length - 1);

    const quiet = await coreWithCase(t);
    const imported = await importText(quiet, 'eve-no-alert.ndjson', withoutAlert);
    assert.equal(imported.totals.incidents, 0);
    assert.deepEqual(await incidents(quiet), []);

    const loud = await coreWithCase(t);
    await importText(loud, 'eve-mixed-small.ndjson', lines);
    const found = await incidents(loud);
    assert.deepEqual(found.map((i) => [i.title, i.memberCount, i.formats]), [['ET POLICY Observed IP Lookup Domain (l2 .io in TLS SNI)', 6, { 'suricata-eve': 6 }]]);
  });

  test('regrouping twice gives the same incident ids, and so does the regroup each import runs', async (t) => {
    const core = await coreWithCase(t);
    await importText(core, 'wazuh-ws5.ndjson', [alertOn('ws5.mordor.local', 0), alertOn('ws5.mordor.local', 3), alertOn('dc1.mordor.local', 4), alertOn('dc1.mordor.local', 9)]);
    const first = await incidents(core);
    assert.equal(first.length, 2);
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(await core.router.invoke('incident.regroup', { caseId: core.caseId }, alice), { ok: true, value: { incidents: 2, members: 4 } });
      assert.deepEqual((await incidents(core)).map((x) => x.id), first.map((x) => x.id));
    }
  });
});
