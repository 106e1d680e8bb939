import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { attackCatalogue, tagAttack, threatFromSigmaTags, withAttack } from './index.js';
import { normalizeWazuh } from '../../ingest/formats/wazuh.js';
import { fixtureLines } from '../../ingest/import.test-helpers.js';

const catalogue = attackCatalogue();

describe('tagAttack: one canonical ATT&CK form for every source', () => {
  test("a Wazuh alert's MITRE triple (id, technique name, tactic name) keeps its tactic, canonical", () => {
    const raw = JSON.parse(fixtureLines('wazuh/alerts-json-sample.ndjson')[0]!.toString('utf8')) as Record<string, unknown>;
    const result = normalizeWazuh(raw);
    assert.equal(result.kind, 'event');
    const event = result.kind === 'event' ? result.event : undefined;
    assert.deepEqual(event?.threat, { technique: { id: ['T1110'], name: ['Brute Force'] }, tactic: { name: ['Credential Access'] } });
    assert.deepEqual(tagAttack(event?.threat, catalogue), {
      threat: { technique: { id: ['T1110'], name: ['Brute Force'] }, tactic: { id: ['TA0006'], name: ['Credential Access'] } },
      unresolved: [],
    });
  });

  test('lower-case, revoked and duplicate ids become one canonical id each; sub-techniques are named Parent: Sub', () => {
    assert.deepEqual(tagAttack({ technique: { id: ['t1003.001', 'T1086', 'T1059.001', 'T1574.002', 'T1574.001'] } }, catalogue), {
      threat: {
        technique: {
          id: ['T1003.001', 'T1059.001', 'T1574.001'],
          name: ['OS Credential Dumping: LSASS Memory', 'Command and Scripting Interpreter: PowerShell', 'Hijack Execution Flow: DLL'],
        },
        // No tactic named by the source: every tactic of the techniques, in matrix order.
        tactic: {
          id: ['TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0006'],
          name: ['Execution', 'Persistence', 'Privilege Escalation', 'Defense Evasion', 'Credential Access'],
        },
      },
      unresolved: [],
    });
  });

  test('tactics by id, shortname, display name and Suricata-style underscores all resolve; v19 names are unresolved', () => {
    const tagged = tagAttack(
      { technique: { id: ['T1078'] }, tactic: { id: ['TA0001'], name: ['Initial Access', 'persistence', 'Command_And_Control', 'Stealth'] } },
      catalogue,
    );
    assert.deepEqual(tagged, {
      threat: {
        technique: { id: ['T1078'], name: ['Valid Accounts'] },
        tactic: { id: ['TA0001', 'TA0003', 'TA0011'], name: ['Initial Access', 'Persistence', 'Command and Control'] },
      },
      unresolved: ['Stealth'],
    });
  });

  test('an id the catalogue does not know stays on the alert and is reported; an empty threat is dropped', () => {
    assert.deepEqual(tagAttack({ technique: { id: ['t9999', 'T1110'], name: ['Future Thing', 'Brute Force'] } }, catalogue), {
      threat: {
        technique: { id: ['T9999', 'T1110'], name: ['Future Thing', 'Brute Force'] },
        tactic: { id: ['TA0006'], name: ['Credential Access'] },
      },
      unresolved: ['T9999'],
    });
    assert.deepEqual(tagAttack({ technique: { id: [] }, tactic: { name: [] } }, catalogue), { threat: undefined, unresolved: [] });
    assert.deepEqual(tagAttack(undefined, catalogue), { threat: undefined, unresolved: [] });
  });

  test('a technique named without an id is found when the name is exact and unique', () => {
    assert.deepEqual(tagAttack({ technique: { name: ['Kerberoasting', 'DNS'] } }, catalogue), {
      threat: { technique: { id: ['T1558.003'], name: ['Steal or Forge Kerberos Tickets: Kerberoasting'] }, tactic: { id: ['TA0006'], name: ['Credential Access'] } },
      unresolved: ['DNS'],
    });
  });

  test('Sigma tags: techniques and tactics kept, groups and software left out', () => {
    const threat = threatFromSigmaTags(['attack.credential-access', 'attack.t1003.001', 'attack.g0016', 'attack.s0002', 'cve.2021-1675', 'attack.stealth']);
    assert.deepEqual(threat, { technique: { id: ['t1003.001'] }, tactic: { name: ['credential-access', 'stealth'] } });
    assert.deepEqual(tagAttack(threat, catalogue), {
      threat: { technique: { id: ['T1003.001'], name: ['OS Credential Dumping: LSASS Memory'] }, tactic: { id: ['TA0006'], name: ['Credential Access'] } },
      unresolved: ['stealth'],
    });
    assert.equal(threatFromSigmaTags(['attack.g0016', 'car.2016-04-002']), undefined);
  });

  test('withAttack leaves records without ATT&CK untouched and records what it could not resolve', () => {
    const plain = { '@timestamp': '2024-01-01T00:00:00.000Z', event: { kind: 'event' as const }, quell: { format: 'zeek', risk: 0, level: 'informational' as const } };
    assert.equal(withAttack(plain, () => assert.fail('the catalogue is not needed')), plain);
    const tagged = withAttack({ ...plain, threat: { technique: { id: ['T1086', 'T0000'] } } });
    assert.deepEqual([tagged.threat?.technique?.id, tagged.quell.attackUnresolved], [['T1059.001', 'T0000'], ['T0000']]);
  });
});
