// Shared by the ATT&CK unit tests and e2e/specs/attack.spec.ts: Wazuh alerts carrying real rules' ATT&CK ids.
// Self-contained (no core imports), so the Playwright process can use it without loading the database driver.
import fs from 'node:fs';

const fixtureLines = (rel: string): string[] =>
  fs.readFileSync(new URL(`../../../fixtures/${rel}`, import.meta.url), 'utf8').split('\n').filter((l) => l.trim());

/**
 * The Wazuh ruleset test cases carry real rule metadata (id, level, description, groups, ATT&CK ids) but no alert
 * time or id, so the importer skips them. This writes each passing case as the alerts.json record Wazuh writes when
 * the rule fires, with a time and alert id assigned here; the ATT&CK ids are the rules' own. 60 alerts, 35 of them
 * with techniques: T1110 ×9, T1110.001+T1021.004 ×11, T1021.004, T1190, T1059 ×3, T1059.003 ×2, T1059.005,
 * T1027.004, T1562, T1562.001 ×3, and the revoked T1574.002 (alone, and beside T1574.001).
 */
export function writeRulesetAlerts(file: string): number {
  const cases = [...fixtureLines('wazuh/ruleset-test-cases.first60.ndjson'), ...fixtureLines('wazuh/ruleset-test-cases.dll-side-loading.ndjson')]
    .map((line) => JSON.parse(line) as { expect: string; log: string; suite: string; rule: Record<string, unknown> & { mitre_ids: string[] } })
    .filter((c) => c.expect === 'pass');
  const lines = cases.map((c, i) => {
    const { mitre_ids, rules_file: _file, ...rule } = c.rule;
    return JSON.stringify({
      timestamp: new Date(Date.UTC(2024, 2, 1, 12, 0, i)).toISOString().replace('Z', '+0000'),
      rule: { ...rule, ...(mitre_ids.length ? { mitre: { id: mitre_ids } } : {}) },
      agent: { id: '001', name: 'ruleset-host' },
      manager: { name: 'wazuh-manager' },
      id: `1709294400.${i}`,
      full_log: c.log,
      location: c.suite,
    });
  });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return lines.length;
}
