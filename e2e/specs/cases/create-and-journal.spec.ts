import { expect, test } from '../../helpers/quell.js';

test('a responder creates a case, finds it listed, opens it and sees its journal grow live', async ({ page, quell }) => {
  await page.goto(quell.url);
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
  await expect(page.getByText('No cases yet.')).toBeVisible();
  // The token leaves the address bar once the page has its cookie.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);

  await page.getByLabel('Case name').fill('Ransomware on FILESRV02');
  await page.getByLabel('Description').fill('Encrypted shares reported by finance');
  await page.getByRole('button', { name: 'New case' }).click();

  // Creating opens the case page, with the case.created entry in its journal.
  await expect(page.getByRole('heading', { name: 'Ransomware on FILESRV02' })).toBeVisible();
  const journal = page.getByRole('table', { name: 'Journal' });
  await expect(journal.locator('tbody tr')).toHaveCount(1);
  await expect(journal.locator('tbody tr').first()).toContainText('case.created');
  await expect(journal.locator('tbody tr').first()).toContainText('analyst:');

  // Back on the list, the case is there.
  await page.getByRole('button', { name: /Cases/ }).click();
  const rows = page.getByRole('table', { name: 'Cases' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Ransomware on FILESRV02');
  await expect(rows.first()).toContainText('open');

  // Open it again from the list and add a note from the UI.
  await rows.first().getByRole('link', { name: 'Ransomware on FILESRV02' }).click();
  await page.getByRole('textbox', { name: 'Note' }).fill('Shadow copies deleted at 02:14 UTC');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(journal.locator('tbody tr')).toHaveCount(2);
  await expect(journal.locator('tbody tr').nth(1)).toContainText('note.added');
  await expect(page.getByRole('list', { name: 'Notes' })).toContainText('Shadow copies deleted at 02:14 UTC');

  // A change made elsewhere (the CLI, on the same database) appears as it happens, without a reload.
  const caseId = new URL(page.url()).hash.replace('#/cases/', '');
  const added = await quell.cli(['note', 'add', caseId, 'Added from the command line']);
  expect(added.code).toBe(0);
  await expect(journal.locator('tbody tr')).toHaveCount(3);
  await expect(journal.locator('tbody tr').nth(2)).toContainText('note.added');

  await page.screenshot({ path: 'test-results/screenshots/case-journal.png', fullPage: true });

  const verify = await quell.cli(['audit', 'verify', '--case', caseId]);
  expect(verify.code).toBe(0);
  expect(verify.stdout).toBe(`journal of case ${caseId} intact: 3 entries in 1 chain checked, head at entry 3\n`);
});

test('an invalid case name is refused with the field and the reason, and nothing is stored', async ({ page, quell }) => {
  await page.goto(quell.url);
  await page.getByRole('button', { name: 'New case' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Invalid input for case.create.');
  await expect(alert).toContainText('name: a case needs a name');
  await expect(alert).toHaveAttribute('data-code', 'invalid_input');
  const list = await quell.cli(['--json', 'case', 'list']);
  expect(JSON.parse(list.stdout)).toEqual([]);
});
