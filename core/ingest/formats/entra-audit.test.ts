import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_FORMATS, framed, asEvent } from './format.test-helpers.js';
import { sniffFormat } from '../sniff.js';
import { entraAudit } from './entra-audit.js';
import { type Doc } from './flatten.js';
import { RecordError } from './types.js';

const AUDIT = 'golden-saml/AADAuditEvents.json';
const ALL = ALERT_FORMATS;



const normalize = (record: Doc) => asEvent(entraAudit.normalize(record, { file: 'AADAuditEvents.json', line: 1 }));

describe('entra-audit: Golden SAML audit events', () => {
  test('InitiatedBy (a JSON string) gives the UPN, split into name and domain; the target app is kept', async () => {
    const [row] = await framed(AUDIT);
    assert.equal(typeof row!['InitiatedBy'], 'string');
    const { event } = normalize(row!);
    assert.deepEqual(event.user, {
      name: 'pgustavo',
      domain: 'simulandlabs.com',
      email: 'pgustavo@simulandlabs.com',
      id: 'aead923d-498b-4f64-a66c-2af91447a8b6',
    });
    assert.equal(event['@timestamp'], '2021-08-02T13:29:25.983Z');
    // The upstream value ends in a space; the action is trimmed.
    assert.equal(event.event.action, 'Update application – Certificates and secrets management');
    assert.equal(
      event.message,
      'Update application – Certificates and secrets management on SimuLandApp (Application) by pgustavo@simulandlabs.com',
    );
    assert.deepEqual(event.tags, ['target:SimuLandApp']);
    assert.deepEqual(event.cloud, { provider: 'azure', service: { name: 'Core Directory' } });
    assert.deepEqual([event.event.kind, event.event.outcome, event.event.type, event.event.category], ['event', 'success', ['change'], ['iam']]);
    assert.equal(event.http?.user_agent, 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.17763.1971');
  });

  test('the delegated permission grant names both target service principals', async () => {
    const { event } = normalize((await framed(AUDIT))[3]!);
    assert.equal(event.event.action, 'Add delegated permission grant');
    assert.equal(
      event.message,
      'Add delegated permission grant on Microsoft Graph (ServicePrincipal), 0d2f5969-011b-460d-ac74-3291d227d49f (ServicePrincipal) by pgustavo@simulandlabs.com',
    );
  });

  test('identities: the two mv-expanded rows sharing one Id stay distinct; all stable on a second read', async () => {
    const rows = await framed(AUDIT);
    assert.equal(rows[0]!['Id'], rows[1]!['Id']);
    const first = rows.map((r) => normalize(r).identity);
    const second = (await framed(AUDIT)).map((r) => normalize(r).identity);
    assert.equal(new Set(first).size, 4);
    assert.deepEqual(second, first);
    assert.equal(first[2], 'Directory_ae69aa7a-e9b7-4066-84f2-58582994d8cb_7H1JL_8584070\u0000Update application');
  });

  test('a corrupted JSON-in-string field is a RecordError naming the field', async () => {
    const [row] = await framed(AUDIT);
    const cut = (row!['InitiatedBy'] as string).slice(0, 40);
    assert.throws(() => normalize({ ...row, InitiatedBy: cut }), new RecordError(`InitiatedBy is not valid JSON: ${JSON.stringify(cut)}`));
    assert.throws(() => normalize({ ...row, TargetResources: '[{"id":' }), new RecordError('TargetResources is not valid JSON: "[{\\"id\\":"'));
    assert.throws(() => normalize({ ...row, keyEvents: '{oops}' }), new RecordError('keyEvents is not valid JSON: "{oops}"'));
    assert.throws(() => normalize({ ...row, InitiatedBy: '[]' }), new RecordError('InitiatedBy is JSON but not an object'));
  });

  test('a Graph API record (camelCase, already-parsed objects) reads the same', async () => {
    const [row] = await framed(AUDIT);
    const graph: Doc = {
      id: row!['Id'],
      activityDisplayName: row!['OperationName'],
      activityDateTime: row!['ActivityDateTime'],
      category: row!['Category'],
      correlationId: row!['CorrelationId'],
      result: 'success',
      loggedByService: 'Core Directory',
      initiatedBy: JSON.parse(row!['InitiatedBy'] as string) as unknown,
      targetResources: JSON.parse(row!['TargetResources'] as string) as unknown,
    };
    assert.ok(entraAudit.detect(graph) >= 0.9);
    const { event } = normalize(graph);
    assert.equal(event.user?.email, 'pgustavo@simulandlabs.com');
    assert.equal(event.event.action, 'Update application – Certificates and secrets management');
    assert.deepEqual(event.tags, ['target:SimuLandApp']);
  });

  test('detect: every row goes to entra-audit, every other format scores below 0.5', async () => {
    const rows = await framed(AUDIT);
    assert.equal(sniffFormat(rows, ALL, 'json')?.format.name, 'entra-audit');
    for (const row of rows) {
      assert.equal(entraAudit.detect(row), 0.95);
      for (const other of ALL.filter((f) => f !== entraAudit)) assert.ok(other.detect(row) < 0.5, `${other.name} scored ${other.detect(row)}`);
    }
  });
});
