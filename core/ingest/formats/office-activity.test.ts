import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_FORMATS, framed, asEvent } from './format.test-helpers.js';
import { sniffFormat } from '../sniff.js';
import { type Doc } from './flatten.js';
import { clientIp, officeActivity } from './office-activity.js';
import { RecordError } from './types.js';

const OFFICE = 'golden-saml/OfficeActivityEvents.json';
const ALL = ALERT_FORMATS;



const normalize = (record: Doc) => asEvent(officeActivity.normalize(record, { file: 'OfficeActivityEvents.json', line: 1 }));

describe('office-activity: the Golden SAML mailbox read', () => {
  test('the single-object file is one MailItemsAccessed event by pgustavo, Folders parsed from its JSON string', async () => {
    const records = await framed(OFFICE);
    assert.equal(records.length, 1);
    assert.equal(typeof records[0]!['Folders'], 'string');
    const { event, identity } = normalize(records[0]!);
    assert.equal(event['@timestamp'], '2021-08-02T13:32:07.000Z');
    assert.deepEqual(event.event, {
      kind: 'event',
      action: 'MailItemsAccessed',
      dataset: 'o365.audit',
      provider: 'Exchange',
      outcome: 'success',
      original_time: '2021-08-02T13:32:07Z',
    });
    assert.deepEqual(event.user, {
      name: 'pgustavo',
      domain: 'simulandlabs.com',
      email: 'pgustavo@simulandlabs.com',
      id: 'S-1-5-21-1825954961-3338807533-2873504967-26087451',
    });
    assert.deepEqual(event.source, { ip: '1.2.3.4' });
    assert.equal(
      event.message,
      'MailItemsAccessed by pgustavo@simulandlabs.com (7 items in \\Inbox; ClientInfoString "Client=REST;;"; ' +
        'AppId 00000003-0000-0000-c000-000000000000 (Microsoft Graph); ClientAppId 5a95e683-08ad-424e-a441-1d1aec52c02c)',
    );
    assert.deepEqual([event.quell.level, event.quell.risk], ['informational', 0]);
    // The export has no Id column; OfficeId is the audit record's id.
    assert.equal(identity, 'id:699e0b10-1c53-403e-976f-ce0847a92b44');
  });

  test('the same audit record as the Management API writes it (Defender RawEventData) gets the same identity', async () => {
    const defenderRow = (await framed('golden-saml/Microsoft365DefenderEvents.json'))[7]!;
    const raw = defenderRow['RawEventData'] as Doc;
    assert.ok(officeActivity.detect(raw) >= 0.9);
    const api = normalize(raw);
    const sentinel = normalize((await framed(OFFICE))[0]!);
    assert.equal(api.identity, sentinel.identity);
    assert.equal(api.event['@timestamp'], '2021-08-02T13:32:07.000Z');
    assert.deepEqual(api.event.user, sentinel.event.user);
    assert.deepEqual(api.event.source, { ip: '1.2.3.4' });
  });

  test('an API CreationTime without a zone is UTC; a client address with a port loses the port', async () => {
    const [record] = await framed(OFFICE);
    const { TimeGenerated: _t, Client_IPAddress: _ip, ...rest } = record!;
    const { event } = normalize({ ...rest, CreationTime: '2021-08-02T13:32:07', ClientIP: '1.2.3.4:50123' });
    assert.equal(event['@timestamp'], '2021-08-02T13:32:07.000Z');
    assert.deepEqual(event.source, { ip: '1.2.3.4' });
  });

  test('client addresses', () => {
    assert.equal(clientIp('1.2.3.4'), '1.2.3.4');
    assert.equal(clientIp('1.2.3.4:5678'), '1.2.3.4');
    assert.equal(clientIp('[2001:db8::1]:443'), '2001:db8::1');
    assert.equal(clientIp('2001:db8::1'), '2001:db8::1');
    assert.equal(clientIp('not an address'), undefined);
  });

  test('a corrupted Folders string or a missing Operation is a RecordError naming the field', async () => {
    const [record] = await framed(OFFICE);
    assert.throws(() => normalize({ ...record, Folders: '[{"FolderItems":[' }), new RecordError('Folders is not valid JSON: "[{\\"FolderItems\\":["'));
    assert.throws(() => normalize({ ...record, Operation: ' ' }), new RecordError('Operation is missing or empty'));
    assert.throws(() => normalize({ ...record, TimeGenerated: 'Monday' }), new RecordError('TimeGenerated is missing or not a time: "Monday"'));
  });

  test('detect: the file goes to office-activity, every other format scores below 0.5', async () => {
    const records = await framed(OFFICE);
    assert.equal(sniffFormat(records, ALL, 'json')?.format.name, 'office-activity');
    assert.equal(officeActivity.detect(records[0]!), 0.95);
    for (const other of ALL.filter((f) => f !== officeActivity)) assert.ok(other.detect(records[0]!) < 0.5, `${other.name} scored ${other.detect(records[0]!)}`);
  });
});
