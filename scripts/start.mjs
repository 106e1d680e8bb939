// `npm start`: build, then open the desktop app, or browser mode where Electron cannot run. Either way the first
// start on an empty data directory seeds the demo case. `npm start -- --browser` forces browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passThrough = process.argv.slice(2).filter((a) => a !== '--browser');

const built = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/** Where the electron package put its binary, read without require('electron'), which downloads noisily. */
function electronBinary() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  try {
    const relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), relative);
    return fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** Electron fetches its binary on first use; try that once, quietly, and report only the outcome. */
function obtainElectron() {
  const found = electronBinary();
  if (found) return { binary: found };
  const attempt = spawnSync(process.execPath, [require.resolve('electron/install.js')], { encoding: 'utf8', timeout: 300_000 });
  const again = electronBinary();
  if (again) return { binary: again };
  const reason = `${attempt.stderr ?? ''}`.split('\n').find((l) => /Error|failed/i.test(l))?.trim() ?? 'download failed';
  return { reason: `its binary could not be downloaded (${reason})` };
}

/**
 * better-sqlite3 in node_modules is built for Node (the CLI and tests use it). Electron has its own ABI, so the
 * desktop app gets a second copy of the addon built against Electron's headers, kept in .cache/ by version.
 */
function electronSqlite(electronVersion) {
  const target = path.join(root, '.cache', `better-sqlite3-electron-${electronVersion}`);
  const addon = path.join(target, 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(addon)) return { addon };
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'node_modules/better-sqlite3'), target, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
  console.log(`Building better-sqlite3 for Electron ${electronVersion} (first start only, a few minutes)…`);
  const gyp = spawnSync(
    process.execPath,
    [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: target, encoding: 'utf8' },
  );
  if (gyp.status === 0 && fs.existsSync(addon)) return { addon };
  const reason = `${gyp.stderr ?? ''}`.split('\n').filter(Boolean).pop() ?? 'node-gyp failed';
  return { reason: `better-sqlite3 could not be built for Electron (${reason.trim()})` };
}

function browserMode(why) {
  console.log(`Electron is not available here: ${why}. Opening browser mode instead (quell serve --open).`);
  const child = spawn(process.execPath, [path.join(root, 'bin/quell.mjs'), 'serve', '--open', '--seed-demo', ...passThrough], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (process.argv.includes('--browser') || process.env.QUELL_BROWSER === '1') {
  browserMode('browser mode was asked for');
} else {
  const electron = obtainElectron();
  if (!electron.binary) browserMode(electron.reason);
  else {
    const version = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
    const sqlite = electronSqlite(version);
    if (!sqlite.addon) browserMode(sqlite.reason);
    else {
      const child = spawn(electron.binary, [path.join(root, 'dist/electron/main.cjs'), '--seed-demo', ...passThrough], {
        stdio: 'inherit',
        env: { ...process.env, QUELL_SQLITE_BINDING: sqlite.addon },
      });
      child.on('exit', (code) => process.exit(code ?? 0));
    }
  }
}
