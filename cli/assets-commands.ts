import type { AssetResolution, BlastRadius, CommandOutput } from '../core/index.js';
import { UsageError } from './args.js';
import type { CliCommand, RunContext } from './commands.js';
import { table } from './format.js';

const json = (ctx: RunContext, value: unknown) => ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
const opt = (ctx: RunContext, name: string) => (typeof ctx.options[name] === 'string' ? (ctx.options[name] as string) : undefined);
const source = { type: 'string', value: 'NAME', help: 'name of what is imported; importing the same source again replaces it (default: FORMAT:file name)' } as const;

function printCounts(ctx: RunContext, what: string, r: CommandOutput<'asset.import'> | CommandOutput<'deps.import'>): void {
  const counts = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  ctx.io.stdout(`Imported ${what} ${r.source} from ${r.file}: ${counts || 'nothing'}${r.previous ? ' (replaced the previous import)' : ''}\n`);
}

function printResolution(ctx: RunContext, r: AssetResolution): void {
  const lines: [string, string][] = [
    ['query', `${r.query.value} (${r.query.type})`],
    ['status', r.status],
    ['asset', r.asset ? `${r.asset.name} (${r.asset.kind}, ${r.asset.source})` : r.status === 'known' ? '-' : 'unknown asset'],
    ['prefix', r.prefix ? `${r.prefix.prefix}${r.prefix.vrf ? ` vrf ${r.prefix.vrf}` : ''}` : '-'],
    ['site', r.site ?? '-'],
    ['tenant', r.tenant ?? '-'],
    ['owner', r.owner ?? '-'],
    ['criticality', r.criticality ?? '-'],
    ['why', r.reason],
  ];
  ctx.io.stdout(lines.map(([k, v]) => `${k.padEnd(12)}${v}`).join('\n') + '\n');
}

function printBlast(ctx: RunContext, b: BlastRadius): void {
  ctx.io.stdout(`${b.target.id}: ${b.dependents.length} dependents, ${b.maxDepth} hops deep\n`);
  if (b.dependents.length) {
    ctx.io.stdout(
      table([
        ['DEPTH', 'SERVICE', 'VIA', 'WEIGHT', 'OWNER'],
        ...b.dependents.map((d) => [String(d.depth), d.id, d.via.join(','), d.weight === null ? '-' : String(Math.round(d.weight * 1000) / 1000), d.owner ?? 'unknown']),
      ]),
    );
  }
  for (const o of b.owners) ctx.io.stdout(`inform ${o.owner}: ${o.nodes.join(', ')}\n`);
  if (b.unknownOwner.length) ctx.io.stdout(`owner unknown: ${b.unknownOwner.join(', ')}\n`);
}

export const assetCommands: CliCommand[] = [
  {
    path: ['assets', 'import'],
    args: [{ name: 'FILE', required: true }],
    options: { format: { type: 'string', value: 'FORMAT', help: 'netbox, csv or yaml (default: from the extension: .json, .csv, .yaml)' }, source },
    summary: 'Import an asset inventory: a NetBox export or a CSV/YAML file of name, ips, owner, criticality, tags',
    async run(ctx) {
      const r = await ctx.call('asset.import', { path: ctx.args.FILE, ...(opt(ctx, 'format') ? { format: opt(ctx, 'format') } : {}), ...(opt(ctx, 'source') ? { source: opt(ctx, 'source') } : {}) });
      if (ctx.json) json(ctx, r);
      else printCounts(ctx, 'inventory', r);
      return 0;
    },
  },
  {
    path: ['assets', 'lookup'],
    args: [{ name: 'HOST|IP', required: true }],
    options: {},
    summary: 'The asset of a host name or IP address: name, site, tenant, owner, criticality, or unknown',
    details:
      'Host names match case-insensitively, a short name meeting an FQDN either way, never across domains; an IP\n' +
      'matches an asset address, else the longest prefix that holds it. With --json: the asset.lookup result\n' +
      '{query, status: known|unknown|ambiguous, match: host-name|ip-address|prefix|null, asset, prefix, site, tenant,\n' +
      'owner, criticality, candidates, reason}. Exit 0 when known, 1 when unknown or ambiguous.',
    async run(ctx) {
      const r = await ctx.call('asset.lookup', { query: ctx.args['HOST|IP'] });
      if (ctx.json) json(ctx, r);
      else printResolution(ctx, r);
      return r.status === 'known' ? 0 : 1;
    },
  },
  {
    path: ['assets', 'blast-radius'],
    args: [{ name: 'NAME', required: true }],
    options: { 'max-depth': { type: 'string', value: 'N', help: 'follow at most N hops' } },
    summary: 'Everything that depends on a service, transitively, and the owners to inform',
    details:
      'NAME is a node id (us-east-1/proxy-prod) or a name only one node has. With --json, prints\n' +
      '{\n' +
      '  "target": {"id", "name", "owner"},\n' +
      '  "dependents": [{"id", "name", "depth", "via": [ids one hop nearer], "weight", "owner"}],\n' +
      '  "maxDepth": N,\n' +
      '  "owners": [{"owner", "nodes": [ids]}],\n' +
      '  "unknownOwner": [ids]\n' +
      '}\n' +
      'dependents are sorted by depth, then id; depth is the fewest hops to the target; weight is the summed traffic of\n' +
      'the edges to "via" (requests/s for Vizceral, the file\'s weight otherwise; null when none is known); owner comes\n' +
      'from the asset inventory by name, null when unknown. Cycles are followed once.',
    async run(ctx) {
      const depth = opt(ctx, 'max-depth');
      if (depth !== undefined && !/^\d+$/.test(depth)) throw new UsageError('--max-depth takes a whole number', ['assets', 'blast-radius']);
      const r = await ctx.call('deps.blastRadius', { name: ctx.args.NAME, ...(depth ? { maxDepth: Number(depth) } : {}) });
      if (ctx.json) json(ctx, r);
      else printBlast(ctx, r);
      return 0;
    },
  },
  {
    path: ['deps', 'import'],
    args: [{ name: 'FILE', required: true }],
    options: { format: { type: 'string', value: 'FORMAT', help: 'vizceral, yaml or csv (default: from the extension: .json, .yaml, .csv)' }, source },
    summary: 'Import an application dependency graph: Vizceral JSON, or CSV/YAML of service, depends_on, weight',
    async run(ctx) {
      const r = await ctx.call('deps.import', { path: ctx.args.FILE, ...(opt(ctx, 'format') ? { format: opt(ctx, 'format') } : {}), ...(opt(ctx, 'source') ? { source: opt(ctx, 'source') } : {}) });
      if (ctx.json) json(ctx, r);
      else printCounts(ctx, 'dependencies', r);
      return 0;
    },
  },
];
