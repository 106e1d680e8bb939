import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../../api/index.js';
import { findContentDir } from '../../content-dir.js';
import { tempDir } from '../../store/journal.test-helpers.js';
import { attackCatalogue, readCatalogueFile } from './index.js';

const catalogue = attackCatalogue();

/** The QuellError a call throws, as data, so code and message are compared exactly. */
function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof QuellError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a QuellError');
}

describe('ATT&CK catalogue (v18.1 shipped in content/attack)', () => {
  test('holds 14 tactics, 216 active techniques, 475 active sub-techniques, 12 deprecated and 132 revoked', () => {
    assert.equal(catalogue.version, '18.1');
    assert.deepEqual(catalogue.counts(), { tactics: 14, techniques: 216, subtechniques: 475, deprecated: 12, revoked: 132 });
    assert.equal(catalogue.ids().length, 835);
  });

  test('lists tactics in matrix order, Reconnaissance first and Impact last', () => {
    assert.deepEqual(
      catalogue.tactics.map((t) => `${t.order} ${t.id} ${t.shortname}`),
      [
        '1 TA0043 reconnaissance', '2 TA0042 resource-development', '3 TA0001 initial-access', '4 TA0002 execution',
        '5 TA0003 persistence', '6 TA0004 privilege-escalation', '7 TA0005 defense-evasion', '8 TA0006 credential-access',
        '9 TA0007 discovery', '10 TA0008 lateral-movement', '11 TA0009 collection', '12 TA0011 command-and-control',
        '13 TA0010 exfiltration', '14 TA0040 impact',
      ],
    );
  });

  test('active techniques and sub-techniques per tactic match the data README', () => {
    const perTactic = (shortname: string) =>
      catalogue.ids().filter((id) => {
        const t = catalogue.findTechnique(id)!;
        return t.redirectedFrom.length === 0 && !t.deprecated && t.tactics.some((x) => x.shortname === shortname);
      }).length;
    assert.deepEqual(
      ['defense-evasion', 'persistence', 'privilege-escalation', 'credential-access', 'discovery', 'lateral-movement', 'exfiltration'].map(perTactic),
      [215, 126, 109, 67, 49, 23, 19],
    );
  });

  test('resolves technique ids in any case, with surrounding space and the Sigma prefix', () => {
    for (const asked of ['T1003.001', 't1003.001', ' T1003.001 ', 'attack.t1003.001']) {
      const t = catalogue.technique(asked);
      assert.deepEqual([t.id, t.name, t.fullName, t.parent, t.redirectedFrom], ['T1003.001', 'LSASS Memory', 'OS Credential Dumping: LSASS Memory', { id: 'T1003', name: 'OS Credential Dumping' }, []]);
    }
    assert.deepEqual(catalogue.technique('T1003.001').tactics, [{ id: 'TA0006', shortname: 'credential-access', name: 'Credential Access' }]);
  });

  test('a parent technique lists its active sub-techniques', () => {
    const t = catalogue.technique('t1110');
    assert.deepEqual([t.name, t.isSubtechnique, t.parent], ['Brute Force', false, null]);
    assert.deepEqual(t.subtechniques, [
      { id: 'T1110.001', name: 'Password Guessing' },
      { id: 'T1110.002', name: 'Password Cracking' },
      { id: 'T1110.003', name: 'Password Spraying' },
      { id: 'T1110.004', name: 'Credential Stuffing' },
    ]);
  });

  test('redirects revoked ids to their replacement: T1086 → T1059.001, T1574.002 → T1574.001, and chains to the end', () => {
    const ps = catalogue.technique('T1086');
    assert.deepEqual([ps.id, ps.fullName, ps.redirectedFrom, ps.revoked], ['T1059.001', 'Command and Scripting Interpreter: PowerShell', ['T1086'], false]);
    const dll = catalogue.technique('t1574.002');
    assert.deepEqual([dll.id, dll.name, dll.redirectedFrom], ['T1574.001', 'DLL', ['T1574.002']]);
    // T1073 (DLL Side-Loading, the old technique) was revoked by T1574.002, itself revoked in v18.
    const chain = catalogue.technique('T1073');
    assert.deepEqual([chain.id, chain.redirectedFrom], ['T1574.001', ['T1073', 'T1574.002']]);
  });

  test('flags deprecated techniques and keeps them (they have no replacement)', () => {
    const t = catalogue.technique('T1026');
    assert.deepEqual([t.id, t.name, t.deprecated, t.revoked, t.redirectedFrom], ['T1026', 'Multiband Communication', true, false, []]);
  });

  test('an unknown or malformed technique id is not_found, saying which', () => {
    assert.deepEqual(failure(() => catalogue.technique('T9999')), { code: 'not_found', message: 'ATT&CK 18.1 has no technique T9999.' });
    assert.deepEqual(failure(() => catalogue.technique('t1003.999')), { code: 'not_found', message: 'ATT&CK 18.1 has no technique T1003.999.' });
    assert.deepEqual(failure(() => catalogue.technique('T10')), { code: 'not_found', message: '"T10" is not an ATT&CK technique id (T1234 or T1234.001).' });
    assert.equal(catalogue.findTechnique('T9999'), null);
  });

  test('finds a tactic by id, shortname and display name, in any case', () => {
    for (const asked of ['TA0006', 'ta0006', 'credential-access', 'Credential Access', 'CREDENTIAL ACCESS', 'credential_access', 'attack.credential-access']) {
      assert.equal(catalogue.findTactic(asked)?.id, 'TA0006', asked);
    }
    assert.equal(catalogue.findTactic('Command and Control')?.shortname, 'command-and-control');
    // ATT&CK v19 splits Defense Evasion; v18.1 has no such tactic.
    assert.equal(catalogue.findTactic('stealth'), null);
  });

  test('lookup answers ids, tactic names and technique names, exact before partial', () => {
    assert.deepEqual(
      [catalogue.lookup('TA0006'), catalogue.lookup('Credential Access'), catalogue.lookup('credential-access')].map((r) => [r.matchedBy, r.tactics.map((t) => t.id)]),
      [['tactic-id', ['TA0006']], ['tactic-name', ['TA0006']], ['tactic-name', ['TA0006']]],
    );
    const exact = catalogue.lookup('powershell');
    assert.deepEqual([exact.matchedBy, exact.techniques.map((t) => t.id)], ['technique-name', ['T1059.001']]);
    const full = catalogue.lookup('OS Credential Dumping: LSASS Memory');
    assert.deepEqual([full.matchedBy, full.techniques.map((t) => t.id)], ['technique-name', ['T1003.001']]);
    // Names repeat under different parents; both are answers.
    assert.deepEqual(catalogue.lookup('DNS').techniques.map((t) => t.fullName), ['Application Layer Protocol: DNS', 'Gather Victim Network Information: DNS']);
    const partial = catalogue.lookup('kerberoast');
    assert.deepEqual([partial.matchedBy, partial.techniques.map((t) => t.id)], ['technique-name-partial', ['T1558.003']]);
    // Revoked entries are reached by id only, never by name.
    assert.equal(catalogue.lookup('Winlogon Helper DLL').techniques.map((t) => t.id).join(), 'T1547.004');
  });

  test('lookup of something ATT&CK does not have is not_found', () => {
    assert.deepEqual(failure(() => catalogue.lookup('TA0099')), { code: 'not_found', message: 'ATT&CK 18.1 has no tactic TA0099.' });
    assert.deepEqual(failure(() => catalogue.lookup('flux capacitor')), { code: 'not_found', message: 'No ATT&CK 18.1 technique or tactic matches "flux capacitor".' });
  });

  test('a missing or damaged catalogue file is unavailable, naming the file', (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, 'attack', 'enterprise-techniques.json');
    assert.deepEqual(failure(() => readCatalogueFile(dir)), { code: 'unavailable', message: `The ATT&CK catalogue cannot be read: ${file}: ENOENT` });
    fs.mkdirSync(path.dirname(file));
    const real = JSON.parse(fs.readFileSync(path.join(findContentDir()!, 'attack', 'enterprise-techniques.json'), 'utf8')) as { techniques: { id: string }[] };
    real.techniques[3]!.id = 'X1';
    fs.writeFileSync(file, JSON.stringify(real));
    assert.deepEqual(failure(() => readCatalogueFile(dir)), { code: 'unavailable', message: `The ATT&CK catalogue is damaged: ${file}: techniques.3.id: Invalid string: must match pattern /^T\\d{4}(\\.\\d{3})?$/` });
    assert.deepEqual(failure(() => readCatalogueFile(null)), { code: 'unavailable', message: 'The ATT&CK catalogue cannot be found: no content/ folder next to Quell (set QUELL_CONTENT_DIR).' });
  });
});
