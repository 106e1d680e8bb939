// Routing and field resolution per source shape: the same event, however it was shipped, meets the same rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { frameRecords, parseZeekLine, type ZeekHeader } from '../../ingest/framing.js';
import { fixture, fixtureLines, ROOT } from '../../ingest/import.test-helpers.js';
import { SigmaEngine } from './engine.js';
import { loadRules } from './load.js';
import type { Raw, RecordView } from './sources.js';

const shipped = loadRules(path.join(ROOT, 'content', 'sigma', 'rules'));
const COMSVCS_PROC = '646ea171-dded-4578-8a4d-65e9822892e3';
const COMSVCS_ACCESS = 'a49fa4d5-11db-418c-8473-1e014a8dd462';
const ids = (engine: SigmaEngine, view: RecordView) => engine.match(view).map((h) => h.rule.info.id);

/** The rules that fire on one record and, per rule, the paths of what matched. */
function fired(engine: SigmaEngine, view: RecordView): Record<string, string[]> {
  return Object.fromEntries(engine.match(view).map((h) => [h.rule.info.id, engine.explain(view, h).flatMap((m) => m.paths)]));
}

const lsassLines = fixtureLines('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson').map((b) => JSON.parse(b.toString('utf8')) as Raw);
const sysmonDump = lsassLines.find((r) => r.EventID === 1 && String(r.CommandLine).includes('comsvcs'))!;
const securityDump = lsassLines.find((r) => r.EventID === 4688 && String(r.CommandLine).includes('comsvcs'))!;

/** The NXLog-flattened Sysmon event as evtx_dump would have written it. */
function asEvtx(r: Raw): Raw {
  const system = new Set(['SourceName', 'ProviderGuid', 'Level', 'Keywords', 'Channel', 'Hostname', 'TimeCreated', '@timestamp', 'EventID', 'Message', 'Task']);
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: r.SourceName, Guid: r.ProviderGuid } },
        EventID: r.EventID,
        Channel: r.Channel,
        Computer: r.Hostname,
        TimeCreated: { '#attributes': { SystemTime: '2023-08-18T16:01:52.108Z' } },
      },
      EventData: Object.fromEntries(Object.entries(r).filter(([k]) => !system.has(k))),
    },
  };
}

/** As an Azure Sentinel `Event` row: a few columns, the rest of the event data in EventData_dynamic (JSON text). */
function asSentinel(r: Raw): Raw {
  const { Image, CommandLine, EventID, Channel, Hostname, SourceName, ...rest } = r;
  const data = Object.fromEntries(Object.entries(rest).filter(([k]) => !['Message', '@timestamp', 'TimeCreated'].includes(k)));
  return { TimeGenerated: '2023-08-18T16:01:52.108Z', Computer: Hostname, EventID, Channel, EventSourceName: SourceName, Image, CommandLine, EventData_dynamic: JSON.stringify(data) };
}

