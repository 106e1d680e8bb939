import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sniffFormat } from '../sniff.js';
import { allFormats } from './index.js';
import { defenderAlert } from './defender-alert.js';
import { ALERT_FORMATS, FIXTURES, asEvent } from './format.test-helpers.js';
import type { Doc } from './flatten.js';
import { RecordError } from './types.js';

/** The `value[]` of a recorded `GET /api/alerts` page: what the Defender connector hands core. */
function page(name: string): Doc[] {
  const body = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'defender', `demisto-${name}_response_alerts.json`), 'utf8')) as { value: Doc[] };
  return body.value;
}
const normalize = (alert: Doc) => asEvent(defenderAlert.normalize(alert, { file: 'defender', line: 1 }));

/**
 * An alert in the current shape (`$expand=evidence`, `relatedUser`, `mitreTechniques`), written from the field list
 * of the get-alerts documentation (CONNECTOR-APIS.md §4); the recordings predate these fields.
 */
const current: Doc = {
  id: 'da637472900382838869_1364969609', incidentId: 1126093, investigationId: null, assignedTo: null,
  severity: 'High', status: 'New', classification: null, determination: null, investigationState: 'Queued',
  detectionSource: 'WindowsDefenderAtp', detectorId: '17e10bbc-3a68-474a-8aad-faef14d43952', category: 'Execution',
  threatFamilyName: null, title: 'Suspicious rundll32 execution', description: 'rundll32 ran a script',
  alertCreationTime: '2021-01-26T20:33:57.7220239Z', firstEventTime: '2021-01-26T20:31:32.9562661Z',
  lastEventTime: '2021-01-26T20:31:33.0577322Z', lastUpdateTime: '2021-01-26T20:33:59.2Z', resolvedTime: null,
  machineId: '111e6dd8c833c8a052ea231ec1b19adaf497b625', computerDnsName: 'temp123.middleeast.corp.microsoft.com',
  rbacGroupName: 'A', aadTenantId: 'a839b112-1253-6432-9bf6-94542403f21c', threatName: null,
  mitreTechniques: ['T1064', 'T1085'], relatedUser: { userName: 'temp123', domainName: 'DOMAIN' }, comments: [],
  evidence: [
    {
      entityType: 'Process', evidenceCreationTime: '2021-01-26T20:33:58.42Z',
      sha1: 'ff836cfb1af40252bd2a2ea843032e99a5b262ed', sha256: 'a4efa8e56ff1a2d4cf1a3a1b5d2c7bafd1e4cd1f5c0e1d3d8d8f2b2b1c8b6e4a',
      fileName: 'rundll32.exe', filePath: 'C:\\Windows\\SysWOW64', processId: 3276,
      processCommandLine: 'rundll32.exe  c:\\temp\\suspicious.dll,RepeatAfterMe', parentProcessId: 8420,
      parentProcessFileName: 'suspicious.exe', parentProcessFilePath: 'c:\\temp', accountName: null, detectionStatus: 'Detected',
    },
    { entityType: 'File', sha1: 'a2ecf7a3b1f7e3b4f5e2d3c1b0a9f8e7d6c5b4a3', fileName: 'suspicious.dll', filePath: 'c:\\temp', detectionStatus: 'Detected' },
    { entityType: 'Ip', ipAddress: '203.0.113.7' },
    { entityType: 'Url', url: 'http://malicious.example/payload' },
  ],
};

