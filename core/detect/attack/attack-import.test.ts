import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { coreWithCase, fixture, fixtureLines } from '../../ingest/import.test-helpers.js';
import { writeRulesetAlerts } from './attack.test-helpers.js';
import { alice } from '../../store/journal.test-helpers.js';
import type { CommandInput, CommandName, CommandOutput } from '../../api/index.js';
import type { TestCore } from '../../store/journal.test-helpers.js';

type Core = TestCore & { caseId: string };

async function call<N extends CommandName>(core: Core, name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const result = await core.router.invoke(name, input, alice);
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function rulesetAlerts(core: Core): string {
  const file = path.join(core.dir, 'wazuh-ruleset-alerts.json');
  writeRulesetAlerts(file);
  return file;
}

describe('ATT&CK on imported alerts', () => {
  test('a real Wazuh alert is stored with its technique and tactic in canonical form', async (t) => {
    const core = await coreWithCase(t);
    await call(core, 'evidence.import', { caseId: core.caseId, paths: [fixture('wazuh/alerts-json-sample.ndjson')] });
    const { rows } = await call(core, 'event.list', { caseId: core.caseId });
    assert.deepEqual(rows.map((r) => [r.kind, r.techniques]), [['alert', ['T1110']]]);
    const detail = await call(core, 'event.get', { caseId: core.caseId, eventId: rows[0]!.id });
    assert.deepEqual(detail.doc.threat, {
      technique: { id: ['T1110'], name: ['Brute Force'] },
      tactic: { id: ['TA0006'], name: ['Credential Access'] },
    });
    assert.equal((detail.doc.quell as Record<string, unknown>).attackUnresolved, undefined);

    const matrix = await call(core, 'attack.matrix', { caseId: core.caseId });
    assert.deepEqual(
      matrix.tactics.filter((x) => x.techniques.length).map((x) => [x.id, x.techniques]),
      [['TA0006', [{ id: 'T1110', name: 'Brute Force', alerts: 1, subtechniques: [] }]]],
    );
    assert.deepEqual([matrix.caseId, matrix.version, matrix.tactics.length, matrix.taggedAlerts, matrix.unmapped], [core.caseId, '18.1', 14, 1, []]);
  });

  test('Wazuh rules with the revoked T1574.002 are stored as T1574.001, once, with every tactic of the technique', async (t) => {
    const core = await coreWithCase(t);
    await call(core, 'evidence.import', { caseId: core.caseId, paths: [rulesetAlerts(core)] });
    const { rows } = await call(core, 'event.list', { caseId: core.caseId, technique: 'T1574' });
    assert.deepEqual(rows.map((r) => [r.title, r.techniques]), [
      ['Windows Defender executed from suspicious path, possible DLL side-loading', ['T1574.001']],
      ['Possible DLL search order hijack by $(win.eventdata.targetFilename) created in Windows root folder', ['T1574.001']],
    ]);
    const detail = await call(core, 'event.get', { caseId: core.caseId, eventId: rows[1]!.id });
    assert.deepEqual(detail.doc.threat, {
      technique: { id: ['T1574.001'], name: ['Hijack Execution Flow: DLL'] },
      tactic: { id: ['TA0003', 'TA0004', 'TA0005'], name: ['Persistence', 'Privilege Escalation', 'Defense Evasion'] },
    });
    // The vendor's own ids stay in the original record.
    assert.deepEqual((detail.original as { rule: { mitre: { id: string[] } } }).rule.mitre.id, ['T1574.001', 'T1574.002']);
  });

  test('the matrix counts alerts per technique, sub-techniques rolled up, and each count is what the queue filter finds', async (t) => {
    const core = await coreWithCase(t);
    const summary = await call(core, 'evidence.import', { caseId: core.caseId, paths: [rulesetAlerts(core)] });
    assert.deepEqual([summary.totals.read, summary.totals.stored], [60, 60]);
    const matrix = await call(core, 'attack.matrix', { caseId: core.caseId });
    const cells = Object.fromEntries(
      matrix.tactics.map((x) => [x.shortname, x.techniques.map((c) => [c.id, c.alerts, c.subtechniques.map((s) => `${s.id}:${s.alerts}`).join(' ')].join(' ').trim())]),
    );
    assert.deepEqual(cells, {
      reconnaissance: [],
      'resource-development': [],
      'initial-access': ['T1190 1'],
      execution: ['T1059 6 T1059.003:2 T1059.005:1'],
      persistence: ['T1574 2 T1574.001:2'],
      'privilege-escalation': ['T1574 2 T1574.001:2'],
      'defense-evasion': ['T1562 4 T1562.001:3', 'T1574 2 T1574.001:2', 'T1027 1 T1027.004:1'],
      'credential-access': ['T1110 20 T1110.001:11'],
      discovery: [],
      'lateral-movement': ['T1021 12 T1021.004:12'],
      collection: [],
      'command-and-control': [],
      exfiltration: [],
      impact: [],
    });
    assert.deepEqual([matrix.taggedAlerts, matrix.unmapped], [35, []]);

    for (const tactic of matrix.tactics) {
      for (const cell of tactic.techniques) {
        for (const { id, alerts } of [cell, ...cell.subtechniques]) {
          const { total } = await call(core, 'event.list', { caseId: core.caseId, kind: 'alert', technique: id, limit: 1 });
          assert.equal(total, alerts, `${tactic.shortname} ${id}`);
        }
      }
    }
  });

  test('Suricata alerts carry ATT&CK from ET rule metadata, underscored tactic names made canonical', async (t) => {
    // No fixture alert has rule metadata, so the first curl alert gets the metadata block ET rules write in EVE.
    const core = await coreWithCase(t);
    const record = JSON.parse(fixtureLines('suricata/eve-alerts.ndjson')[0]!.toString('utf8')) as { alert: Record<string, unknown> };
    record.alert.metadata = { mitre_tactic_id: ['TA0011'], mitre_tactic_name: ['Command_And_Control'], mitre_technique_id: ['T1071'], mitre_technique_name: ['Application_Layer_Protocol'] };
    const file = path.join(core.dir, 'eve-with-mitre.ndjson');
    fs.writeFileSync(file, `${JSON.stringify(record)}\n`);
    await call(core, 'evidence.import', { caseId: core.caseId, paths: [file] });
    const { rows } = await call(core, 'event.list', { caseId: core.caseId, technique: 't1071' });
    assert.deepEqual(rows.map((r) => r.techniques), [['T1071']]);
    const detail = await call(core, 'event.get', { caseId: core.caseId, eventId: rows[0]!.id });
    assert.deepEqual(detail.doc.threat, {
      technique: { id: ['T1071'], name: ['Application Layer Protocol'] },
      tactic: { id: ['TA0011'], name: ['Command and Control'] },
    });
  });

  test('attack.matrix of an unknown case is not_found; of an empty case, 14 empty columns', async (t) => {
    const core = await coreWithCase(t);
    const missing = await core.router.invoke('attack.matrix', { caseId: 'case_nope' }, alice);
    assert.deepEqual(missing.ok ? null : [missing.error.code, missing.error.message], ['not_found', 'No case with id case_nope.']);
    const empty = await call(core, 'attack.matrix', { caseId: core.caseId });
    assert.deepEqual([empty.tactics.map((x) => x.techniques.length), empty.taggedAlerts], [Array(14).fill(0), 0]);
  });

  test('attack.lookup answers through the router, and an unknown id fails with not_found', async (t) => {
    const core = await coreWithCase(t);
    const found = await call(core, 'attack.lookup', { query: 't1086' });
    assert.deepEqual([found.matchedBy, found.techniques.map((x) => [x.id, x.redirectedFrom])], ['technique-id', [['T1059.001', ['T1086']]]]);
    const missing = await core.router.invoke('attack.lookup', { query: 'T9999' }, alice);
    assert.deepEqual(missing.ok ? null : missing.error, { code: 'not_found', message: 'ATT&CK 18.1 has no technique T9999.', details: { query: 'T9999', version: '18.1' } });
    const blank = await core.router.invoke('attack.lookup', { query: '  ' }, alice);
    assert.deepEqual(blank.ok ? null : [blank.error.code, blank.error.issues], ['invalid_input', [{ path: 'input.query', message: 'name a technique or tactic' }]]);
  });
});
