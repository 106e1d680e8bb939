import { fixture, newCase, tempFiles } from '../../helpers/evidence.js';
import { expect, test } from '../../helpers/quell.js';

// fixtures/suricata/eve-alerts.ndjson: 20 of its 21 alerts are from 192.168.1.146 to an outside address. The asset file
// written here knows the source; the NetBox demo puts it in 192.168.0.0/22, which has no site or tenant.
test('the detail drawer shows the assets of a record, and an outside address as unknown', async ({ page, quell }) => {
  const tmp = tempFiles({ 'assets.csv': 'name,ips,owner,criticality,tags\nworkstation-146,192.168.1.146,it-desk,medium,linux\n' });
  try {
    const caseId = await newCase(quell, 'Curl from 146');
    const imported = await quell.cli(['import', '--case', caseId, fixture('suricata/eve-alerts.ndjson')]);
    expect(imported.code, imported.stderr).toBe(0);
    for (const file of [fixture('inventory/netbox-demo-v3.6-assets.json'), tmp.paths['assets.csv']!]) {
      const r = await quell.cli(['assets', 'import', file]);
      expect(r.code, r.stderr).toBe(0);
    }

    await page.goto(`${quell.url}#/cases/${caseId}/alerts`);
    const rows = page.getByRole('table', { name: 'Alerts' }).locator('[data-event-id]');
    await expect(rows).toHaveCount(21);
    // The curl alerts go from 192.168.1.146 to 93.184.216.34 (the TLS alert is between two other addresses).
    await rows.filter({ hasText: 'ET POLICY curl' }).first().click();
    const assets = page.getByRole('table', { name: 'Assets' });
    await expect(assets).toBeVisible();
    const known = assets.locator('tr[data-status="known"]');
    await expect(known).toHaveCount(1);
    await expect(known.locator('th')).toHaveText('192.168.1.146');
    await expect(known.locator('td')).toHaveText(['workstation-146', '—', '—', 'it-desk', 'medium']);
    const unknown = assets.locator('tr[data-status="unknown"]');
    await expect(unknown).toHaveCount(1);
    await expect(unknown.locator('th')).toHaveText('93.184.216.34');
    await expect(unknown.locator('td')).toHaveText(['unknown asset', '—', '—', '—', '—']);
  } finally {
    tmp.remove();
  }
});