describe('Windows events in the three shapes Quell imports', () => {
  test('the Sysmon comsvcs dump fires the same rule from NXLog, evtx_dump and Sentinel, each field found where the shape keeps it', () => {
    assert.deepEqual(fired(shipped, { format: 'windows-nxlog', raw: sysmonDump }), {
      [COMSVCS_PROC]: ['Image', 'OriginalFileName', 'CommandLine', 'CommandLine', 'CommandLine'],
    });
    assert.deepEqual(fired(shipped, { format: 'windows-evtx', raw: asEvtx(sysmonDump) }), {
      [COMSVCS_PROC]: ['Event.EventData.Image', 'Event.EventData.OriginalFileName', 'Event.EventData.CommandLine', 'Event.EventData.CommandLine', 'Event.EventData.CommandLine'],
    });
    assert.deepEqual(fired(shipped, { format: 'windows-sentinel', raw: asSentinel(sysmonDump) }), {
      [COMSVCS_PROC]: ['Image', 'EventData_dynamic.OriginalFileName', 'CommandLine', 'CommandLine', 'CommandLine'],
    });
  });

  test('Security 4688 answers process_creation rules through the Sysmon names (Image = NewProcessName, User = domain\\name)', () => {
    const engine = new SigmaEngine([
      {
        file: 'x.yml',
        text: `title: T\nid: t4688\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    sel:\n        Image|endswith: '\\rundll32.exe'\n        User: 'NT AUTHORITY\\SYSTEM'\n        ParentProcessId: 5000\n        IntegrityLevel: System\n    condition: sel\n`,
      },
    ]);
    const view = { format: 'windows-nxlog', raw: { ...securityDump, SubjectUserName: 'SYSTEM', SubjectDomainName: 'NT AUTHORITY', ProcessId: '0x1388', MandatoryLabel: 'S-1-16-16384' } };
    const [hit] = engine.match(view);
    assert.ok(hit);
    assert.equal(hit.mapping, 'security-4688');
    assert.deepEqual(
      engine.explain(view, hit).map((m) => [m.field, m.paths, m.value]),
      [
        ['Image', ['NewProcessName'], 'C:\\Windows\\System32\\rundll32.exe'],
        ['User', ['SubjectDomainName', 'SubjectUserName'], 'NT AUTHORITY\\SYSTEM'],
        ['ParentProcessId', ['ProcessId'], 5000],
        ['IntegrityLevel', ['MandatoryLabel'], 'System'],
      ],
    );
    // A rule written for the Security log itself reads the native names.
    const native = new SigmaEngine([
      { file: 'y.yml', text: `title: T\nid: tsec\nlogsource:\n    product: windows\n    service: security\ndetection:\n    sel:\n        EventID: 4688\n        ProcessId: '0x1388'\n    condition: sel\n` },
    ]);
    assert.deepEqual(ids(native, view), ['tsec']);
    assert.deepEqual(shipped.match({ format: 'windows-nxlog', raw: securityDump }).map((h) => [h.rule.info.id, h.route.label, h.mapping]), [[COMSVCS_PROC, 'security 4688', 'security-4688']]);
  });

  test('Sysmon 10 routes to process_access, and Provider_Name/EventID read the System header in every shape', () => {
    const access = lsassLines.find((r) => r.EventID === 10 && String(r.CallTrace).includes('comsvcs'))!;
    assert.deepEqual(ids(shipped, { format: 'windows-nxlog', raw: access }), [COMSVCS_ACCESS]);
    assert.deepEqual(ids(shipped, { format: 'windows-evtx', raw: asEvtx(access) }), [COMSVCS_ACCESS]);
    const cleared = { EventID: 1102, Channel: 'Security', SourceName: 'Microsoft-Windows-Eventlog', Hostname: 'WS5' };
    assert.deepEqual(ids(shipped, { format: 'windows-nxlog', raw: cleared }), ['d99b79d2-0a6f-4f46-ad8b-260b6e17f982']);
    assert.deepEqual(fired(shipped, { format: 'windows-evtx', raw: asEvtx(cleared) }), {
      'd99b79d2-0a6f-4f46-ad8b-260b6e17f982': ['Event.System.EventID', 'Event.System.Provider.#attributes.Name'],
    });
    // The same event id in another channel is another event: no route to the Security rule.
    assert.deepEqual(ids(shipped, { format: 'windows-nxlog', raw: { ...cleared, Channel: 'Application' } }), []);
  });

  test('dotted ECS names read the normalised document when the original lacks them', () => {
    const engine = new SigmaEngine([
      { file: 'e.yml', text: `title: T\nid: tecs\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    sel:\n        process.parent.name: 'powershell.exe'\n    condition: sel\n` },
    ]);
    const doc = { process: { parent: { name: 'powershell.exe' } } };
    const view = { format: 'windows-nxlog', raw: sysmonDump, doc: () => doc };
    const [hit] = engine.match(view);
    assert.ok(hit);
    assert.deepEqual(engine.explain(view, hit)[0]!.paths, ['@normalised.process.parent.name']);
    assert.deepEqual(ids(engine, { format: 'windows-nxlog', raw: sysmonDump }), []);
  });
});

