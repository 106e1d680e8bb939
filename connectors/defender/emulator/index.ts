import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulatorServer, type EmulatorDef, type EmulatorOptions, type StartedEmulator } from '../../sdk/index.js';
import { DefenderApi, type DefenderCredentials } from './api.js';
import { buildAlerts, loadRecorded, machinesFor } from './data.js';

/** The emulator's own test credentials (not a real tenant or app). */
export const EMULATOR_CREDENTIALS: DefenderCredentials = {
  tenantId: '3f9a6c1e-0b7d-4e52-9c1a-5d2e8f40b6a7',
  clientId: '0c5e2a91-7d44-4b0e-8f1a-2b9c6d3e7f10',
  clientSecret: 'emu~Q8v.defender-secret-7Kp2',
};

/** Generated alerts fall in this window before start-up, inside the connector's default 24 h look-back. */
const SPAN_MS = 20 * 3_600_000;

/** content/emulators/defender of this checkout, when the caller does not pass `contentDir` (running from source). */
function defaultContentDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../content/emulators/defender');
}

export interface DefenderEmulator extends StartedEmulator {
  api: DefenderApi;
}

export async function startDefenderEmulator(options: EmulatorOptions = {}): Promise<DefenderEmulator> {
  const seed = options.seed ?? 1;
  const dir = options.contentDir ? path.join(options.contentDir, 'defender') : defaultContentDir();
  const recorded = loadRecorded(dir);
  const machines = machinesFor(recorded, 50, seed);
  const alerts = buildAlerts(recorded, machines, options.alerts ?? 0, seed, Date.now(), SPAN_MS);
  let origin = '';
  const api = new DefenderApi(alerts, machines, EMULATOR_CREDENTIALS, () => origin);
  // The recorded alerts are from 2019: the look-back reaches back to the oldest alert held.
  const oldest = Math.min(...api.alerts.map((a) => Date.parse(a.alertCreationTime)));
  const lookbackHours = Math.max(24, Math.ceil((Date.now() - oldest) / 3_600_000) + 1);
  const started = await startEmulatorServer(
    {
      vendor: 'defender',
      routes: api.routes(),
      hooks: api.hooks,
      settings: (url) => ({ url, loginUrl: url, graphUrl: url, ...EMULATOR_CREDENTIALS, lookbackHours }),
      alertIds: () => api.alerts.map((a) => a.id),
    },
    options,
  );
  origin = started.url;
  return Object.assign(started, { api });
}

export const emulator: EmulatorDef = { vendor: 'defender', start: startDefenderEmulator };
