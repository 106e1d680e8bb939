// Composition root of the desktop app: open the case database, wire IPC to the same router `quell serve` uses,
// and show the renderer from app://quell.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { app, dialog } from 'electron';
import {
  openCore,
  pullDemoConnectors,
  randomIds,
  resolveDataLocation,
  seedDemo,
  startConnectorScheduler,
  startDemoConnectors,
  systemClock,
  type Core,
  type DemoConnectors,
} from '../../core/index.js';
import { builtInVendors } from '../connector-registry.js';
import { hardenApp } from './hardening.js';
import { Keychain } from './keychain.js';
import { keychainSecretStore } from './secret-store.js';
import { registerIpc } from './ipc.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { createMainWindow } from './window.js';

const VERSION = app.getVersion();
const argv = process.argv.slice(1);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};

registerAppScheme();
hardenApp();
app.enableSandbox();

let core: Core | undefined;
let stopScheduler: (() => void) | undefined;

let demo: DemoConnectors | null = null;

async function start(): Promise<void> {
  await app.whenReady();
  const location = resolveDataLocation({ dbFlag: flag('--db'), env: process.env, platform: process.platform, homedir: os.homedir() });
  try {
    core = openCore({
      dbPath: location.dbPath,
      createDir: location.source !== '--db',
      clock: systemClock,
      ids: randomIds(randomUUID),
      appVersion: VERSION,
      watchIntervalMs: 300,
      importWorker: path.join(__dirname, 'import-worker.cjs'),
      connectors: builtInVendors.map((v) => v.connector),
      secrets: keychainSecretStore(new Keychain(path.join(path.dirname(location.dbPath), 'secrets.keychain.json'))),
      // npm start builds better-sqlite3 for Electron's ABI beside the Node build and names it here.
      ...(process.env.QUELL_SQLITE_BINDING ? { nativeBinding: process.env.QUELL_SQLITE_BINDING } : {}),
      logBug: (command, err) => console.error(`internal error in ${command}:`, err),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = /NODE_MODULE_VERSION/.test(message)
      ? '\n\nbetter-sqlite3 was built for Node, not Electron: start Quell with "npm start", which builds the Electron copy.'
      : '';
    dialog.showErrorBox('Quell cannot open its case database', `${message}${hint}`);
    app.exit(1);
    return;
  }
  if (argv.includes('--seed-demo')) {
    const seeded = await seedDemo(core.router, { fixturesDir: path.join(__dirname, '../../fixtures') });
    // The demo's connectors reach emulators on loopback that live as long as the app (see startDemoConnectors).
    demo = await startDemoConnectors(core.router, builtInVendors, { env: process.env, contentDir: path.join(__dirname, '../../content/emulators'), create: seeded !== null });
    for (const f of demo.failed) console.error(`demo connector for ${f.vendor} not set up: ${f.reason}`);
    if (seeded) void pullDemoConnectors(core.router, demo, seeded);
  }
  let analyst = 'analyst';
  try {
    analyst = os.userInfo().username || analyst;
  } catch {
    /* keep the default */
  }
  registerIpc(core.router, { kind: 'analyst', id: analyst });
  try {
    core.engine.resumeAll({ kind: 'system', id: 'quell-desktop' });
  } catch (err) {
    console.error('could not resume playbook runs:', err);
  }
  stopScheduler = startConnectorScheduler(core, { logError: (err) => console.error('connector scheduler:', err) }).stop;
  serveRenderer(path.join(__dirname, '../renderer'));
  createMainWindow(path.join(__dirname, 'preload.cjs'));
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => {
  stopScheduler?.();
  void demo?.close();
  core?.close();
});
start().catch((err: unknown) => {
  dialog.showErrorBox('Quell failed to start', err instanceof Error ? (err.stack ?? err.message) : String(err));
  app.exit(1);
});
