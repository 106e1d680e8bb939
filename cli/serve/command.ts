import path from 'node:path';
import { pullDemoConnectors, seedDemo, startConnectorScheduler, startDemoConnectors, stopDemoPulls, type Core, type DemoConnectors } from '../../core/index.js';
import { findContentDir } from '../../core/content-dir.js';
import { cliVendors } from '../connector-commands.js';
import type { CliCommand, RunContext } from '../commands.js';
import { openInBrowser } from './open-browser.js';
import { startHost } from './host.js';
import { findFixturesDir, findRendererDir } from './renderer-dir.js';

export const serveCommand: CliCommand = {
  path: ['serve'],
  live: true,
  args: [],
  options: {
    port: { type: 'string', value: 'N', help: 'port on 127.0.0.1 (default: any free port)' },
    open: { type: 'boolean', help: 'open the URL in the default browser' },
    'seed-demo': { type: 'boolean', help: 'create the demo case when the database has no cases yet, and connect demo-<vendor> connectors to emulators' },
  },
  summary: 'Serve the Quell UI and API on 127.0.0.1 with a per-launch token (browser mode)',
  async run(ctx) {
    const portText = typeof ctx.options.port === 'string' ? ctx.options.port : '0';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) {
      const { UsageError } = await import('../args.js');
      throw new UsageError(`--port must be a whole number from 0 to 65535, not "${portText}"`, ['serve']);
    }
    const core = ctx.core();
    let demo: DemoConnectors | null = null;
    let seeded: string | null = null;
    if (ctx.options['seed-demo']) {
      seeded = await seedDemo(core.router, { fixturesDir: findFixturesDir() });
      if (seeded) ctx.io.stdout(`Created the demo case ${seeded}.\n`);
      const content = findContentDir(ctx.io.env);
      demo = await startDemoConnectors(core.router, cliVendors(ctx.io), {
        env: ctx.io.env as Record<string, string | undefined>,
        contentDir: content ? path.join(content, 'emulators') : undefined,
        create: seeded !== null,
      });
      for (const f of demo.failed) ctx.io.stderr(`quell: demo connector for ${f.vendor} not set up: ${f.reason}\n`);
    }
    const host = await startHost({
      router: core.router,
      port,
      actor: ctx.actor,
      rendererDir: findRendererDir(ctx.io.env),
      uploadDir: path.join(path.dirname(core.store.path), 'uploads'),
    });
    ctx.io.stdout(
      ctx.json
        ? `${JSON.stringify({ url: host.url, port: host.port, dbPath: core.store.path })}\n`
        : `Quell is serving ${core.store.path}\nOpen ${host.url}\n(only this machine can connect; the token in the URL changes at every launch; Ctrl+C stops)\n`,
    );
    // Playbook runs a crash or an earlier quit left unfinished carry on where they stopped.
    const resumed = resumeRuns(core, ctx);
    if (resumed.length && !ctx.json) ctx.io.stdout(`Resumed ${resumed.length} unfinished playbook run${resumed.length === 1 ? '' : 's'}: ${resumed.join(', ')}\n`);
    // Connectors with a schedule pull while the host runs.
    const scheduler = startConnectorScheduler(core, { logError: (err) => ctx.io.stderr(`quell: connector scheduler: ${err instanceof Error ? err.message : String(err)}\n`) });
    ctx.io.onReady?.({ url: host.url });
    if (demo?.running.length && !ctx.json) ctx.io.stdout(`Demo connectors (emulated, on this machine only): ${demo.running.map((d) => d.name).join(', ')}\n`);
    // A new demo case gets its alerts from the emulators too, once the page can already be opened.
    const demoPull =
      demo && seeded
        ? pullDemoConnectors(core.router, demo, seeded).then((lines) => {
            if (!ctx.json) for (const line of lines) ctx.io.stdout(`${line}\n`);
          })
        : null;
    if (ctx.options.open) {
      const opened = await openInBrowser(host.url);
      if (!opened) ctx.io.stderr(`quell: could not start a browser here; open the URL above by hand.\n`);
    }
    await ctx.io.untilStopped;
    scheduler.stop();
    await host.close();
    if (demo) {
      // Stopped mid-way, the demo pulls end after their page in flight (and resume at the next start); the emulators
      // close only once nothing is talking to them.
      await stopDemoPulls(core.router, demo, ctx.actor);
      await demoPull;
      await demo.close();
    }
    return 0;
  },
};

function resumeRuns(core: Core, ctx: RunContext): string[] {
  try {
    return core.engine.resumeAll({ kind: 'system', id: 'quell-serve' });
  } catch (err) {
    ctx.io.stderr(`quell: could not resume playbook runs: ${err instanceof Error ? err.message : String(err)}\n`);
    return [];
  }
}
