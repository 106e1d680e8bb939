import fs from 'node:fs';
import { expect, test } from '../../helpers/quell.js';

test('the case report downloads as Markdown with the dry run marked, and its export is journaled', async ({ page, quell }) => {
  await page.goto(quell.url);
  await page.getByLabel('Case name').fill('Report check');
  await page.getByRole('button', { name: 'New case' }).click();
  await expect(page.getByRole('heading', { name: 'Report check' })).toBeVisible();
  const caseId = new URL(page.url()).hash.replace('#/cases/', '');
  const playbook = `${test.info().outputDir}/tell.yaml`;
  fs.mkdirSync(test.info().outputDir, { recursive: true });
  fs.writeFileSync(playbook, 'id: tell\nname: Tell\nsteps:\n  - { id: say, type: action, action: case.note, with: { text: "looked at it" } }\n');
  expect((await quell.cli(['playbook', 'run', playbook, '--case', caseId, '--mode', 'dry-run'])).code).toBe(0);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report (Markdown)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('quell-report-report-check.md');
  const text = fs.readFileSync(await file.path(), 'utf8');
  expect(text.startsWith('# Case report: Report check\n')).toBe(true);
  expect(text).toContain('### Tell (tell), dry run: completed');
  expect(text).toContain('| say | simulated | yes |  |');
  await expect(page.getByRole('status').filter({ hasText: 'Exported quell-report-report-check.md' })).toContainText('journal verified');
  await expect(page.getByRole('table', { name: 'Journal' }).locator('tbody tr').last()).toContainText('report.exported');
  await page.screenshot({ path: 'test-results/case-report-export.png' });
});
