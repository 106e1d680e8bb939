import type { Connector, EmulatorDef, RunningEmulator } from '../../connectors/sdk/index.js';
import { secretEnvName } from '../connect/secrets.js';
import type { Actor } from '../model/index.js';
import type { Router } from '../router.js';

const seeder: Actor = { kind: 'system', id: 'demo-seed' };

export interface DemoVendor {
  connector: Connector;
  emulator: EmulatorDef;
}

export interface DemoConnectors {
  /** `demo-<vendor>` → the emulator behind it, for the start-up message. */
  running: { name: string; vendor: string; url: string }[];
  /** Vendors whose emulator or connector could not be set up, with why: the demo goes on without them. */
  failed: { vendor: string; reason: string }[];
  close(): Promise<void>;
}

/**
 * The demo talks to emulated SIEM/EDR systems, never a real one: each built-in vendor's emulator starts on loopback
 * for the life of the host, and a `demo-<vendor>` connector is configured (or re-pointed: ports change at every
 * launch) to reach it. The emulators' credentials are their own test values; they are put in the environment the
 * secret store reads first, so the demo needs no passphrase and keeps nothing of the user's.
 */
export async function startDemoConnectors(
  router: Router,
  vendors: readonly DemoVendor[],
  options: {
    env: Record<string, string | undefined>;
    contentDir?: string | undefined;
    alerts?: number;
    /** False: only re-point demo connectors an earlier demo made (a database in real use gets none added). */
    create: boolean;
  },
): Promise<DemoConnectors> {
  const emulators: RunningEmulator[] = [];
  const running: DemoConnectors['running'] = [];
  const failed: DemoConnectors['failed'] = [];
  const listed = await router.invoke('connector.list', {}, seeder);
  const existing = new Set(listed.ok ? listed.value.connectors.map((c) => c.name) : []);

  for (const { connector, emulator } of vendors) {
    const vendor = connector.manifest.id;
    const name = `demo-${vendor}`;
    if (!options.create && !existing.has(name)) continue;
    try {
      const em = await emulator.start({ alerts: options.alerts ?? 200, seed: 1, ...(options.contentDir ? { contentDir: options.contentDir } : {}) });
      emulators.push(em);
      for (const field of connector.manifest.secretFields) {
        const value = em.settings[field];
        if (typeof value === 'string') options.env[secretEnvName(name, field)] = value;
      }
      const result = existing.has(name)
        ? await router.invoke('connector.update', { name, settings: em.settings }, seeder)
        : await router.invoke('connector.add', { vendor, name, settings: em.settings, enabled: true, schedule: null }, seeder);
      if (!result.ok) throw new Error(result.error.message);
      running.push({ name, vendor: connector.manifest.vendor, url: em.url });
    } catch (err) {
      failed.push({ vendor, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return { running, failed, close: async () => void (await Promise.all(emulators.map((e) => e.close()))) };
}

/** The demo case's alerts from the emulators: one pull per demo connector, as a responder would press "Pull now". */
export async function pullDemoConnectors(router: Router, demo: DemoConnectors, caseId: string): Promise<string[]> {
  const lines: string[] = [];
  for (const { name } of demo.running) {
    const pulled = await router.invoke('connector.pull', { name, caseId }, seeder);
    lines.push(pulled.ok ? `${name}: ${pulled.value.totals.stored} alerts pulled into the demo case` : `${name}: ${pulled.error.message}`);
  }
  return lines;
}

/** Asks each demo connector's running pull to stop after its page in flight. */
export async function stopDemoPulls(router: Router, demo: DemoConnectors, actor: Actor = seeder): Promise<void> {
  for (const { name } of demo.running) await router.invoke('connector.stop', { name }, actor);
}
