import type { Locator, Page } from '@playwright/test';
import { startEmulator, type EmulatorProcess } from '../../helpers/emulator.js';
import { newCase } from '../../helpers/evidence.js';
import { expect, test } from '../../helpers/quell.js';

test.use({ viewport: { width: 1600, height: 1100 } });

/** Fills the add-connector form with the settings the emulator printed, field by field, as a responder would. */
async function addConnector(page: Page, name: string, settings: Record<string, unknown>): Promise<Locator> {
  await page.getByRole('button', { name: 'Add connector' }).click();
  const form = page.getByRole('form', { name: 'Add connector' });
  await form.getByLabel('Vendor').selectOption({ label: 'Elastic Security' });
  await form.getByLabel('Connector name').fill(name);
  for (const [key, value] of Object.entries(settings)) {
    const field = form.locator(`[id="setting-${key}"]`);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(text);
    else await field.fill(text);
  }
  await form.getByRole('button', { name: 'Add connector' }).click();
  await expect(form).toBeHidden();
  return page.getByRole('article', { name: `Connector ${name}` });
}

test('a responder adds the Elastic connector, tests it, pulls alerts into a case, schedules it, and sees a bad key refused', async ({ page, quell }) => {
  test.setTimeout(90_000);
  let emulator: EmulatorProcess | undefined;
  try {
    emulator = await startEmulator('elastic', ['--alerts', '120']);
    const caseId = await newCase(quell, 'Elastic pull');

    await page.goto(`${quell.url}#/cases`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Connectors' }).click();
    await expect(page).toHaveURL(/#\/connectors$/);
    await expect(page.getByText('No connector yet')).toBeVisible();

    // 50 alerts a page, so the 120 the emulator serves take three pages, each committed with its cursor.
    const card = await addConnector(page, 'lab-elastic', { ...emulator.settings, pageSize: 50 });
    // The key went to the secret store: the page shows that one is stored, never the key.
    await expect(card.getByRole('row', { name: 'apiKey <stored>', exact: true })).toBeVisible();
    await expect(card).not.toContainText(String(emulator.settings.apiKey));

    await card.getByRole('button', { name: 'Test connection' }).click();
    await expect(card.getByTestId('test-result')).toHaveText(/^✓ /);

    await card.getByLabel('Case to pull into').selectOption({ label: 'Elastic pull' });
    await card.getByRole('button', { name: 'Pull now' }).click();
    const result = card.getByTestId('pull-result');
    await expect(result).toHaveText(/^Caught up: 120 alerts read, 120 stored, 0 duplicates, 0 quarantined in 3 pages \(\d+ requests, 0 retries\)\.$/, { timeout: 30_000 });

    // Pulling again resumes from the committed cursor: nothing new, nothing stored twice.
    await card.getByRole('button', { name: 'Pull now' }).click();
    await expect(result).toHaveText(/^Caught up: 0 alerts read, 0 stored, 0 duplicates/, { timeout: 30_000 });

    await card.getByLabel('Pull every (minutes)').fill('5');
    await card.getByRole('button', { name: 'Schedule' }).click();
    await expect(card.getByTestId('schedule')).toHaveText('Pulls into Elastic pull every 5 minutes.');

    // The alerts are in the case, through the same normalisation as an imported Elastic export.
    await page.goto(`${quell.url}#/cases/${caseId}/alerts`);
    await expect(page.getByTestId('alert-count')).toHaveText('120 alerts');

    // A wrong key: the test says so plainly, and nothing is pulled.
    await page.goto(`${quell.url}#/connectors`);
    const bad = await addConnector(page, 'bad-key', { ...emulator.settings, apiKey: Buffer.from('nobody:wrong').toString('base64') });
    await bad.getByRole('button', { name: 'Test connection' }).click();
    await expect(bad.getByTestId('test-result')).toHaveText(/^✗ .*(401|unauthori[sz]ed|credentials)/i);
  } finally {
    await emulator?.stop();
  }
});
