import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';
import { repoRoot } from '../../helpers/quell.js';

/** The Electron binary is downloaded on demand and cannot be fetched on every machine; where it is absent, say so. */
function electronBinary(): string | undefined {
  // Not require('electron'): that starts a download when the binary is missing.
  const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  try {
    const relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), relative);
    return fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function electronSqliteAddon(): string {
  const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  return path.join(repoRoot, '.cache', `better-sqlite3-electron-${version}`, 'build', 'Release', 'better_sqlite3.node');
}

const binary = electronBinary();

test('the desktop shell opens the case list through IPC with the same router', async () => {
  test.skip(!binary, 'ELECTRON binary not present on this machine (npx install-electron fetches it): desktop test skipped');
  test.skip(!fs.existsSync(electronSqliteAddon()), 'ELECTRON build of better-sqlite3 missing: run npm start once to build it');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'quell-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: [path.join(repoRoot, 'dist/electron/main.cjs'), '--seed-demo'],
    // npm start builds this Electron copy of better-sqlite3; without it the test says why it cannot run.
    env: { ...process.env, QUELL_HOME: home, QUELL_SQLITE_BINDING: electronSqliteAddon() },
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
