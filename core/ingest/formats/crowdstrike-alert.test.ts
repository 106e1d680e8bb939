import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sniffFormat } from '../sniff.js';
import { allFormats } from './index.js';
import { crowdstrikeAlert, fromCrowdStrike } from './crowdstrike-alert.js';
import { ALERT_FORMATS, FIXTURES, asEvent } from './format.test-helpers.js';
import type { Doc } from './flatten.js';
import { RecordError } from './types.js';

/** The `resources[]` of the recorded `POST /alerts/entities/alerts/v2` envelope: what the connector hands core. */
function entities(): Doc[] {
  const body = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'crowdstrike', 'demisto-ioa_alerts_v2_entities_response.json'), 'utf8')) as { resources: Doc[] };
  return body.resources;
}
const normalize = (alert: Doc) => asEvent(crowdstrikeAlert.normalize(alert, { file: 'crowdstrike', line: 1 }));

/**
 * An endpoint (`epp`) alert written from the main fields CONNECTOR-APIS.md §5 lists (the recordings hold only cloud
 * alerts).
 */
const endpoint: Doc = {
  composite_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90:ind:5f4dcc3b5aa765d61d8327deb882cf99:1234-5761-77',
  id: 'ind:5f4dcc3b5aa765d61d8327deb882cf99:1234-5761-77', cid: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  agent_id: '5f4dcc3b5aa765d61d8327deb882cf99', product: 'epp', type: 'ldt', status: 'new', severity: 90,
  severity_name: 'Critical', confidence: 80, name: 'CredentialDumping', display_name: 'LSASS memory access',
  description: 'A process read LSASS memory.', tactic: 'Credential Access', tactic_id: 'TA0006',
  technique: 'OS Credential Dumping', technique_id: 'T1003', pattern_id: 5761,
  timestamp: '2023-11-03T18:00:22.328Z', created_timestamp: '2023-11-03T18:01:23.995794943Z',
  device: { device_id: '5f4dcc3b5aa765d61d8327deb882cf99', hostname: 'HOST-1', platform_name: 'Windows', local_ip: '10.0.0.5', external_ip: '198.51.100.20' },
  filename: 'procdump.exe', filepath: '\\Device\\HarddiskVolume3\\tools\\procdump.exe', cmdline: 'procdump.exe -ma lsass.exe',
  sha256: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', user_name: 'alice', logon_domain: 'CORP',
  local_process_id: '4242', parent_details: { filename: 'cmd.exe', filepath: '\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe', cmdline: 'cmd.exe' },
  mitre_attack: [{ tactic_id: 'TA0006', technique_id: 'T1003.001', pattern_id: 5761, tactic: 'Credential Access', technique: 'LSASS Memory' }],
  tags: ['triage'],
};

describe('crowdstrike-alert: the recorded entities envelope', () => {
  test('both cloud alerts: composite ids, times, names, severities', () => {
    const events = entities().map(normalize);
    assert.deepEqual(
      events.map(({ event, identity }) => [identity, event['@timestamp'], event.rule?.name, event.quell.level, event.quell.risk, event.quell.severityOriginal]),
      [
        ['00000000000000000000000000000001:fcs:ioa-211:00000000-0000-0000-0000-000000000002', '2026-04-20T22:49:16.583Z',
          'EC2 security group modified with new ingress rule allowing traffic from the public internet', 'high', 70, 'High/70'],
        ['00000000000000000000000000000001:fcs:ioa-211:11111111-2222-3333-4444-555555555555', '2026-04-20T22:50:16.583Z', 'Another IOA', 'low', 30, 'Low/30'],
      ],
    );
  });

  test('the cloud alert: caller address, user, cloud service and ATT&CK', () => {
    const { event } = normalize(entities()[0]!);
    assert.deepEqual(event.source, { ip: '192.0.2.1' });
    assert.deepEqual(event.user, { name: 'dummy-user', id: 'AROAEXAMPLE0000000000:dummy.user@example.com' });
    assert.deepEqual(event.cloud, { provider: 'aws', service: { name: 'EC2' } });
    assert.deepEqual(event.threat, {
      technique: { id: ['T1562.007'], name: ['Impair Defenses: Disable or Modify Cloud Firewall'] },
      tactic: { id: ['TA0005'], name: ['Defense Evasion'] },
    });
    assert.deepEqual(event.event, {
      kind: 'alert', action: 'AuthorizeSecurityGroupIngress', category: ['Cloud'], dataset: 'crowdstrike.alert.fcs',
      provider: 'ec2.amazonaws.com', original_time: '2026-04-20T22:49:16.583865066Z', severity: 70,
    });
    assert.deepEqual(event.rule, {
      id: '2036', name: 'EC2 security group modified with new ingress rule allowing traffic from the public internet',
      description: 'An EC2 Security Group was modified to allow ingress network traffic from the public internet.', category: 'cloud-ioa', ruleset: 'fcs',
    });
  });

  test('sniffing picks crowdstrike-alert for the recorded alerts; no other alert format claims them', () => {
    assert.equal(sniffFormat(entities(), allFormats, 'json')?.format.name, 'crowdstrike-alert');
    for (const alert of [...entities(), endpoint]) {
      for (const other of ALERT_FORMATS.filter((f) => f !== crowdstrikeAlert)) assert.ok(other.detect(alert) < 0.5, `${other.name} scored ${other.detect(alert)}`);
    }
  });
});

describe('crowdstrike-alert: an endpoint alert', () => {
  test('device, process, parent, file hash, user and both ATT&CK sources', () => {
    const { event, identity } = normalize(endpoint);
    assert.equal(identity, endpoint['composite_id']);
    assert.deepEqual(event.host, { name: 'HOST-1', hostname: 'HOST-1', ip: ['10.0.0.5', '198.51.100.20'], os: { platform: 'Windows' } });
    assert.deepEqual(event.user, { name: 'alice', domain: 'CORP' });
    assert.deepEqual(event.process, {
      pid: 4242, name: 'procdump.exe', executable: '\\Device\\HarddiskVolume3\\tools\\procdump.exe', command_line: 'procdump.exe -ma lsass.exe',
      parent: { name: 'cmd.exe', executable: '\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe', command_line: 'cmd.exe' },
    });
    assert.deepEqual(event.file?.hash, { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    assert.deepEqual(event.threat, {
      technique: { id: ['T1003', 'T1003.001'], name: ['OS Credential Dumping', 'LSASS Memory'] },
      tactic: { id: ['TA0006'], name: ['Credential Access'] },
    });
    assert.deepEqual([event.quell.level, event.quell.risk, event.quell.uid], ['critical', 90, '5f4dcc3b5aa765d61d8327deb882cf99']);
    assert.deepEqual(event.tags, ['triage']);
  });

  test('severity: the name wins when known, else the 0–100 score sets the level', () => {
    assert.deepEqual(fromCrowdStrike(50, 'Medium'), { risk: 50, level: 'medium', severityOriginal: 'Medium/50' });
    assert.deepEqual(fromCrowdStrike(95, undefined), { risk: 95, level: 'critical', severityOriginal: 95 });
    assert.deepEqual(fromCrowdStrike(undefined, undefined), { risk: 0, level: 'informational' });
  });

  test('malformed alerts are RecordErrors naming the field', () => {
    const { composite_id: _c, id: _i, ...anonymous } = endpoint;
    assert.throws(() => normalize(anonymous), new RecordError('composite_id and id are missing or empty'));
    assert.throws(() => normalize({ ...endpoint, created_timestamp: 'soon' }), new RecordError('created_timestamp is missing or not a time: "soon"'));
  });
});
