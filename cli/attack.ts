import type { AttackLookupResult, AttackTechniqueMatch, CommandOutput } from '../core/index.js';
import { UsageError } from './args.js';
import type { CliCommand } from './commands.js';
import type { CliIo } from './io.js';

const json = (io: CliIo, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const attackCommands: CliCommand[] = [
  {
    path: ['attack', 'lookup'],
    args: [{ name: 'ID_OR_NAME', required: true }],
    options: {},
    summary: 'Look up an ATT&CK technique (T1003.001, t1086, "LSASS Memory") or tactic (TA0006, credential-access, "Credential Access")',
    async run(ctx) {
      const result = await ctx.call('attack.lookup', { query: ctx.args.ID_OR_NAME });
      if (ctx.json) json(ctx.io, result);
      else printLookup(ctx.io, result);
      return 0;
    },
  },
  {
    path: ['attack', 'matrix'],
    args: [],
    options: { case: { type: 'string', value: 'ID', help: 'the case (required)' } },
    summary: "Print a case's ATT&CK matrix: per tactic, the techniques with alerts and their counts",
    async run(ctx) {
      if (typeof ctx.options.case !== 'string') throw new UsageError('--case ID is required', ['attack', 'matrix']);
      const matrix = await ctx.call('attack.matrix', { caseId: ctx.options.case });
      if (ctx.json) json(ctx.io, matrix);
      else printMatrix(ctx.io, matrix);
      return 0;
    },
  },
];

export function printLookup(io: CliIo, r: AttackLookupResult): void {
  for (const t of r.tactics) {
    io.stdout(`${t.id}  ${t.shortname}  ${t.name}  (tactic, column ${t.order} of the matrix)\n  ${t.url}\n`);
  }
  if (r.matchedBy === 'technique-name-partial') {
    io.stdout(`${plural(r.techniques.length, 'technique', 'techniques')} of ATT&CK ${r.version} with ${JSON.stringify(r.query.trim())} in the name:\n`);
    for (const t of r.techniques) io.stdout(`  ${t.id.padEnd(9)}  ${t.fullName}  (${t.tactics.map((x) => x.shortname).join(', ')})\n`);
    return;
  }
  for (const t of r.techniques) printTechnique(io, t, r.version);
}

function printTechnique(io: CliIo, t: AttackTechniqueMatch, version: string): void {
  io.stdout(`${t.id}  ${t.fullName}\n`);
  if (t.redirectedFrom.length) {
    io.stdout(`  revoked: ${t.redirectedFrom.join(' → ')} → ${t.id} (ATT&CK ${version} replaced ${t.redirectedFrom[0]} with ${t.id})\n`);
  }
  if (t.deprecated) io.stdout(`  deprecated: ATT&CK ${version} no longer maintains this technique and names no replacement\n`);
  io.stdout(`  tactics: ${t.tactics.map((x) => `${x.id} ${x.name}`).join(', ') || '-'}\n`);
  if (t.subtechniques.length) io.stdout(`  sub-techniques: ${t.subtechniques.map((s) => `${s.id} ${s.name}`).join(', ')}\n`);
  if (t.platforms.length) io.stdout(`  platforms: ${t.platforms.join(', ')}\n`);
  io.stdout(`  ${t.url}\n`);
}

export function printMatrix(io: CliIo, m: CommandOutput<'attack.matrix'>): void {
  if (!m.taggedAlerts) {
    io.stdout('No alert in this case carries an ATT&CK technique.\n');
    return;
  }
  for (const tactic of m.tactics) {
    if (!tactic.techniques.length) continue;
    io.stdout(`${tactic.name} (${tactic.id})\n`);
    for (const t of tactic.techniques) {
      io.stdout(`  ${t.id.padEnd(9)}  ${String(t.alerts).padStart(6)}  ${t.name}\n`);
      for (const s of t.subtechniques) io.stdout(`    ${s.id.padEnd(9)}  ${String(s.alerts).padStart(4)}  ${s.name}\n`);
    }
  }
  io.stdout(`${plural(m.taggedAlerts, 'alert carries', 'alerts carry')} ATT&CK techniques (ATT&CK ${m.version}).\n`);
  for (const u of m.unmapped) io.stdout(`not in ATT&CK ${m.version}: ${u.id} on ${plural(u.alerts, 'alert', 'alerts')}\n`);
}
