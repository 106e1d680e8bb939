// quell connector … and quell emulate: configure connectors, pull alerts, run actions, and start a vendor emulator
// for someone who wants to try Quell without a real SIEM/EDR.
import { findContentDir } from '../core/content-dir.js';
import type { CommandOutput } from '../core/index.js';
import { ConnectorError, parseFaults, type RunningEmulator } from '../connectors/sdk/index.js';
import path from 'node:path';
import { jsonObjectOption, UsageError } from './args.js';
import type { CliCommand, RunContext } from './commands.js';
import { builtInVendors, type BuiltInVendor } from './connector-registry.js';
import { plural, printImport, table } from './format.js';
import type { CliIo } from './io.js';

const json = (io: CliIo, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

/** The vendors this CLI knows: the built-in registry, or the ones a test passed through its io. */
export function cliVendors(io: CliIo): readonly BuiltInVendor[] {
  return io.vendors ?? builtInVendors;
}

function parseJsonOption(ctx: RunContext, name: string, where: string[]): Record<string, unknown> {
  return jsonObjectOption(ctx.options, name, where, true);
}

function wholeNumber(ctx: RunContext, name: string, where: string[], min: number, max: number): number | undefined {
  const text = ctx.options[name];
  if (typeof text !== 'string') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`, where);
  return n;
}

function schedule(ctx: RunContext, where: string[]): { caseId: string; everyMinutes: number } | null | undefined {
  const every = wholeNumber(ctx, 'every', where, 1, 7 * 24 * 60);
  if (ctx.options['no-schedule']) return null;
  if (every === undefined) return undefined;
  if (typeof ctx.options.case !== 'string') throw new UsageError('--every needs --case ID: the case scheduled pulls go to', where);
  return { caseId: ctx.options.case, everyMinutes: every };
}

function printConnectors(io: CliIo, connectors: CommandOutput<'connector.list'>['connectors']): void {
  if (connectors.length === 0) {
    io.stdout('No connectors. Add one with: quell connector add VENDOR NAME --settings JSON\n');
    return;
  }
  const rows = [['NAME', 'VENDOR', 'ENABLED', 'SCHEDULE', 'LAST PULL', 'STATUS']];
  for (const c of connectors) {
    rows.push([
      c.name,
      c.vendor,
      c.enabled ? 'yes' : 'no',
      c.schedule ? `every ${c.schedule.everyMinutes} min → ${c.schedule.caseId}` : '-',
      c.lastPull.at ?? 'never',
      c.running ? 'running' : (c.lastPull.status ?? '-'),
    ]);
  }
  io.stdout(table(rows));
  for (const c of connectors) {
    io.stdout(`${c.name} settings: ${JSON.stringify(c.settings)}\n`);
    if (c.lastPull.error) io.stdout(`${c.name} last error: ${c.lastPull.error}\n`);
  }
}

const settingsOption = { type: 'string' as const, value: 'JSON', help: 'connector settings as a JSON object (secret fields go to the secret store)' };

export const connectorCommands: CliCommand[] = [
  {
    path: ['connector', 'vendors'],
    args: [],
    options: {},
    summary: 'List the connector vendors: settings (secret ones marked), capabilities and actions with their impact',
    async run(ctx) {
      const { vendors } = await ctx.call('connector.vendors', {});
      if (ctx.json) return json(ctx.io, vendors), 0;
      if (vendors.length === 0) ctx.io.stdout('No connector vendors are built into this Quell.\n');
      for (const v of vendors) {
        ctx.io.stdout(`${v.id}  ${v.vendor}  (format ${v.format})\n`);
        for (const f of v.settings) ctx.io.stdout(`  setting ${f.name}: ${f.type}${f.required ? ', required' : ''}${f.secret ? ', secret' : ''}\n`);
        for (const a of v.actions) {
          ctx.io.stdout(`  action ${a.name}: ${a.summary} — ${a.impact.changes}; risk ${a.impact.risk}${a.impact.reversible ? `, undo with ${a.impact.undo ?? 'another action'}` : ', cannot be undone'}\n`);
        }
      }
      return 0;
    },
  },
  {
    path: ['connector', 'add'],
    args: [
      { name: 'VENDOR', required: true },
      { name: 'NAME', required: true },
    ],
    options: {
      settings: settingsOption,
      disabled: { type: 'boolean', help: 'add it disabled' },
      every: { type: 'string', value: 'MINUTES', help: 'pull on this interval while quell serve or the app runs (with --case)' },
      case: { type: 'string', value: 'ID', help: 'the case scheduled pulls go to' },
    },
    summary: "Configure a connector; settings are checked by the vendor's schema, secrets go to the secret store",
    details:
      'Secrets are kept in $QUELL_HOME/secrets.enc, encrypted with a key derived from QUELL_SECRET_KEY (or the passphrase in\n' +
      '--secret-key-file), or read from QUELL_SECRET_<NAME>_<FIELD> variables (e.g. QUELL_SECRET_PROD_ELASTIC_API_KEY).',
    async run(ctx) {
      const where = ['connector', 'add'];
      const sched = schedule(ctx, where);
      const added = await ctx.call('connector.add', {
        vendor: ctx.args.VENDOR,
        name: ctx.args.NAME,
        settings: parseJsonOption(ctx, 'settings', where),
        enabled: ctx.options.disabled !== true,
        ...(sched ? { schedule: sched } : {}),
      });
      if (ctx.json) json(ctx.io, added);
      else ctx.io.stdout(`Added connector ${added.name} (${added.vendor})${added.enabled ? '' : ', disabled'}. Check it with: quell connector test ${added.name}\n`);
      return 0;
    },
  },
  {
    path: ['connector', 'update'],
    args: [{ name: 'NAME', required: true }],
    options: {
      settings: { type: 'string', value: 'JSON', help: 'settings to change (given keys replace, null removes one)' },
      enable: { type: 'boolean', help: 'enable it' },
      disable: { type: 'boolean', help: 'disable it (no pulls, no actions)' },
      every: { type: 'string', value: 'MINUTES', help: 'schedule pulls on this interval (with --case)' },
      case: { type: 'string', value: 'ID', help: 'the case scheduled pulls go to' },
      'no-schedule': { type: 'boolean', help: 'clear the schedule' },
    },
    summary: 'Enable, disable, schedule or change the settings of a connector',
    async run(ctx) {
      const where = ['connector', 'update'];
      if (ctx.options.enable && ctx.options.disable) throw new UsageError('give --enable or --disable, not both', where);
      const sched = schedule(ctx, where);
      const updated = await ctx.call('connector.update', {
        name: ctx.args.NAME,
        ...(typeof ctx.options.settings === 'string' ? { settings: parseJsonOption(ctx, 'settings', where) } : {}),
        ...(ctx.options.enable ? { enabled: true } : ctx.options.disable ? { enabled: false } : {}),
        ...(sched !== undefined ? { schedule: sched } : {}),
      });
      if (ctx.json) json(ctx.io, updated);
      else printConnectors(ctx.io, [updated]);
      return 0;
    },
  },
  {
    path: ['connector', 'remove'],
    args: [{ name: 'NAME', required: true }],
    options: {},
    summary: 'Remove a connector and its stored secrets (pulled records and the action history stay)',
    async run(ctx) {
      const out = await ctx.call('connector.remove', { name: ctx.args.NAME });
      if (ctx.json) json(ctx.io, out);
      else ctx.io.stdout(`Removed connector ${out.removed}.\n`);
      return 0;
    },
  },
  {
    path: ['connector', 'list'],
    args: [],
    options: {},
    summary: 'List connectors: settings (secrets shown as <stored>), schedule, last pull and last error',
    async run(ctx) {
      const { connectors } = await ctx.call('connector.list', {});
      if (ctx.json) json(ctx.io, connectors);
      else printConnectors(ctx.io, connectors);
      return 0;
    },
  },
  {
    path: ['connector', 'test'],
    args: [{ name: 'NAME', required: true }],
    options: {},
    summary: 'Check a connector reaches its system and authenticates (changes nothing there); exit 1 if not',
    async run(ctx) {
      const result = await ctx.call('connector.test', { name: ctx.args.NAME });
      if (ctx.json) json(ctx.io, result);
      else ctx.io.stdout(`${result.ok ? 'OK' : 'FAILED'}: ${result.message} (${result.durationMs} ms)\n`);
      return result.ok ? 0 : 1;
    },
  },
  {
    path: ['connector', 'pull'],
    args: [{ name: 'NAME', required: true }],
    options: {
      case: { type: 'string', value: 'ID', help: 'the case to pull into (required)' },
      'max-pages': { type: 'string', value: 'N', help: 'stop after N pages (pull again to continue)' },
    },
    summary: "Pull a connector's new alerts into a case from where the last pull stopped, then regroup incidents",
    async run(ctx) {
      const where = ['connector', 'pull'];
      if (typeof ctx.options.case !== 'string') throw new UsageError('--case ID is required', where);
      const maxPages = wholeNumber(ctx, 'max-pages', where, 1, 1_000_000);
      const stop = ctx.io.isTTY && !ctx.json ? showPullProgress(ctx) : () => {};
      let result: CommandOutput<'connector.pull'>;
      try {
        result = await ctx.call('connector.pull', { name: ctx.args.NAME, caseId: ctx.options.case, ...(maxPages ? { maxPages } : {}) });
      } finally {
        stop();
      }
      if (ctx.json) {
        json(ctx.io, { ...result.totals, files: result.files, pages: result.pages, requests: result.requests, retries: result.retries, caughtUp: result.caughtUp, stopped: result.stopped });
      } else {
        printImport(ctx.io, result);
        ctx.io.stdout(
          `${plural(result.pages, 'page', 'pages')}, ${plural(result.requests, 'request', 'requests')}, ${plural(result.retries, 'retry', 'retries')}; ` +
            `${result.caughtUp ? 'caught up' : result.stopped ? 'stopped: pull again to resume' : 'more to pull: run it again to continue'}.\n`,
        );
      }
      return 0;
    },
  },
  {
    path: ['connector', 'action'],
    args: [
      { name: 'NAME', required: true },
      { name: 'ACTION', required: true },
    ],
    options: {
      input: { type: 'string', value: 'JSON', help: "the action's input as a JSON object (see quell connector vendors)" },
      key: { type: 'string', value: 'KEY', help: 'idempotency key: the same key never runs twice (default: derived from the input)' },
      case: { type: 'string', value: 'ID', help: 'the case this action belongs to (journaled there)' },
      wait: { type: 'string', value: 'SECONDS', help: 'how long to poll a pending action before returning (default 60)' },
    },
    summary: "Run a connector's response action once per idempotency key; wait for a pending one to finish",
    async run(ctx) {
      const where = ['connector', 'action'];
      const wait = wholeNumber(ctx, 'wait', where, 0, 3600);
      const out = await ctx.call('connector.action', {
        name: ctx.args.NAME,
        action: ctx.args.ACTION,
        input: typeof ctx.options.input === 'string' ? parseJsonOption(ctx, 'input', where) : {},
        ...(typeof ctx.options.key === 'string' ? { key: ctx.options.key } : {}),
        ...(typeof ctx.options.case === 'string' ? { caseId: ctx.options.case } : {}),
        ...(wait !== undefined ? { waitSeconds: wait } : {}),
      });
      if (ctx.json) json(ctx.io, out);
      else {
        const detail = out.outcome.status === 'failed' ? `: ${String(out.outcome.reason)}` : out.outcome.status === 'pending' ? ` (poll handle ${JSON.stringify(out.outcome.poll)}; run it again with --key ${out.key} to keep polling)` : '';
        ctx.io.stdout(`${out.action} on ${out.connector}: ${out.status}${detail}${out.replayed ? ' (already done earlier with this key; not sent again)' : ''}\n`);
        ctx.io.stdout(`key ${out.key}; impact: ${out.impact.changes} (risk ${out.impact.risk}${out.impact.undo ? `, undo with ${out.impact.undo}` : ''})\n`);
      }
      return out.status === 'failed' ? 1 : 0;
    },
  },
  {
    path: ['connector', 'actions'],
    args: [{ name: 'NAME', required: false }],
    options: { limit: { type: 'string', value: 'N', help: 'at most N (default 100)' } },
    summary: 'List action calls made through connectors, newest first',
    async run(ctx) {
      const limit = wholeNumber(ctx, 'limit', ['connector', 'actions'], 1, 1000);
      const { actions } = await ctx.call('connector.actions', { ...(ctx.args.NAME ? { name: ctx.args.NAME } : {}), ...(limit ? { limit } : {}) });
      if (ctx.json) json(ctx.io, actions);
      else if (actions.length === 0) ctx.io.stdout('No connector actions yet.\n');
      else ctx.io.stdout(table([['REQUESTED', 'CONNECTOR', 'ACTION', 'STATUS', 'KEY'], ...actions.map((a) => [a.requestedAt, a.connector, a.action, a.status, a.key])]));
      return 0;
    },
  },
  {
    path: ['emulate'],
    args: [{ name: 'VENDOR', required: true }],
    options: {
      port: { type: 'string', value: 'N', help: 'port on 127.0.0.1 (default: any free port)' },
      alerts: { type: 'string', value: 'N', help: 'generated alerts served besides the recorded ones (default 0)' },
      faults: { type: 'string', value: 'SPEC', help: 'inject faults: kind:rate,… kinds 429, 500, 503, slow, truncate, expire' },
      seed: { type: 'string', value: 'N', help: 'seed for generated alerts and fault decisions (default 1)' },
      'slow-ms': { type: 'string', value: 'MS', help: 'how long a slow fault holds a response (default 35000, past the 30 s client timeout)' },
      'retry-after': { type: 'string', value: 'SECONDS', help: 'the wait an injected 429 asks for (default 1)' },
    },
    summary: "Start a vendor's emulator on 127.0.0.1 and print the connector settings that reach it; Ctrl+C stops",
    async run(ctx) {
      const where = ['emulate'];
      const vendors = cliVendors(ctx.io);
      const vendor = vendors.find((v) => v.emulator.vendor === ctx.args.VENDOR || v.connector.manifest.id === ctx.args.VENDOR);
      if (!vendor) {
        const known = vendors.map((v) => v.connector.manifest.id).sort();
        throw new UsageError(`no emulator for vendor "${ctx.args.VENDOR}" (vendors: ${known.length ? known.join(', ') : 'none built in'})`, where);
      }
      const port = wholeNumber(ctx, 'port', where, 0, 65535);
      const alerts = wholeNumber(ctx, 'alerts', where, 0, 10_000_000);
      const seed = wholeNumber(ctx, 'seed', where, 0, 2 ** 31);
      const slowMs = wholeNumber(ctx, 'slow-ms', where, 1, 600_000);
      const retryAfterSeconds = wholeNumber(ctx, 'retry-after', where, 0, 3600);
      let faults;
      try {
        faults = typeof ctx.options.faults === 'string' ? parseFaults(ctx.options.faults) : [];
      } catch (e) {
        if (e instanceof ConnectorError) throw new UsageError(`--faults: ${e.message}`, where);
        throw e;
      }
      const content = findContentDir(ctx.io.env);
      const emu: RunningEmulator = await vendor.emulator.start({
        ...(port !== undefined ? { port } : {}),
        ...(alerts !== undefined ? { alerts } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(slowMs !== undefined ? { slowMs } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        faults,
        ...(content ? { contentDir: path.join(content, 'emulators') } : {}),
      });
      try {
        if (ctx.json) ctx.io.stdout(`${JSON.stringify({ url: emu.url, settings: emu.settings })}\n`);
        else {
          const id = vendor.connector.manifest.id;
          ctx.io.stdout(
            `${vendor.connector.manifest.vendor} emulator at ${emu.url} (${plural(emu.alertIds().length, 'alert', 'alerts')}` +
              `${faults.length ? `, faults ${faults.map((f) => `${f.kind}:${f.rate}`).join(',')}` : ''}).\n` +
              `Connector settings that reach it (its own test credentials):\n${JSON.stringify(emu.settings, null, 2)}\n` +
              `Add it with: quell connector add ${id} ${id}-emulator --settings '${JSON.stringify(emu.settings)}'\n` +
              `Ctrl+C stops.\n`,
          );
        }
        ctx.io.onReady?.({ url: emu.url });
        await ctx.io.untilStopped;
      } finally {
        await emu.close();
      }
      if (!ctx.json) {
        const injected = Object.entries(emu.faultsInjected()).filter(([, n]) => n > 0).map(([k, n]) => `${k} ×${n}`);
        ctx.io.stderr(`Served ${plural(emu.served().length, 'alert', 'alerts')}, received ${plural(emu.actions().length, 'action', 'actions')}${injected.length ? `, injected ${injected.join(', ')}` : ''}.\n`);
      }
      return 0;
    },
  },
];

function showPullProgress(ctx: RunContext): () => void {
  let shown = false;
  const off = ctx.core().router.subscribe('connector.progress', (p) => {
    ctx.io.stderr(`\r${`${p.connector}: page ${p.pages}, read ${p.read}, stored ${p.stored}, duplicates ${p.duplicates}, retries ${p.retries}`.padEnd(100)}`);
    shown = true;
  });
  return () => {
    off();
    if (shown) ctx.io.stderr('\n');
    shown = false;
  };
}
