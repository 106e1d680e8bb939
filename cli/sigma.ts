import { loadRules, matchFile, resolveRulesPath } from '../core/index.js';
import { UsageError } from './args.js';
import type { CliCommand, RunContext } from './commands.js';
import { table } from './format.js';

const rulesOption = { type: 'string' as const, value: 'PATH', help: 'a Sigma rule file or a folder of rules (default: the rules Quell ships)' };
const rulesPath = (ctx: RunContext) => (typeof ctx.options.rules === 'string' ? ctx.options.rules : undefined);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const logsource = (ls: { product?: string | undefined; category?: string | undefined; service?: string | undefined }) =>
  [ls.product, ls.category, ls.service].filter(Boolean).join('/');

export const sigmaCommands: CliCommand[] = [
  {
    path: ['sigma', 'match'],
    args: [{ name: 'EVENTFILE', required: true, variadic: true }],
    options: {
      rules: rulesOption,
      format: { type: 'string', value: 'NAME', help: 'skip format detection and read every file as NAME' },
      explain: { type: 'boolean', help: 'with --json: also say which fields matched, per rule' },
    },
    summary: 'Match Sigma rules against evidence files (no case needed) and print the rules each record matches',
    async run(ctx) {
      const files = ctx.args.EVENTFILE!.split('\0');
      const root = resolveRulesPath(rulesPath(ctx));
      const engine = loadRules(root);
      const format = typeof ctx.options.format === 'string' ? ctx.options.format : undefined;
      const titles = new Map(engine.rules.map((r) => [r.info.id, r.info.title]));
      const counts = { records: 0, matched: 0, unreadable: 0 };
      const byRule: Record<string, number> = {};
      const out = ctx.io.stdout;
      if (ctx.json) {
        // Streamed, one record per line, so that a million records never sit in memory as one string.
        out(`{"rulesPath":${JSON.stringify(root)},"rules":{"loaded":${engine.rules.length},"rejected":${JSON.stringify(engine.rejected)}},\n"records":[`);
      } else {
        for (const r of engine.rejected) ctx.io.stderr(`quell: rejected ${r.file}: ${r.reason}\n`);
      }
      let first = true;
      for (const file of files) {
        for await (const m of matchFile(engine, file, { formatName: format, explain: ctx.options.explain === true })) {
          counts.records++;
          if (m.error) counts.unreadable++;
          if (m.rules.length) counts.matched++;
          for (const id of m.rules) byRule[id] = (byRule[id] ?? 0) + 1;
          if (ctx.json) {
            out(`${first ? '\n' : ',\n'}${JSON.stringify(m)}`);
            first = false;
          } else {
            for (const id of m.rules) out(`${m.file}:${m.line}  ${id}  ${titles.get(id) ?? ''}\n`);
          }
        }
      }
      if (ctx.json) out(`\n],\n"summary":${JSON.stringify({ ...counts, byRule })}}\n`);
      else {
        out(
          `${plural(counts.records, 'record')} read, ${plural(counts.matched, 'record')} matched ` +
            `${plural(Object.keys(byRule).length, 'rule')} of ${engine.rules.length}${counts.unreadable ? ` (${counts.unreadable} unreadable)` : ''}` +
            `${engine.rejected.length ? `; ${plural(engine.rejected.length, 'rule')} rejected` : ''}\n`,
        );
      }
      return 0;
    },
  },
  {
    path: ['sigma', 'run'],
    args: [],
    options: { case: { type: 'string', value: 'ID', help: 'the case (required)' }, rules: rulesOption },
    summary: "Run Sigma rules over a case's records and store each detection as an alert",
    async run(ctx) {
      if (typeof ctx.options.case !== 'string') throw new UsageError('--case ID is required', ['sigma', 'run']);
      const path = rulesPath(ctx);
      const result = await ctx.call('sigma.run', { caseId: ctx.options.case, ...(path ? { rulesPath: path } : {}) });
      if (ctx.json) {
        ctx.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      const r = result.rules;
      ctx.io.stdout(
        `${plural(r.loaded, 'rule')} loaded from ${result.rulesPath}` +
          `${r.rejected.length ? `, ${r.rejected.length} rejected` : ''}${r.unroutable ? ` (${r.unroutable} apply to no format Quell reads)` : ''}\n` +
          `${plural(result.records, 'record')} read: ${plural(result.detections, 'detection')}, ${plural(result.stored, 'new alert')}, ${result.duplicates} already stored` +
          `${result.unreadable ? `; ${plural(result.unreadable, 'record')} could not be read by field name` : ''}\n`,
      );
      if (result.byRule.length) {
        ctx.io.stdout(table([['LEVEL', 'COUNT', 'RULE', 'TITLE'], ...result.byRule.map((b) => [b.level, String(b.count), b.id, b.title])]));
      }
      for (const x of r.rejected) ctx.io.stdout(`rejected ${x.file}: ${x.reason}\n`);
      ctx.io.stdout(`${plural(result.incidents, 'incident')} in the case. See them with: quell incidents list --case ${ctx.options.case}\n`);
      return 0;
    },
  },
  {
    path: ['sigma', 'rules'],
    args: [],
    options: { rules: rulesOption },
    summary: 'List Sigma rules with their level, status and log source, and any rejected with the reason',
    async run(ctx) {
      const path = rulesPath(ctx);
      const listed = await ctx.call('sigma.rules', path ? { rulesPath: path } : {});
      if (ctx.json) {
        ctx.io.stdout(`${JSON.stringify(listed, null, 2)}\n`);
        return 0;
      }
      ctx.io.stdout(
        table([
          ['ID', 'LEVEL', 'STATUS', 'LOGSOURCE', 'FORMATS', 'TITLE'],
          ...listed.rules.map((r) => [r.id, r.level, r.status ?? '-', logsource(r.logsource), r.formats.length ? r.formats.join(',') : '(none)', r.title]),
        ]),
      );
      for (const x of listed.rejected) ctx.io.stdout(`rejected ${x.file}: ${x.reason}\n`);
      ctx.io.stdout(`${plural(listed.rules.length, 'rule')} from ${listed.rulesPath}${listed.rejected.length ? `, ${listed.rejected.length} rejected` : ''}\n`);
      return 0;
    },
  },
];
