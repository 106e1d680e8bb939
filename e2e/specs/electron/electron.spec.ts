import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';
import { repoRoot } from '../../helpers/quell.js';

/** The Electron binary is downloaded on demand and cannot be fetched on every machine; where it is absent, say so. */
function electronBinary(): string | undefined {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown as string;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();

test('the desktop shell opens the case list through IPC with the same router', async () => {
  test.skip(!binary, 'ELECTRON binary not present on this machine (npx install-electron fetches it): desktop test skipped');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'quell-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: [path.join(repoRoot, 'dist/electron/main.cjs'), '--seed-demo'],
    env: { ...process.env, QUELL_HOME: home },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Cases' })).toBeVisible();
    await expect(window.getByText('Desktop')).toBeVisible();
    await expect(window.getByRole('table', { name: 'Cases' }).locator('tbody tr')).toHaveCount(1);
    const exposed = await window.evaluate(() => Object.keys((window as unknown as { quell: object }).quell).sort());
    expect(exposed).toEqual(['invoke', 'subscribe']);
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  } finally {
    await app.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
});