describe('defender-alert: the recorded /api/alerts pages', () => {
  test('the first page: three alerts with their ids, times, titles and severities', () => {
    const events = page('first').map(normalize);
    assert.deepEqual(
      events.map(({ event, identity }) => [identity, event['@timestamp'], event.rule?.name, event.quell.level, event.quell.risk]),
      [
        ['da637029414680409372_735564929', '2019-09-01T13:31:08.025Z', 'Demisto Alert', 'medium', 47],
        ['da637029413772554314_295039533', '2019-09-01T13:29:37.235Z', 'test alert2', 'low', 21],
        ['da636983472338927033_-2077013687', '2019-07-10T09:20:33.767Z', 'test alert', 'low', 21],
      ],
    );
  });

  test('an old-shape alert: "null" category dropped, machine id kept as the join key, no invented user', () => {
    const { event } = normalize(page('first')[0]!);
    assert.deepEqual(event, {
      '@timestamp': '2019-09-01T13:31:08.025Z',
      message: 'Created for documentation',
      event: { kind: 'alert', action: 'Demisto Alert', dataset: 'defender.alert', provider: 'CustomerTI', original_time: '2019-09-01T13:31:08.0252869Z' },
      observer: { vendor: 'Microsoft', product: 'Microsoft Defender for Endpoint' },
      rule: { name: 'Demisto Alert', description: 'Created for documentation', ruleset: 'CustomerTI' },
      quell: { format: 'defender-alert', risk: 47, level: 'medium', severityOriginal: 'Medium', uid: '43df73d1dac43593d1275e20422f44a949f6dfc3' },
    });
  });

  test('the same alert on successive pages has the same identity (dedup across pulls)', () => {
    const ids = ['first', 'second', 'third'].map((n) => page(n).map((a) => normalize(a).identity));
    assert.deepEqual(ids[1], [ids[0]![0]]);
    assert.deepEqual(ids[2], ids[0]!.slice(0, 2));
  });

  test('sniffing picks defender-alert for the recorded alerts; no other alert format claims them', () => {
    assert.equal(sniffFormat(page('first'), allFormats, 'json')?.format.name, 'defender-alert');
    for (const alert of [...page('first'), current]) {
      for (const other of ALERT_FORMATS.filter((f) => f !== defenderAlert)) assert.ok(other.detect(alert) < 0.5, `${other.name} scored ${other.detect(alert)}`);
    }
  });
});

describe('defender-alert: the current shape with evidence', () => {
  test('host, user, process, file, address, url, ATT&CK and severity come from the alert and its evidence', () => {
    const { event, identity } = normalize(current);
    assert.equal(identity, 'da637472900382838869_1364969609');
    assert.deepEqual(event.host, { name: 'temp123.middleeast.corp.microsoft.com', hostname: 'temp123' });
    assert.deepEqual(event.user, { name: 'temp123', domain: 'DOMAIN' });
    assert.deepEqual(event.process, {
      pid: 3276, name: 'rundll32.exe', executable: 'C:\\Windows\\SysWOW64\\rundll32.exe',
      command_line: 'rundll32.exe  c:\\temp\\suspicious.dll,RepeatAfterMe',
      parent: { pid: 8420, name: 'suspicious.exe', executable: 'c:\\temp\\suspicious.exe' },
    });
    assert.deepEqual(event.file, { name: 'suspicious.dll', path: 'c:\\temp\\suspicious.dll', hash: { sha1: 'a2ecf7a3b1f7e3b4f5e2d3c1b0a9f8e7d6c5b4a3' } });
    assert.deepEqual(event.source, { ip: '203.0.113.7' });
    assert.deepEqual(event.url, { full: 'http://malicious.example/payload' });
    assert.deepEqual(event.threat, { technique: { id: ['T1064', 'T1085'] } });
    assert.deepEqual(event.rule, {
      id: '17e10bbc-3a68-474a-8aad-faef14d43952', name: 'Suspicious rundll32 execution', description: 'rundll32 ran a script',
      category: 'Execution', ruleset: 'WindowsDefenderAtp',
    });
    assert.deepEqual([event.quell.level, event.quell.risk, event.quell.severityOriginal], ['high', 73, 'High']);
    assert.deepEqual(event.related, {
      ip: ['203.0.113.7'], user: ['temp123'], hosts: ['temp123.middleeast.corp.microsoft.com'],
      hash: ['ff836cfb1af40252bd2a2ea843032e99a5b262ed', 'a4efa8e56ff1a2d4cf1a3a1b5d2c7bafd1e4cd1f5c0e1d3d8d8f2b2b1c8b6e4a', 'a2ecf7a3b1f7e3b4f5e2d3c1b0a9f8e7d6c5b4a3'],
    });
  });

  test('a user named only by UPN in the evidence', () => {
    const { relatedUser: _, ...alert } = current;
    const evidence = [{ entityType: 'User', userPrincipalName: 'alice@contoso.com', aadUserId: 'c1f0-aad' }];
    assert.deepEqual(normalize({ ...alert, evidence }).event.user, { name: 'alice', domain: 'contoso.com', email: 'alice@contoso.com', id: 'c1f0-aad' });
  });

  test('malformed alerts are RecordErrors naming the field', () => {
    assert.throws(() => normalize({ ...current, id: '' }), new RecordError('id is missing or empty'));
    assert.throws(() => normalize({ ...current, alertCreationTime: 'yesterday' }), new RecordError('alertCreationTime is missing or not a time: "yesterday"'));
  });
});
