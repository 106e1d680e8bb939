import { formatApiError, type Actor, type ApiError, type CommandName, type CommandOutput, type Core, type Result } from '../core/index.js';
import { UsageError, type OptionSpec } from './args.js';
import type { CliIo } from './io.js';
import { printCases, printImport, printIncidents, printJournal, printVerify } from './format.js';
import { intelCommands } from './intel-commands.js';
import { serveCommand } from './serve/command.js';
import { assetCommands } from './assets-commands.js';
import { attackCommands } from './attack.js';
import { sigmaCommands } from './sigma.js';
import { connectorCommands } from './connector-commands.js';
import { playbookCommands, reportCommand } from './playbook-commands.js';

export interface RunContext {
  args: Record<string, string>;
  options: Record<string, string | boolean>;
  json: boolean;
  io: CliIo;
  actor: Actor;
  /** Opens the case database on first use; commands that do not need it never touch it. */
  core(): Core;
  call<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>>;
}

export interface CliCommand {
  path: string[];
  args: { name: string; required: boolean; variadic?: boolean }[];
  options: Record<string, OptionSpec>;
  summary: string;
  /** More help shown by `quell help COMMAND` (output shapes, matching rules). */
  details?: string;
  /** Long-running commands with live views also announce journal entries other processes commit. */
  live?: boolean;
  run(ctx: RunContext): Promise<number>;
}

/** An expected failure from the router, already readable; main prints it and exits 1. */
export class CommandFailed extends Error {
  constructor(readonly error: ApiError) {
    super(formatApiError(error));
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new CommandFailed(result.error);
  return result.value;
}

const json = (io: CliIo, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

export const cliCommands: CliCommand[] = [
  {
    path: ['case', 'new'],
    args: [{ name: 'NAME', required: true }],
    options: { description: { type: 'string', value: 'TEXT', help: 'what the case is about' } },
    summary: 'Open a new case and print its id',
    async run(ctx) {
      const created = await ctx.call('case.create', {
        name: ctx.args.NAME,
        ...(typeof ctx.options.description === 'string' ? { description: ctx.options.description } : {}),
      });
      if (ctx.json) json(ctx.io, created);
      else ctx.io.stdout(`${created.id}\n`);
      return 0;
    },
  },
  {
    path: ['case', 'list'],
    args: [],
    options: {},
    summary: 'List cases, newest first',
    async run(ctx) {
      const { cases } = await ctx.call('case.list', {});
      if (ctx.json) json(ctx.io, cases);
      else printCases(ctx.io, cases);
      return 0;
    },
  },
  {
    path: ['note', 'add'],
    args: [
      { name: 'CASE_ID', required: true },
      { name: 'TEXT', required: true },
    ],
    options: {},
    summary: 'Add a note to a case',
    async run(ctx) {
      const note = await ctx.call('note.add', { caseId: ctx.args.CASE_ID, body: ctx.args.TEXT });
      if (ctx.json) json(ctx.io, note);
      else ctx.io.stdout(`${note.id}\n`);
      return 0;
    },
  },
  {
    path: ['audit', 'log'],
    args: [],
    options: {
      case: { type: 'string', value: 'ID', help: 'only this case' },
      after: { type: 'string', value: 'SEQ', help: 'entries after this sequence number' },
      limit: { type: 'string', value: 'N', help: 'at most N entries (default 200, max 1000)' },
    },
    summary: 'Print journal entries, oldest first',
    async run(ctx) {
      const input: Record<string, unknown> = {};
      if (typeof ctx.options.case === 'string') input.caseId = ctx.options.case;
      if (typeof ctx.options.after === 'string') input.afterSeq = Number(ctx.options.after);
      if (typeof ctx.options.limit === 'string') input.limit = Number(ctx.options.limit);
      const { entries } = await ctx.call('journal.list', input);
      if (ctx.json) json(ctx.io, entries);
      else printJournal(ctx.io, entries);
      return 0;
    },
  },
  {
    path: ['audit', 'verify'],
    args: [],
    options: { case: { type: 'string', value: 'ID', help: "check only this case's chain" } },
    summary: 'Check the journal hash chain; exit 1 naming the first bad entry',
    async run(ctx) {
      const report = await ctx.call(
        'audit.verify',
        typeof ctx.options.case === 'string' ? { caseId: ctx.options.case } : {},
      );
      if (ctx.json) json(ctx.io, report);
      else printVerify(ctx.io, report);
      return report.ok ? 0 : 1;
    },
  },
  {
    path: ['import'],
    args: [{ name: 'FILE', required: true, variadic: true }],
    options: {
      case: { type: 'string', value: 'ID', help: 'the case to import into (required)' },
      format: { type: 'string', value: 'NAME', help: 'skip format detection and read every file as NAME' },
    },
    summary: 'Import evidence files (JSON, NDJSON, Zeek, gzip…) into a case and regroup its incidents',
    async run(ctx) {
      if (typeof ctx.options.case !== 'string') throw new UsageError('--case ID is required', ['import']);
      const files = ctx.args.FILE!.split('\0');
      const stopProgress = ctx.io.isTTY && !ctx.json ? showProgress(ctx) : () => {};
      try {
        const result = await ctx.call('evidence.import', {
          caseId: ctx.options.case,
          paths: files,
          ...(typeof ctx.options.format === 'string' ? { format: ctx.options.format } : {}),
        });
        stopProgress();
        if (ctx.json) json(ctx.io, { ...result.totals, files: result.files });
        else printImport(ctx.io, result);
      } finally {
        stopProgress();
      }
      return 0;
    },
  },
  {
    path: ['incidents', 'list'],
    args: [],
    options: { case: { type: 'string', value: 'ID', help: 'the case (required)' } },
    summary: "List a case's incidents: members, time span, entities and why they were grouped",
    async run(ctx) {
      if (typeof ctx.options.case !== 'string') throw new UsageError('--case ID is required', ['incidents', 'list']);
      const { incidents } = await ctx.call('incident.list', { caseId: ctx.options.case });
      if (ctx.json) json(ctx.io, incidents);
      else printIncidents(ctx.io, incidents);
      return 0;
    },
  },
  ...assetCommands,
  ...intelCommands,
  ...attackCommands,
  ...sigmaCommands,
  ...connectorCommands,
  ...playbookCommands,
  reportCommand,
  serveCommand,
];

/** One status line on the terminal, rewritten in place as batches commit. */
function showProgress(ctx: RunContext): () => void {
  let shown = false;
  const off = ctx.core().router.subscribe('import.progress', (p) => {
    const pct = p.totalBytes ? Math.min(100, Math.floor((p.bytesRead / p.totalBytes) * 100)) : 100;
    const line = `[${p.fileIndex + 1}/${p.fileCount}] ${p.file} ${pct}%  read ${p.read}, stored ${p.stored}, duplicates ${p.duplicates}, quarantined ${p.quarantined}`;
    ctx.io.stderr(`\r${line.slice(0, 160).padEnd(100)}`);
    shown = true;
  });
  return () => {
    off();
    if (shown) ctx.io.stderr('\n');
    shown = false;
  };
}
