import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulatorServer, type EmulatorDef, type EmulatorOptions, type StartedEmulator } from '../../sdk/index.js';
import { FalconApi, timeKey, type FalconCredentials } from './api.js';
import { buildAlerts, devicesFor, loadRecorded } from './data.js';

/** The emulator's own test credentials (not a real API client). */
export const EMULATOR_CREDENTIALS: FalconCredentials = {
  clientId: '8d0c7b2f5e1a4c3b9f6e2d1a0b7c4e5f',
  clientSecret: 'emuFalconSecret0K7pQ2vX9mL4nR8tY1wZ5',
};

/** Generated alerts fall in this window before start-up, inside the connector's default 24 h look-back. */
const SPAN_MS = 20 * 3_600_000;

function defaultContentDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../content/emulators/crowdstrike');
}

export interface CrowdStrikeEmulator extends StartedEmulator {
  api: FalconApi;
}

export async function startCrowdStrikeEmulator(options: EmulatorOptions = {}): Promise<CrowdStrikeEmulator> {
  const seed = options.seed ?? 1;
  const dir = options.contentDir ? path.join(options.contentDir, 'crowdstrike') : defaultContentDir();
  const recorded = loadRecorded(dir);
  const devices = devicesFor(40, seed);
  const alerts = buildAlerts(recorded, devices, options.alerts ?? 0, seed, Date.now(), SPAN_MS);
  const api = new FalconApi(alerts, devices, EMULATOR_CREDENTIALS);
  // Stream order is the order the connector pulls in: created_timestamp ascending, ties by composite id.
  const streamOrder = () =>
    [...api.alerts]
      .sort((a, b) => {
        const ka = timeKey(a.created_timestamp);
        const kb = timeKey(b.created_timestamp);
        return ka < kb ? -1 : ka > kb ? 1 : a.composite_id < b.composite_id ? -1 : 1;
      })
      .map((a) => a.composite_id);
  // The recorded alerts are from April 2026: the look-back reaches back to the oldest alert held.
  const oldest = Math.min(...api.alerts.map((a) => Date.parse(a.created_timestamp)));
  const lookbackHours = Math.max(24, Math.ceil((Date.now() - oldest) / 3_600_000) + 1);
  const started = await startEmulatorServer(
    {
      vendor: 'crowdstrike',
      routes: api.routes(),
      hooks: api.hooks,
      settings: (url) => ({ url, ...EMULATOR_CREDENTIALS, lookbackHours }),
      alertIds: streamOrder,
    },
    options,
  );
  return Object.assign(started, { api });
}

export const emulator: EmulatorDef = { vendor: 'crowdstrike', start: startCrowdStrikeEmulator };