describe('Zeek and Suricata', () => {
  const rc4 = '503fe26e-b5f2-4944-a126-eab405cc06e5';
  const psexec = 'f1b3a22a-45e6-4004-afb5-4291f9c21166';

  test("Zeek field names in every key style: id.orig_h, id_orig_h, nested id {orig_h}, and TSV lines", async () => {
    const engine = new SigmaEngine([
      { file: 'z.yml', text: `title: T\nid: tz\nlogsource:\n    product: zeek\n    service: conn\ndetection:\n    sel:\n        id.orig_h|cidr: '192.168.1.0/24'\n        id.resp_p: 5678\n    condition: sel\n` },
    ]);
    const conn = { ts: 1692374165.7, uid: 'C1', proto: 'tcp' };
    assert.deepEqual(fired(engine, { format: 'zeek', raw: { _path: 'conn', ...conn, 'id.orig_h': '192.168.1.42', 'id.resp_p': 5678 } }), { tz: ['id.orig_h', 'id.resp_p'] });
    assert.deepEqual(fired(engine, { format: 'zeek', raw: { '@stream': 'conn', ...conn, id_orig_h: '192.168.1.42', id_resp_p: 5678 } }), { tz: ['id_orig_h', 'id_resp_p'] });
    assert.deepEqual(fired(engine, { format: 'zeek', raw: { ...conn, id: { orig_h: '192.168.1.42', resp_p: 5678 } }, file: 'conn.log' }), { tz: ['id.orig_h', 'id.resp_p'] });
    // The real TSV: the connections to the C2 on 10.0.5.13:5678.
    const hits: number[] = [];
    for await (const r of frameRecords(fs.createReadStream(fixture('zeek/lsass-campaign-03/conn.log')))) {
      if (r.value && engine.match({ format: 'zeek-tsv', raw: r.value }).length) hits.push(r.line);
    }
    assert.equal(hits.length, 5);
  });

  test('zeek kerberos RC4 and PsExec named pipes (the shipped rules) on records shaped like the fixtures', () => {
    const tgs = { '@stream': 'kerberos', ts: 1588206998.97, uid: 'CAG1Rc22yRMLn0xFpl', id_orig_h: '10.0.1.6', request_type: 'TGS', client: 'pbeesly/DMEVALS.LOCAL', service: 'host/nashua.dmevals.local', cipher: 'rc4-hmac' };
    assert.deepEqual(fired(shipped, { format: 'zeek', raw: tgs }), { [rc4]: ['request_type', 'cipher'] });
    assert.deepEqual(ids(shipped, { format: 'zeek', raw: { ...tgs, cipher: 'aes256-cts-hmac-sha1-96' } }), []);
    assert.deepEqual(ids(shipped, { format: 'zeek', raw: { ...tgs, service: '$krbtgt' } }), []);
    const smb = { '@stream': 'smb_files', ts: 1588206049.3, uid: 'CF37', action: 'SMB::FILE_OPEN', path: '\\\\NEWYORK\\IPC$', name: 'PAExec-WS1-stdin' };
    assert.deepEqual(fired(shipped, { format: 'zeek', raw: smb }), { [psexec]: ['path', 'name'] });
    assert.deepEqual(ids(shipped, { format: 'zeek', raw: { ...smb, name: 'PSEXESVC-WS1-stdin' } }), []);
  });

  test('the webserver category: keywords and W3C names over Zeek http and Suricata http', () => {
    const webshell = '7ff9db12-1b94-4a79-ba68-a2402c5d6729';
    const http = { _path: 'http', ts: 1692374165.7, uid: 'C1', method: 'GET', host: '10.0.5.13', uri: '/shell.aspx?c=whoami' };
    assert.deepEqual(fired(shipped, { format: 'zeek', raw: http }), { [webshell]: ['method', 'uri'] });
    assert.deepEqual(ids(shipped, { format: 'zeek', raw: { ...http, method: 'POST' } }), []);
    const eve = { event_type: 'http', timestamp: '2018-07-05T15:43:47.690014-0400', http: { hostname: 'x', url: '/a.php?x=whoami', http_method: 'GET' } };
    assert.deepEqual(fired(shipped, { format: 'suricata-eve', raw: eve }), { [webshell]: ['http.http_method', 'http.url'] });
  });

  test('stored Zeek TSV lines are read again under the header their import kept', () => {
    const header: ZeekHeader = { fromLine: 9, separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-', path: 'kerberos', fields: ['ts', 'uid', 'id.orig_h', 'request_type', 'service', 'cipher', 'success'], types: ['time', 'string', 'addr', 'string', 'string', 'string', 'bool'] };
    assert.deepEqual(parseZeekLine('1692374199.16\tCoh\t192.168.1.42\tTGS\t-\trc4-hmac\tT', header), {
      _path: 'kerberos', ts: 1692374199.16, uid: 'Coh', 'id.orig_h': '192.168.1.42', request_type: 'TGS', cipher: 'rc4-hmac', success: true,
    });
    assert.equal(parseZeekLine('1\t2', header), 'Zeek line has 2 fields but the #fields header names 7');
  });
});

describe('ECS documents (Elastic)', () => {
  test('a Windows process start in ECS answers process_creation rules through ECS names', () => {
    const doc = {
      '@timestamp': '2023-08-18T16:01:52.108Z',
      host: { os: { type: 'windows' }, name: 'PRD01' },
      event: { category: ['process'], type: ['start'], kind: 'event' },
      process: { executable: 'C:\\Windows\\System32\\rundll32.exe', command_line: 'rundll32.exe C:\\windows\\System32\\comsvcs.dll MiniDump 628 C:\\x.dmp full', pe: { original_file_name: 'RUNDLL32.EXE' } },
    };
    assert.deepEqual(fired(shipped, { format: 'elastic', raw: { type: 'doc', value: { index: 'logs', id: '1', source: doc } } }), {
      [COMSVCS_PROC]: ['process.executable', 'process.pe.original_file_name', 'process.command_line', 'process.command_line', 'process.command_line'],
    });
    assert.deepEqual(ids(shipped, { format: 'elastic', raw: { ...doc, host: { os: { type: 'linux' } } } }), []);
  });
});
