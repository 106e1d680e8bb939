import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeRulesetAlerts } from '../../../core/detect/attack/attack.test-helpers.js';
import { fixture, newCase } from '../../helpers/evidence.js';
import { expect, test } from '../../helpers/quell.js';

test.use({ viewport: { width: 1600, height: 1000 } });

// The real Wazuh alert (T1110, Credential Access) and 60 alerts of real Wazuh rules (see writeRulesetAlerts):
// T1110 has 9 + 11 (T1110.001) from the rules and 1 from the real alert = 21; T1574.002 is revoked and counted as
// T1574.001, under Persistence, Privilege Escalation and Defense Evasion.
test('the ATT&CK matrix counts alerts per technique and a cell opens the alert queue filtered to it', async ({ page, quell }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quell-e2e-attack-'));
  try {
    const rules = path.join(dir, 'wazuh-ruleset-alerts.json');
    expect(writeRulesetAlerts(rules)).toBe(60);
    const caseId = await newCase(quell, 'SSH brute force');
    const imported = await quell.cli(['import', '--case', caseId, fixture('wazuh/alerts-json-sample.ndjson'), rules]);
    expect(imported.code, imported.stderr).toBe(0);

    await page.goto(`${quell.url}#/cases/${caseId}`);
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'ATT&CK' }).click();
    await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}/attack$`));
    await expect(page.getByTestId('attack-tagged')).toHaveText('36 alerts with techniques · ATT&CK 18.1');

    const matrix = page.getByRole('table', { name: 'ATT&CK matrix' });
    const headers = matrix.getByRole('columnheader');
    await expect(headers).toHaveCount(14);
    await expect(headers.first()).toContainText('Reconnaissance');
    await expect(headers.nth(7)).toContainText('Credential Access');
    await expect(headers.last()).toContainText('Impact');

    const credentialAccess = matrix.locator('[data-tactic="credential-access"]');
    const bruteForce = credentialAccess.locator('[data-technique="T1110"]');
    await expect(bruteForce.getByTestId('attack-count')).toHaveText('21');
    await expect(bruteForce.locator('[data-technique="T1110.001"]')).toContainText('Password Guessing11');
    for (const tactic of ['persistence', 'privilege-escalation', 'defense-evasion']) {
      await expect(matrix.locator(`[data-tactic="${tactic}"] [data-technique="T1574"]`).getByTestId('attack-count')).toHaveText('2');
    }
    await expect(matrix.locator('[data-technique="T1574.001"]').first()).toContainText('DLL2');
    await expect(matrix.locator('[data-technique="T1574.002"]')).toHaveCount(0);

    await bruteForce.getByRole('button', { name: 'T1110 Brute Force: 21 alerts' }).click();
    await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}/alerts$`));
    await expect(page.getByRole('textbox', { name: 'Technique' })).toHaveValue('T1110');
    await expect(page.getByTestId('alert-count')).toHaveText('21 alerts');
    await expect(page.getByRole('table', { name: 'Alerts' }).locator('[data-event-id]')).toHaveCount(21);

    // Back to the matrix; a sub-technique opens the queue narrowed to it.
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'ATT&CK' }).click();
    await matrix.getByRole('button', { name: 'T1110.001 Password Guessing: 11 alerts' }).click();
    await expect(page.getByTestId('alert-count')).toHaveText('11 alerts');
    await expect(page.getByRole('table', { name: 'Alerts' }).locator('[data-event-id]')).toHaveCount(11);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
