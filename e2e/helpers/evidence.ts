import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { repoRoot, type QuellServer } from './quell.js';

/** Opens a case with the real CLI on the server's database and answers its id. */
export async function newCase(quell: QuellServer, name: string): Promise<string> {
  const created = await quell.cli(['--json', 'case', 'new', name]);
  expect(created.code, created.stderr).toBe(0);
  return (JSON.parse(created.stdout) as { id: string }).id;
}

export const fixture = (relative: string): string => path.join(repoRoot, 'fixtures', relative);

/** Writes files into a fresh temporary folder (removed by the caller through the returned `remove`). */
export function tempFiles(files: Record<string, string>): { paths: Record<string, string>; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quell-e2e-evidence-'));
  const paths: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    paths[name] = path.join(dir, name);
    fs.writeFileSync(paths[name], text);
  }
  return { paths, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Picks files in the import dialog (opening it if needed), optionally forces a format, and starts the import. */
export async function importThroughDialog(page: Page, files: string[], format?: string): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name: 'Import evidence' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Import evidence' }).click();
  await dialog.getByLabel('Evidence files').setInputFiles(files);
  if (format) await dialog.getByLabel('Format').selectOption(format);
  await dialog.getByRole('button', { name: /^Import \d+ files?$/ }).click();
  return dialog;
}

/** The numbers of one file's row in the import summary, by column. */
export async function summaryRow(dialog: Locator, file: string) {
  const row = dialog.getByRole('table', { name: 'Import summary' }).locator(`tr[data-file="${file}"]`);
  await expect(row).toBeVisible();
  const cell = async (col: string) => Number((await row.locator(`td[data-col="${col}"]`).innerText()).replace(/,/g, ''));
  return {
    row,
    read: await cell('read'),
    stored: await cell('stored'),
    duplicates: await cell('duplicates'),
    quarantined: await cell('quarantined'),
    skipped: await cell('skipped'),
  };
}
