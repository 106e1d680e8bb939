import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_FORMATS, framed } from './format.test-helpers.js';
import { sniffFormat } from '../sniff.js';
import { elasticAlert } from './elastic.js';
import {
  attackDiscoveryRisk,
  elasticAttackDiscovery,
  replacementMap,
  resolvePlaceholders,
} from './elastic-attack-discovery.js';
import { type Doc } from './flatten.js';
import { RecordError, type ImportedIncident, type NormalizeResult } from './types.js';

const AD_FILE = 'elastic/kibana-es-archive-attack-discovery-doc.ndjson';
const ALL = ALERT_FORMATS;
const AD = 'kibana.alert.attack_discovery';


function asIncident(result: NormalizeResult): { incident: ImportedIncident; identity: string } {
  if (result.kind !== 'incident') assert.fail(`expected an incident, got ${result.kind}`);
  return result;
}

const load = async () => (await framed(AD_FILE))[0]!;
const sourceOf = (record: Doc) => structuredClone((record['value'] as Doc)['source'] as Doc);
const withSource = (record: Doc, source: Doc): Doc => ({ ...record, value: { ...(record['value'] as Doc), source } });
const normalize = (record: Doc) => asIncident(elasticAttackDiscovery.normalize(record, { file: 'ad.ndjson', line: 1 }));

describe('elastic-attack-discovery', () => {
  test('the 9.3 document becomes one incident with its 11 member alerts and tactic names', async () => {
    const { incident, identity } = normalize(await load());
    assert.equal(incident.externalId, '40980216-cf98-4447-af57-894c0e7c39b4');
    assert.equal(incident.title, 'Emotet to Sodinokibi ransomware chain');
    assert.equal(incident.timestamp, '2025-11-20T13:15:01.149Z');
    assert.equal(incident.memberAlertIds.length, 11);
    assert.equal(new Set(incident.memberAlertIds).size, 11);
    assert.equal(incident.memberAlertIds[0], '9f06064a82fbc78e6d42c75209127d8e1e1e50ec9170d677b79acbcf262293ff');
    assert.equal(incident.memberAlertIds[10], '0cb19f38648bd1e6fbefd30c089b49944885b32a4ffa6becacc74ac98b5084b0');
    assert.deepEqual(incident.tactics, ['Initial Access', 'Execution', 'Persistence', 'Defense Evasion', 'Impact']);
    assert.equal(identity, 'id:.alerts-security.attack.discovery.alerts-default/40980216-cf98-4447-af57-894c0e7c39b4');
  });

  test('risk_score 1089 is clamped to risk 100, critical, with the original kept', async () => {
    const record = await load();
    assert.equal(normalize(record).incident.risk, 100);
    assert.deepEqual(attackDiscoveryRisk(sourceOf(record)), { risk: 100, level: 'critical', severityOriginal: '1089' });
  });

  test('the summary placeholders resolve through replacements: no {{ left', async () => {
    const { incident } = normalize(await load());
    assert.equal(
      incident.summary,
      'Emotet infection on SRVWIN03 leads to Sodinokibi ransomware via regsvr32 and registry persistence for Administrator.',
    );
    assert.ok(!incident.summary.includes('{{'));
  });

  test('a placeholder in the title resolves; an unknown uuid is kept verbatim', async () => {
    const record = await load();
    const source = sourceOf(record);
    source[`${AD}.title`] = 'Ransomware on {{ host.name b1beeeb3-f61d-4cc4-bcf5-20b2b15d8da8 }} by {{ user.name 00000000-0000-0000-0000-00000000dead }}';
    assert.equal(normalize(withSource(record, source)).incident.title, 'Ransomware on SRVWIN03 by {{ user.name 00000000-0000-0000-0000-00000000dead }}');
  });

  test('in the details every anonymised uuid resolves, plain-valued placeholders stay as written', async () => {
    const source = sourceOf(await load());
    const replacements = replacementMap(source);
    assert.equal(replacements.size, 20);
    const details = resolvePlaceholders(source[`${AD}.details_markdown`] as string, replacements);
    for (const uuid of replacements.keys()) assert.ok(!details.includes(uuid), `${uuid} left unresolved`);
    assert.ok(details.startsWith('- The attack on SRVWIN03 starts with {{ process.name explorer.exe }} writing'));
    assert.ok(details.endsWith('- All actions are performed by Administrator. The chain is validated by process ancestry, file paths, and rule transitions.'));
    assert.equal(resolvePlaceholders(source[`${AD}.entity_summary_markdown`] as string, replacements), 'Ransomware on SRVWIN03 for Administrator.');
  });

  test('replacements stored as an object map resolve too', () => {
    const map = replacementMap({ [`${AD}.replacements`]: { 'u-1': 'HOST1' } });
    assert.equal(resolvePlaceholders('on {{ host.name u-1 }}', map), 'on HOST1');
  });

  test('a missing title or a non-list alert_ids is a RecordError naming the field', async () => {
    const record = await load();
    const noTitle = sourceOf(record);
    delete noTitle[`${AD}.title`];
    delete noTitle[`${AD}.title_with_replacements`];
    assert.throws(() => normalize(withSource(record, noTitle)), new RecordError(`${AD}.title is missing or empty`));
    const badIds = sourceOf(record);
    badIds[`${AD}.alert_ids`] = 'abc';
    assert.throws(() => normalize(withSource(record, badIds)), new RecordError(`${AD}.alert_ids is not a list (found string)`));
    assert.throws(
      () => normalize({ '@timestamp': '2025-11-20T13:15:01.149Z', 'kibana.alert.rule.name': 'x' }),
      new RecordError(`not an Attack Discovery document: no ${AD}.* fields (import it as elastic-alert)`),
    );
  });

  test('the identity is the same on a second read', async () => {
    assert.equal(normalize(await load()).identity, normalize(await load()).identity);
  });

  test('detect: attack discovery scores above elastic-alert, every other format below 0.5', async () => {
    const records = await framed(AD_FILE);
    assert.equal(sniffFormat(records, ALL, 'json')?.format.name, 'elastic-attack-discovery');
    const record = records[0]!;
    assert.equal(elasticAttackDiscovery.detect(record), 0.99);
    assert.ok(elasticAlert.detect(record) < elasticAttackDiscovery.detect(record));
    for (const other of ALL.filter((f) => f !== elasticAttackDiscovery)) assert.ok(other.detect(record) < 0.5, `${other.name} scored ${other.detect(record)}`);
    // And the other way round: ordinary alerts are not attack discoveries.
    for (const alert of await framed('elastic/kibana-es-archive-alert-docs.ndjson')) assert.equal(elasticAttackDiscovery.detect(alert), 0);
  });
});
