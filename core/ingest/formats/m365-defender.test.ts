import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_FORMATS, framed, asEvent } from './format.test-helpers.js';
import { sniffFormat } from '../sniff.js';
import { type Doc } from './flatten.js';
import { m365Defender } from './m365-defender.js';
import { RecordError } from './types.js';

const ROWS = 'golden-saml/Microsoft365DefenderEvents.json';
const ALL = ALERT_FORMATS;



const normalize = (row: Doc) => asEvent(m365Defender.normalize(row, { file: 'Microsoft365DefenderEvents.json', line: 1 }));

describe('m365-defender: Golden SAML advanced-hunting rows', () => {
  test('all 9 rows are telemetry events keyed by ActionType', async () => {
    const events = (await framed(ROWS)).map((r) => normalize(r).event);
    assert.deepEqual(
      events.map((e) => e.event.action),
      [
        'LdapSearch',
        'LdapSearch',
        'LdapSearch',
        'LdapSearch',
        'LdapSearch',
        'Directory Services replication',
        'Directory Services replication',
        'MailItemsAccessed',
        'Add delegated permission grant.',
      ],
    );
    for (const e of events) assert.deepEqual([e.event.kind, e.quell.level, e.quell.risk], ['event', 'informational', 0]);
  });

  test('7-digit (and 6-digit) fractions give exact UTC milliseconds; the written value is kept', async () => {
    const rows = await framed(ROWS);
    const first = normalize(rows[0]!).event;
    assert.equal(first['@timestamp'], '2021-08-02T13:11:39.772Z');
    assert.equal(first.event.original_time, '2021-08-02T13:11:39.7724491Z');
    assert.equal(normalize(rows[1]!).event['@timestamp'], '2021-08-02T13:11:39.774Z');
    assert.equal(normalize(rows[4]!).event['@timestamp'], '2021-08-02T13:15:30.513Z');
    assert.equal(normalize(rows[7]!).event['@timestamp'], '2021-08-02T13:32:07.000Z');
  });

  test('LdapSearch on ADFS01: the initiating PowerShell, its account, hashes and the LDAP filter', async () => {
    const { event } = normalize((await framed(ROWS))[2]!);
    assert.equal(event.event.dataset, 'DeviceEvents');
    assert.deepEqual(event.host, { name: 'adfs01.simulandlabs.com' });
    assert.deepEqual(event.user, {
      name: 'wardog',
      domain: 'simulandlabs',
      email: 'wardog@simulandlabs.com',
      id: 'S-1-5-21-2490359158-13971675-3780420524-500',
    });
    assert.deepEqual(event.process, {
      pid: 5692,
      name: 'powershell.exe',
      executable: 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe',
      command_line: '"powershell.exe"',
      parent: { pid: 820, name: 'svchost.exe' },
    });
    assert.equal(
      event.message,
      'LDAP search (name=CryptoPolicy) under CN=596f0e13-7a4b-49a1-a106-0cbcba66b065,CN=ADFS,CN=Microsoft,CN=Program Data,DC=simulandlabs,DC=com',
    );
    assert.deepEqual(event.related?.hash, [
      '7353f60b1739074eb17c5f4dddefe239',
      '6cbce4a295c163791b60fc23d285e6d84f28ee4c',
      'de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c',
    ]);
  });

  test('Directory Services replication: pgustavo from ADFS01 (192.168.2.5) to DC01 (192.168.2.4:49668) over Drsr', async () => {
    const { event } = normalize((await framed(ROWS))[5]!);
    assert.equal(event.event.dataset, 'IdentityDirectoryEvents');
    assert.deepEqual(event.user, {
      name: 'pgustavo',
      domain: 'simulandlabs.com',
      email: 'pgustavo@simulandlabs.com',
      id: 'aead923d-498b-4f64-a66c-2af91447a8b6',
    });
    assert.deepEqual(event.source, { ip: '192.168.2.5', port: 53163 });
    assert.deepEqual(event.destination, { ip: '192.168.2.4', port: 49668, domain: 'dc01.simulandlabs.com' });
    assert.deepEqual(event.network, { protocol: 'Drsr' });
    assert.equal(event.message, 'Directory Services replication by Gustavo Pedro');
  });

  test('MailItemsAccessed (CloudAppEvents): the mailbox user from RawEventData, the acting app in the message', async () => {
    const { event } = normalize((await framed(ROWS))[7]!);
    assert.equal(event.event.dataset, 'CloudAppEvents');
    // AccountObjectId here is SimuLandApp's, so it must not become the user's id.
    assert.deepEqual(event.user, { name: 'pgustavo', domain: 'simulandlabs.com', email: 'pgustavo@simulandlabs.com' });
    assert.deepEqual(event.source, { ip: '1.2.3.4' });
    assert.equal(event.message, 'MailItemsAccessed by SimuLandApp');
    assert.deepEqual(event.cloud, { provider: 'azure', service: { name: 'Microsoft Exchange Online' } });
  });

  test('identities: 9 distinct, the same on a second read', async () => {
    const first = (await framed(ROWS)).map((r) => normalize(r).identity);
    const second = (await framed(ROWS)).map((r) => normalize(r).identity);
    assert.equal(new Set(first).size, 9);
    assert.deepEqual(second, first);
    assert.equal(first[0], '113597\u000000000000-0000-0000-0000-000000000000\u0000adfs01.simulandlabs.com\u00002021-08-02T13:11:39.7724491Z\u0000LdapSearch');
  });

  test('broken rows are RecordErrors naming the field', async () => {
    const [row] = await framed(ROWS);
    assert.throws(() => normalize({ ...row, ActionType: '' }), new RecordError('ActionType is missing or empty'));
    assert.throws(() => normalize({ ...row, Timestamp: '08/02/2021 13:11' }), new RecordError('Timestamp is missing or not a time: "08/02/2021 13:11"'));
    assert.throws(
      () => normalize({ ...row, AdditionalFields_string: '{"AttributeList":["objectClass"' }),
      new RecordError('AdditionalFields_string is not valid JSON: "{\\"AttributeList\\":[\\"objectClass\\""'),
    );
  });

  test('detect: every row goes to m365-defender, every other format scores below 0.5', async () => {
    const rows = await framed(ROWS);
    assert.equal(sniffFormat(rows, ALL, 'json')?.format.name, 'm365-defender');
    for (const row of rows) {
      assert.equal(m365Defender.detect(row), 0.95);
      for (const other of ALL.filter((f) => f !== m365Defender)) assert.ok(other.detect(row) < 0.5, `${other.name} scored ${other.detect(row)}`);
    }
  });
});
