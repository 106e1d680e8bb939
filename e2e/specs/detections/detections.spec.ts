import { fixture, newCase } from '../../helpers/evidence.js';
import { expect, test } from '../../helpers/quell.js';

test.use({ viewport: { width: 1700, height: 1000 } });

const NXLOG = fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson');
const CONN = fixture('zeek/lsass-campaign-03/conn.log');

// The LSASS campaign (Sysmon + Security via NXLog, Zeek conn): the shipped rules raise the comsvcs dump twice
// (Sysmon 1 and Security 4688), the LSASS access once and whoami four times; the drawer and the Detections tab
// show which fields of the record made each rule fire.
test('Sigma rules run from the Detections tab; a detection shows its rule and the record with the matched fields marked', async ({ page, quell }) => {
  test.setTimeout(60_000);
  const caseId = await newCase(quell, 'LSASS dump');
  const imported = await quell.cli(['import', '--case', caseId, NXLOG, CONN]);
  expect(imported.code, imported.stderr).toBe(0);

  await page.goto(`${quell.url}#/cases/${caseId}`);
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Detections' }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}/detections$`));
  await expect(page.getByTestId('rule-count')).toHaveText('38 of 38');
  await expect(page.getByTestId('detection-count')).toHaveText('0 detections');

  await page.getByRole('button', { name: 'Run Sigma rules' }).click();
  await expect(page.getByTestId('sigma-run-summary')).toHaveText('38 rules over 1,516 records: 7 detections, 7 new, 0 already stored.', { timeout: 30_000 });
  await expect(page.getByTestId('detection-count')).toHaveText('7 detections');

  // The rule browser: the rules that fired come first, with their counts; the filter narrows by technique.
  const rules = page.getByRole('list', { name: 'Sigma rules' });
  await expect(rules.getByTestId('rule-detections').first()).toHaveText('4');
  await page.getByRole('searchbox', { name: 'Filter rules' }).fill('t1003.001 comsvcs');
  await expect(page.getByTestId('rule-count')).toHaveText('2 of 38');
  await page.getByRole('checkbox', { name: 'fired in this case' }).check();
  await expect(rules.getByRole('button')).toHaveCount(2);

  await rules.getByRole('button', { name: /Process Memory Dump Via Comsvcs\.DLL/ }).click();
  await expect(page.getByTestId('detection-count')).toHaveText('2 detections');
  const card = page.getByRole('article', { name: 'Rule Process Memory Dump Via Comsvcs.DLL' });
  await expect(card.getByTestId('rule-condition')).toHaveText('(selection_img and 1 of selection_cli_*) or selection_generic');
  await expect(card.getByTestId('rule-attribution')).toContainText('By Florian Roth (Nextron Systems)');

  // The Sysmon 1 detection: five matched fields, and exactly Image, OriginalFileName and CommandLine marked.
  await page.getByRole('list', { name: 'Detections' }).getByRole('button', { name: /:843$/ }).click();
  await expect(page.getByTestId('detection-route')).toHaveText('Sysmon 1');
  await expect(page.getByTestId('detection-source')).toHaveText('metasploit_comsvcs_lsass_memory_dump.subset.ndjson:843');
  const matched = page.getByRole('table', { name: 'Matched fields' });
  await expect(matched.locator('tbody tr')).toHaveCount(5);
  await expect(matched.locator('tbody tr').first()).toContainText('\\rundll32.exe');
  const record = page.getByRole('table', { name: 'Matching record' });
  await expect(record.locator('tr[data-matched="true"] th')).toHaveText(['Image', 'OriginalFileName', 'CommandLine']);
  await expect(record.locator('tr:not([data-matched]) th', { hasText: /^ProcessId$/ })).toHaveCount(1);

  // The same alert in the queue: the drawer says which rule fired and on which fields.
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Alerts' }).click();
  await expect(page.getByTestId('alert-count')).toHaveText('7 alerts');
  await page.getByRole('table', { name: 'Alerts' }).locator('[data-event-id]', { hasText: 'Lsass Memory Dump via Comsvcs DLL' }).click();
  const drawer = page.getByRole('dialog', { name: 'Lsass Memory Dump via Comsvcs DLL' });
  await expect(drawer.getByTestId('sigma-rule')).toHaveText(
    'Lsass Memory Dump via Comsvcs DLL · windows/process_access/proc_access_win_lsass_dump_comsvcs_dll.yml · record read as Sysmon 10',
  );
  await expect(drawer.getByRole('table', { name: 'Normalised fields' }).getByRole('rowheader', { name: /^detection\./ })).toHaveCount(0);
  await expect(drawer.getByRole('table', { name: 'Matched fields' }).locator('tbody tr').first()).toContainText('TargetImage');
});
