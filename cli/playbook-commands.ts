// quell playbook list|validate|convert|import|schema|run, quell run list|show|resume|replay: the engine from a
// terminal. A file argument is read here and handed to the core as text with its name, so every error names it.
import fs from 'node:fs';
import path from 'node:path';
import type { RunView } from '../core/index.js';
import { jsonObjectOption, UsageError } from './args.js';
import type { CliCommand, RunContext } from './commands.js';
import { table } from './format.js';

const print = (ctx: RunContext, value: unknown) => ctx.io.stdout(`${JSON.stringify(value, null, 2)}\n`);

function readPlaybookFile(file: string, where: string[]): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}`, where);
  }
}

/** One line per step: key, status (simulated marked), and the error or a short output. */
export function printRun(ctx: RunContext, run: RunView): void {
  const head = `${run.id}  ${run.playbookId} v${run.playbookVersion}  ${run.dryRun ? 'dry run' : 'for real'}, ${run.mode}`;
  ctx.io.stdout(`${head}\n`);
  if (run.steps.length) {
    const short = (v: unknown) => {
      const t = v === null || v === undefined ? '' : JSON.stringify(v);
      return t.length > 80 ? `${t.slice(0, 77)}...` : t;
    };
    ctx.io.stdout(table([['STEP', 'STATUS', 'RESULT'], ...run.steps.map((s) => [s.key, s.status, s.error ?? short(s.output)])]));
  }
  if (run.wait) {
    const w = run.wait;
    ctx.io.stdout(
      `${run.status}: ${w.kind} at step "${w.key}"${w.prompt ? `: ${w.prompt}` : ''}${w.deadline ? ` (until ${w.deadline})` : ''}\n` +
        `Answer it in the app (quell serve or the desktop app), which resumes the run.\n`,
    );
  } else {
    ctx.io.stdout(`${run.status}${run.outcome ? `: ${run.outcome}` : ''}${run.error ? `: ${run.error}` : ''}\n`);
  }
}

const exitCode = (run: RunView) => (run.status === 'completed' ? 0 : run.status === 'paused' || run.status === 'waiting' ? 3 : 1);

export const playbookCommands: CliCommand[] = [
  {
    path: ['playbook', 'list'],
    args: [],
    options: {},
    summary: 'List the playbooks Quell ships and the ones imported into this database',
    async run(ctx) {
      const { playbooks } = await ctx.call('playbook.list', {});
      if (ctx.json) print(ctx, playbooks);
      else if (!playbooks.length) ctx.io.stdout('No playbooks.\n');
      else ctx.io.stdout(table([['ID', 'VERSION', 'STEPS', 'AUTONOMY', 'SOURCE', 'NAME'], ...playbooks.map((p) => [p.id, String(p.version), String(p.steps), p.autonomy, p.source, p.name])]));
      return 0;
    },
  },
  {
    path: ['playbook', 'validate'],
    args: [{ name: 'FILE', required: true }],
    options: {},
    summary: 'Check a playbook file (Quell YAML/JSON or CACAO 2.0 JSON): schema, references, expressions; exit 1 if invalid',
    async run(ctx) {
      const file = ctx.args.FILE!;
      const result = await ctx.call('playbook.validate', { text: readPlaybookFile(file, ['playbook', 'validate']), file });
      if (ctx.json) print(ctx, result);
      else if (result.ok) {
        ctx.io.stdout(`${file}: valid ${result.format === 'cacao' ? 'CACAO 2.0' : 'Quell'} playbook "${result.id}", ${result.steps} steps\n`);
        for (const n of result.notes) ctx.io.stdout(`  note: ${n.path}: ${n.message}\n`);
      } else {
        ctx.io.stdout(`${file}: invalid (${result.issues.length} problem${result.issues.length === 1 ? '' : 's'})\n`);
        for (const i of result.issues) ctx.io.stdout(`  ${i.path}: ${i.message}\n`);
      }
      return result.ok ? 0 : 1;
    },
  },
  {
    path: ['playbook', 'convert'],
    args: [{ name: 'FILE', required: true }],
    options: {
      to: { type: 'string', value: 'cacao|quell', help: 'the format to write (required)' },
      out: { type: 'string', short: 'o', value: 'OUT', help: 'write here instead of to standard output (-o OUT)' },
    },
    summary: 'Convert a playbook between Quell YAML and CACAO 2.0 JSON; what does not map one to one is listed',
    async run(ctx) {
      const where = ['playbook', 'convert'];
      const to = ctx.options.to;
      if (to !== 'cacao' && to !== 'quell') throw new UsageError('--to cacao or --to quell is required', where);
      const file = ctx.args.FILE!;
      const result = await ctx.call('playbook.convert', { text: readPlaybookFile(file, where), file, to });
      const out = ctx.options.out;
      if (typeof out === 'string') {
        fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
        fs.writeFileSync(out, result.text);
      }
      if (ctx.json) print(ctx, { format: result.format, notes: result.notes, ...(typeof out === 'string' ? { written: out } : { text: result.text }) });
      else {
        if (typeof out !== 'string') ctx.io.stdout(result.text);
        else ctx.io.stdout(`${file} → ${out} (${to === 'cacao' ? 'CACAO 2.0 JSON' : 'Quell YAML'})\n`);
        for (const n of result.notes) ctx.io.stderr(`note: ${n.path}: ${n.message}\n`);
      }
      return 0;
    },
  },
  {
    path: ['playbook', 'import'],
    args: [{ name: 'FILE', required: true }],
    options: {},
    summary: 'Add a playbook file (Quell YAML/JSON or CACAO 2.0) to this database',
    async run(ctx) {
      const file = ctx.args.FILE!;
      const result = await ctx.call('playbook.import', { text: readPlaybookFile(file, ['playbook', 'import']), file });
      if (ctx.json) print(ctx, result);
      else {
        ctx.io.stdout(`imported ${result.info.id} v${result.info.version} (${result.info.steps} steps) from ${file}\n`);
        for (const n of result.notes) ctx.io.stdout(`  note: ${n.path}: ${n.message}\n`);
      }
      return 0;
    },
  },
  {
    path: ['playbook', 'schema'],
    args: [],
    options: { out: { type: 'string', short: 'o', value: 'OUT', help: 'write here instead of to standard output (-o OUT)' } },
    summary: 'Print the JSON Schema of Quell playbooks (for editors)',
    async run(ctx) {
      const { schema } = await ctx.call('playbook.schema', {});
      const text = `${JSON.stringify(schema, null, 2)}\n`;
      if (typeof ctx.options.out === 'string') fs.writeFileSync(ctx.options.out, text);
      else ctx.io.stdout(text);
      return 0;
    },
  },
  {
    path: ['playbook', 'run'],
    args: [{ name: 'PLAYBOOK', required: true }],
    options: {
      case: { type: 'string', value: 'ID', help: 'the case (required)' },
      mode: { type: 'string', value: 'auto|dry-run', help: 'auto acts for real; dry-run simulates every action with side effects (default auto)' },
      alert: { type: 'string', value: 'ID', help: 'the alert that triggers the run' },
      inputs: { type: 'string', value: 'JSON', help: "the playbook's inputs as a JSON object" },
    },
    summary: 'Run a playbook (a file, or an id from quell playbook list) on a case and print its outcome and steps',
    details:
      'Exit codes: 0 completed, 1 failed or cancelled, 3 stopped to wait for an approval or a manual step (answer it in the app).\n' +
      'With --json: the run as `{ id, status, outcome, error, steps: [{ key, status, simulated, input, output, error, risk }], ... }`.',
    async run(ctx) {
      const where = ['playbook', 'run'];
      if (typeof ctx.options.case !== 'string') throw new UsageError('--case ID is required', where);
      const mode = ctx.options.mode ?? 'auto';
      if (mode !== 'auto' && mode !== 'dry-run') throw new UsageError('--mode is auto or dry-run', where);
      const ref = ctx.args.PLAYBOOK!;
      const isFile = fs.existsSync(ref) || /\.(ya?ml|json)$/i.test(ref);
      const run = await ctx.call('run.start', {
        caseId: ctx.options.case,
        ...(isFile ? { playbook: readPlaybookFile(ref, where), file: ref } : { playbookId: ref }),
        mode: 'auto',
        dryRun: mode === 'dry-run',
        ...(typeof ctx.options.alert === 'string' ? { alertId: ctx.options.alert } : {}),
        inputs: jsonObjectOption(ctx.options, 'inputs', where),
        wait: true,
      });
      if (ctx.json) print(ctx, run);
      else printRun(ctx, run);
      return exitCode(run);
    },
  },
  {
    path: ['run', 'list'],
    args: [],
    options: { case: { type: 'string', value: 'ID', help: 'only this case' }, playbook: { type: 'string', value: 'ID', help: 'only this playbook' } },
    summary: 'List playbook runs, newest first',
    async run(ctx) {
      const { runs } = await ctx.call('run.list', {
        ...(typeof ctx.options.case === 'string' ? { caseId: ctx.options.case } : {}),
        ...(typeof ctx.options.playbook === 'string' ? { playbookId: ctx.options.playbook } : {}),
      });
      if (ctx.json) print(ctx, runs);
      else if (!runs.length) ctx.io.stdout('No runs.\n');
      else
        ctx.io.stdout(
          table([['RUN', 'PLAYBOOK', 'STATUS', 'OUTCOME', 'DRY RUN', 'STARTED'], ...runs.map((r) => [r.id, r.playbookId, r.status, r.outcome ?? r.error ?? '', r.dryRun ? 'yes' : 'no', r.startedAt])]),
        );
      return 0;
    },
  },
  {
    path: ['run', 'show'],
    args: [{ name: 'RUN', required: true }],
    options: {},
    summary: 'Show a run: status, what it waits for, every step with its result',
    async run(ctx) {
      const run = await ctx.call('run.get', { runId: ctx.args.RUN });
      if (ctx.json) print(ctx, run);
      else printRun(ctx, run);
      return 0;
    },
  },
  {
    path: ['run', 'resume'],
    args: [{ name: 'RUN', required: true }],
    options: {},
    summary: 'Resume a run a crash or a quit interrupted (its finished steps are not run again)',
    async run(ctx) {
      const run = await ctx.call('run.resume', { runId: ctx.args.RUN, wait: true });
      if (ctx.json) print(ctx, run);
      else printRun(ctx, run);
      return exitCode(run);
    },
  },
  {
    path: ['run', 'replay'],
    args: [{ name: 'RUN', required: true }],
    options: {
      from: { type: 'string', value: 'STEP', help: 'the step to start again from (required)' },
      mode: { type: 'string', value: 'auto|dry-run', help: 'default auto' },
    },
    summary: 'Start a new run from a step of a finished run, reusing what was recorded before that step',
    async run(ctx) {
      const where = ['run', 'replay'];
      if (typeof ctx.options.from !== 'string') throw new UsageError('--from STEP is required', where);
      const mode = ctx.options.mode ?? 'auto';
      if (mode !== 'auto' && mode !== 'dry-run') throw new UsageError('--mode is auto or dry-run', where);
      const run = await ctx.call('run.replay', { runId: ctx.args.RUN, fromStep: ctx.options.from, dryRun: mode === 'dry-run', wait: true });
      if (ctx.json) print(ctx, run);
      else printRun(ctx, run);
      return exitCode(run);
    },
  },
];

export const reportCommand: CliCommand = {
  path: ['report'],
  args: [],
  options: {
    case: { type: 'string', value: 'ID', help: 'the case (required)' },
    format: { type: 'string', value: 'markdown|html', help: 'default markdown' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write here instead of to standard output (-o FILE)' },
  },
  summary: 'Export the case report: findings, response runs (simulated steps marked), approvals, journal check',
  async run(ctx) {
    const where = ['report'];
    if (typeof ctx.options.case !== 'string') throw new UsageError('--case ID is required', where);
    const format = ctx.options.format ?? 'markdown';
    if (format !== 'markdown' && format !== 'html') throw new UsageError('--format is markdown or html', where);
    const report = await ctx.call('report.export', { caseId: ctx.options.case, format });
    const out = ctx.options.out;
    if (typeof out === 'string') {
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, report.text);
    }
    if (ctx.json) print(ctx, { fileName: report.fileName, sha256: report.sha256, journalOk: report.journalOk, ...(typeof out === 'string' ? { written: out } : { text: report.text }) });
    else if (typeof out === 'string') ctx.io.stdout(`${out}: ${report.format} report, sha256 ${report.sha256}${report.journalOk ? '' : ' (the journal did NOT verify: see the report)'}\n`);
    else ctx.io.stdout(report.text);
    return report.journalOk ? 0 : 1;
  },
};
