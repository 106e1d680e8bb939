import fs from 'node:fs';
import { importThroughDialog, fixture, newCase, summaryRow, tempFiles } from '../../helpers/evidence.js';
import { expect, test } from '../../helpers/quell.js';

// fixtures/suricata/eve-alerts.ndjson: 21 alerts (6 "ET POLICY curl User-Agent Outbound", severity 2 → medium,
// risk 47, all to 93.184.216.34; 14 "GNU/Linux APT User-Agent…" and 1 "TLS on unusual port", severity 3 → low,
// risk 21) and 1 tls event. No severity 1, so nothing is high.
const eve = fixture('suricata/eve-alerts.ndjson');
const eveLines = fs.readFileSync(eve, 'utf8').split('\n');
// Two records already in eve-alerts (duplicates by their Suricata identity) around one line cut short.
const broken = `${eveLines[0]}\n{"timestamp":"2018-10-05T10:00:00.000000+0000","event_type":"alert","src_ip":\n${eveLines[6]}\n`;

// One alert none of the above has: the first curl alert on another flow.
const oneMore = `${eveLines[0]!.replace('"flow_id":2191386088856669', '"flow_id":7')}\n`;

test.use({ viewport: { width: 1440, height: 900 } });

test('a responder imports evidence, works the alert queue, opens a record and finds the broken line in quarantine', async ({ page, quell }) => {
  // One long journey through every evidence view; each step builds on the import before it.
  test.setTimeout(60_000);
  const tmp = tempFiles({ 'broken.ndjson': broken, 'one-more.ndjson': oneMore });
  // CSP violations and React warnings both land in the console: there must be none (the browser's own request
  // for /favicon.ico, which Quell does not serve, aside).
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  try {
    const caseId = await newCase(quell, 'Outbound curl from 192.168.1.146');
    await page.goto(`${quell.url}#/cases/${caseId}`);
    await expect(page.getByRole('heading', { name: 'Outbound curl from 192.168.1.146' })).toBeVisible();

    // Import both files in one go; every record is accounted for, per file and in total.
    const dialog = await importThroughDialog(page, [eve, tmp.paths['broken.ndjson']!]);
    await expect(dialog.getByRole('table', { name: 'Import summary' })).toBeVisible({ timeout: 20_000 });
    const first = await summaryRow(dialog, 'eve-alerts.ndjson');
    expect([first.read, first.stored, first.duplicates, first.quarantined, first.skipped]).toEqual([22, 22, 0, 0, 0]);
    await expect(first.row).toContainText('suricata-eve');
    const second = await summaryRow(dialog, 'broken.ndjson');
    expect([second.read, second.stored, second.duplicates, second.quarantined, second.skipped]).toEqual([3, 0, 2, 1, 0]);
    await expect(second.row).toContainText('quarantined: not valid JSON (1)');
    await expect(dialog.getByTestId('import-totals')).toContainText('Totals: 25 read, 22 stored, 2 duplicates, 1 quarantined, 0 skipped');
    await expect(dialog.getByTestId('import-totals')).toContainText('suricata-eve: 25');
    await fs.promises.mkdir('test-results/screenshots', { recursive: true });
    await page.screenshot({ path: 'test-results/screenshots/import-summary.png' });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(dialog).toBeHidden();

    // The alert queue.
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Alerts' }).click();
    await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}/alerts$`));
    const count = page.getByTestId('alert-count');
    const alerts = page.getByRole('table', { name: 'Alerts' });
    const rows = alerts.locator('[data-event-id]');
    await expect(count).toHaveText('21 alerts');
    await expect(rows).toHaveCount(21);
    await expect(rows.first()).toContainText('unmapped');

    const level = (name: string) => page.getByRole('checkbox', { name });
    await level('high').check();
    await expect(count).toHaveText('0 alerts');
    await level('medium').check();
    await expect(count).toHaveText('6 alerts');
    await level('high').uncheck();
    await level('low').check();
    await expect(count).toHaveText('21 alerts');
    await level('medium').uncheck();
    await expect(count).toHaveText('15 alerts');
    await level('low').uncheck();

    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill('curl');
    await expect(count).toHaveText('6 alerts');
    await expect(rows).toHaveCount(6);
    await level('low').check();
    await expect(count).toHaveText('0 alerts');
    await level('low').uncheck();
    await search.fill('APT');
    await expect(count).toHaveText('14 alerts');
    await search.fill('');
    await expect(count).toHaveText('21 alerts');

    // Sort by risk: highest first, then lowest first.
    await alerts.getByRole('button', { name: 'Risk' }).click();
    await expect(alerts.getByRole('columnheader', { name: /Risk/ })).toHaveAttribute('aria-sort', 'descending');
    await expect(rows.first().locator('.cell-risk')).toHaveText('47');
    await expect(rows.first()).toContainText('ET POLICY curl User-Agent Outbound');
    await expect(rows.nth(5).locator('.cell-risk')).toHaveText('47');
    await expect(rows.nth(6).locator('.cell-risk')).toHaveText('21');
    await alerts.getByRole('button', { name: 'Risk' }).click();
    await expect(alerts.getByRole('columnheader', { name: /Risk/ })).toHaveAttribute('aria-sort', 'ascending');
    await expect(rows.first().locator('.cell-risk')).toHaveText('21');
    await alerts.getByRole('button', { name: 'Risk' }).click();

    // The detail drawer: normalised fields beside the raw original.
    await rows.first().click();
    const drawer = page.getByRole('dialog', { name: 'ET POLICY curl User-Agent Outbound' });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByTestId('detail-risk')).toHaveText('47');
    await expect(drawer.getByTestId('detail-source')).toHaveText(/^eve-alerts\.ndjson:[1-6]$/);
    const fields = drawer.getByRole('table', { name: 'Normalised fields' });
    await expect(fields.getByRole('row', { name: /^quell\.format suricata-eve$/ })).toBeVisible();
    await expect(fields.getByRole('row', { name: /^rule\.name ET POLICY curl User-Agent Outbound$/ })).toBeVisible();
    await expect(fields.getByRole('row', { name: /^destination\.ip 93\.184\.216\.34$/ })).toBeVisible();
    const original = drawer.getByLabel('Original record');
    await expect(original).toContainText('"signature": "ET POLICY curl User-Agent Outbound"');
    await expect(original).toContainText('"http_user_agent": "curl/7.58.0"');
    const [left, right] = [await fields.boundingBox(), await original.boundingBox()];
    expect(left && right && left.x + left.width <= right.x && Math.abs(left.y - right.y) < 5).toBe(true);
    await expect(drawer.getByLabel('Entities').getByRole('button', { name: /93\.184\.216\.34/ })).toBeVisible();

    await page.screenshot({ path: 'test-results/screenshots/alert-queue.png' });

    // Esc closes the drawer; × does too.
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await rows.first().click();
    await drawer.getByRole('button', { name: 'Close detail' }).click();
    await expect(drawer).toBeHidden();

    // An entity chip opens the timeline of that entity; the filter shows as a removable chip.
    await rows.first().click();
    await drawer.getByLabel('Entities').getByRole('button', { name: /93\.184\.216\.34/ }).click();
    await expect(page).toHaveURL(/\/timeline\?entity=ip%3A93\.184\.216\.34$/);
    const timelineCount = page.getByTestId('timeline-count');
    await expect(timelineCount).toHaveText('6 records');
    await page.getByRole('button', { name: 'Remove filter ip:93.184.216.34' }).click();
    await expect(timelineCount).toHaveText('22 records');
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('event');
    await expect(timelineCount).toHaveText('1 record');
    await expect(page.getByRole('table', { name: 'Timeline' }).locator('[data-event-id]').first()).toContainText('TLS hostname.domain.net');
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('');
    await page.getByRole('textbox', { name: 'Entity' }).fill('ip:192.168.1.146');
    await page.getByRole('textbox', { name: 'Entity' }).press('Enter');
    await expect(timelineCount).toHaveText('20 records');
    await expect(page.getByRole('button', { name: 'Remove filter ip:192.168.1.146' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/timeline-entity.png' });

    // Quarantine: the broken line with its file, line number and reason.
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Quarantine' }).click();
    await expect(page.getByTestId('quarantine-count')).toHaveText('1 quarantined record');
    await expect(page.getByRole('list', { name: 'Reasons' })).toHaveText('not valid JSON 1');
    const quarantined = page.getByRole('table', { name: 'Quarantined records' }).locator('tbody tr');
    await expect(quarantined).toHaveCount(1);
    await expect(quarantined.locator('td').nth(0)).toHaveText('broken.ndjson');
    await expect(quarantined.locator('td').nth(1)).toHaveText('2');
    await expect(quarantined.locator('td').nth(2)).toHaveText(/^not valid JSON: /);
    await expect(quarantined.locator('td').nth(3)).toContainText('"event_type":"alert","src_ip":');
    await page.screenshot({ path: 'test-results/screenshots/quarantine.png' });

    // Incidents were grouped by the import.
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Incidents' }).click();
    await expect(page.getByTestId('incident-count')).toHaveText(/^[1-9]\d* incidents?$/);
    await page.screenshot({ path: 'test-results/screenshots/incidents.png', fullPage: true });

    // Importing the same file again stores nothing new: every record is a duplicate.
    const again = await importThroughDialog(page, [eve]);
    await expect(again.getByRole('table', { name: 'Import summary' })).toBeVisible({ timeout: 20_000 });
    const repeat = await summaryRow(again, 'eve-alerts.ndjson');
    expect([repeat.read, repeat.stored, repeat.duplicates, repeat.quarantined, repeat.skipped]).toEqual([22, 0, 22, 0, 0]);
    await again.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Alerts' }).click();
    await expect(count).toHaveText('21 alerts');

    // An import from elsewhere (the CLI, on the same database) shows up in the open queue without a reload.
    const cli = await quell.cli(['import', tmp.paths['one-more.ndjson']!, '--case', caseId]);
    expect(cli.code, cli.stderr).toBe(0);
    await expect(count).toHaveText('22 alerts');
    await expect(rows).toHaveCount(22);
    expect(consoleErrors).toEqual([]);
  } finally {
    tmp.remove();
  }
});

test('a file Quell cannot read is refused in the dialog with the reason, and nothing is imported', async ({ page, quell }) => {
  const tmp = tempFiles({ 'notes.json': '{"hello":"world"}\n{"hello":"again"}\n' });
  try {
    const caseId = await newCase(quell, 'Unknown format');
    await page.goto(`${quell.url}#/cases/${caseId}/alerts`);
    await expect(page.getByTestId('alert-count')).toHaveText('0 alerts');
    const dialog = await importThroughDialog(page, [tmp.paths['notes.json']!]);
    const error = dialog.getByRole('alert');
    await expect(error).toHaveAttribute('data-code', 'invalid_input');
    await expect(error).toContainText('Could not recognise the format of');
    await expect(error).toContainText("first record's keys: hello");
    // The dialog keeps the error until it is closed.
    await page.waitForTimeout(300);
    await expect(error).toBeVisible();
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('alert-count')).toHaveText('0 alerts');
  } finally {
    tmp.remove();
  }
});
