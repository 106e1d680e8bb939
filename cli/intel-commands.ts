import path from 'node:path';
import { describeRule, parseThresholdRule } from '../core/enrich/intel/index.js';
import type { ThresholdRule } from '../core/index.js';
import { UsageError } from './args.js';
import type { CliCommand, RunContext } from './commands.js';
import { table } from './format.js';

/** Prints the value as JSON; returns the exit code so a command can end with it. */
function json(ctx: RunContext, value: unknown): number {
  ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  return 0;
}

function required(ctx: RunContext, name: string, where: string[]): string {
  const value = ctx.options[name];
  if (typeof value !== 'string') throw new UsageError(`--${name} is required`, where);
  return value;
}

function rule(text: string, name: string, where: string[]): ThresholdRule {
  const parsed = parseThresholdRule(text);
  if (!parsed) throw new UsageError(`--${name} ${text}: write a count (3), all-but:N (all feeds but N) or a share (50%)`, where);
  return parsed;
}

/** Threat-intel feeds, confidence rating and alert validation (issue 5). */
export const intelCommands: CliCommand[] = [
  {
    path: ['intel', 'import'],
    args: [{ name: 'FILE', required: true }],
    options: {
      name: { type: 'string', value: 'NAME', help: 'the feed name; importing a feed of that name again replaces it (required)' },
      reliability: { type: 'string', value: 'A-F', help: 'source reliability, Admiralty scale: A completely reliable … E unreliable, F cannot be judged (required)' },
      format: { type: 'string', value: 'FORMAT', help: 'stix, misp or csv (default: from the content; .csv files are CSV)' },
    },
    summary: 'Import a threat-intel feed (STIX 2.1 bundle, MISP JSON event, CSV with value,type columns) for every case',
    async run(ctx) {
      const where = ['intel', 'import'];
      const feed = await ctx.call('intel.feed.import', {
        path: path.resolve(ctx.args.FILE!),
        name: required(ctx, 'name', where),
        reliability: required(ctx, 'reliability', where).toUpperCase(),
        ...(typeof ctx.options.format === 'string' ? { format: ctx.options.format } : {}),
      });
      if (ctx.json) return json(ctx, feed);
      const r = feed.report;
      const types = Object.entries(r.byType).map(([t, n]) => `${t} ${n}`).join(', ');
      ctx.io.stdout(`${feed.replaced ? 'Replaced' : 'Imported'} feed ${feed.name} (${feed.format}, reliability ${feed.reliability}): ${r.indicators} indicators${types ? ` (${types})` : ''}, ${r.duplicates} repeated\n`);
      for (const [reason, n] of Object.entries(r.skipped)) ctx.io.stdout(`  skipped ${n}: ${reason}\n`);
      for (const u of r.unsupported) ctx.io.stdout(`  unsupported ${u.ref}: ${u.reason}\n`);
      return 0;
    },
  },
  {
    path: ['intel', 'feeds'],
    args: [],
    options: {},
    summary: 'List threat-intel feeds',
    async run(ctx) {
      const { feeds } = await ctx.call('intel.feed.list', {});
      if (ctx.json) return json(ctx, feeds);
      if (!feeds.length) {
        ctx.io.stdout('No feeds yet. Import one with: quell intel import FILE --name NAME --reliability A-F\n');
        return 0;
      }
      ctx.io.stdout(
        table([
          ['NAME', 'FORMAT', 'RELIABILITY', 'INDICATORS', 'UNSUPPORTED', 'IMPORTED', 'FILE'],
          ...feeds.map((f) => [f.name, f.format, f.reliability, String(f.report.indicators), String(f.report.unsupported.length), f.importedAt, f.file]),
        ]),
      );
      return 0;
    },
  },
  {
    path: ['intel', 'thresholds'],
    args: [],
    options: {
      automatic: { type: 'string', value: 'RULE', help: 'confirming feeds for automatic response: N, all-but:N or P% (default all-but:1)' },
      analyst: { type: 'string', value: 'RULE', help: 'confirming feeds to send to an analyst (default 2); fewer are discarded' },
    },
    summary: 'Show or set the confidence thresholds',
    async run(ctx) {
      const where = ['intel', 'thresholds'];
      let view = await ctx.call('intel.thresholds.get', {});
      if (typeof ctx.options.automatic === 'string' || typeof ctx.options.analyst === 'string') {
        const thresholds = {
          automatic: typeof ctx.options.automatic === 'string' ? rule(ctx.options.automatic, 'automatic', where) : view.thresholds.automatic,
          analyst: typeof ctx.options.analyst === 'string' ? rule(ctx.options.analyst, 'analyst', where) : view.thresholds.analyst,
        };
        view = await ctx.call('intel.thresholds.set', { thresholds });
      }
      if (ctx.json) return json(ctx, view);
      ctx.io.stdout(
        `automatic: ${describeRule(view.thresholds.automatic)} (needs ${view.required.automatic} of ${view.feedCount} feeds)\n` +
          `analyst:   ${describeRule(view.thresholds.analyst)} (needs ${view.required.analyst} of ${view.feedCount} feeds)${view.isDefault ? '\n(defaults)' : ''}\n`,
      );
      return 0;
    },
  },
  {
    path: ['intel', 'rate'],
    args: [],
    options: {
      case: { type: 'string', value: 'ID', help: 'the case (required)' },
      event: { type: 'string', value: 'ID', help: "rate this record (any kind) instead of every alert of the case" },
    },
    summary: 'Rate alerts by how many feeds confirm their indicators: automatic, analyst or discard',
    async run(ctx) {
      const caseId = required(ctx, 'case', ['intel', 'rate']);
      const result = await ctx.call('intel.rate', { caseId, ...(typeof ctx.options.event === 'string' ? { eventIds: [ctx.options.event] } : {}) });
      if (ctx.json) return json(ctx, result);
      ctx.io.stdout(
        `${result.feedCount} feeds; automatic needs ${result.required.automatic}, analyst ${result.required.analyst}. ` +
          `automatic ${result.counts.automatic}, analyst ${result.counts.analyst}, discard ${result.counts.discard}\n`,
      );
      if (result.rated.length) {
        ctx.io.stdout(
          table([
            ['EVENT', 'ROUTING', 'CONFIRMED', 'FEEDS'],
            ...result.rated.map((r) => [r.eventId, r.routing, String(r.confirmations), r.feeds.map((f) => `${f.name} (${f.reliability})`).join(', ') || '-']),
          ]),
        );
      }
      return 0;
    },
  },
  {
    path: ['alerts', 'validate'],
    args: [],
    options: {
      case: { type: 'string', value: 'ID', help: 'the case (required)' },
      alert: { type: 'string', value: 'EVENT_ID', help: 'validate this record (any kind); default: every alert with a feed-confirmed IP' },
      ip: { type: 'string', value: 'IP[,IP]', help: 'the malicious IPs the alert is about (needs --alert); default: its IPs a feed confirms' },
      'window-days': { type: 'string', value: 'N', help: 'look this many days either side of the alert (default 30)' },
    },
    summary: 'Qualify alerts about a malicious IP by connections from internal hosts to it, or mark them not relevant',
    async run(ctx) {
      const where = ['alerts', 'validate'];
      const caseId = required(ctx, 'case', where);
      const input: Record<string, unknown> = { caseId };
      if (typeof ctx.options.alert === 'string') input.alertId = ctx.options.alert;
      if (typeof ctx.options.ip === 'string') input.ips = ctx.options.ip.split(',').map((s) => s.trim()).filter(Boolean);
      if (typeof ctx.options['window-days'] === 'string') {
        const days = Number(ctx.options['window-days']);
        if (!Number.isFinite(days) || days <= 0) throw new UsageError(`--window-days ${ctx.options['window-days']}: give a positive number of days`, where);
        input.windowDays = days;
      }
      const result = await ctx.call('alert.validate', input);
      if (ctx.json) return json(ctx, result);
      ctx.io.stdout(`qualified ${result.counts.qualified}, not relevant ${result.counts.not_relevant}\n`);
      for (const r of result.results) {
        ctx.io.stdout(`${r.eventId}  ${r.status}  ${r.reason}\n`);
        for (const e of r.evidence) {
          ctx.io.stdout(`  ${e.ts}  ${e.internalIp}${e.host ? ` (${e.host})` : ''} -> ${e.maliciousIp}${e.destinationPort !== null ? `:${e.destinationPort}` : ''}  ${e.bytes ?? '-'} bytes  ${e.format} ${e.eventId}\n`);
        }
      }
      return 0;
    },
  },
];
