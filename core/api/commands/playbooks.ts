import { z } from 'zod';
import { Autonomy, CaseId, EventId, Playbook, RunMode, RunSummary, RunView } from '../../model/index.js';
import { defineCommand } from '../contract.js';

export const PlaybookInfo = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  description: z.string(),
  labels: z.array(z.string()),
  autonomy: Autonomy,
  riskThreshold: z.number().int(),
  source: z.enum(['library', 'imported']),
  format: z.enum(['yaml', 'json', 'cacao']),
  steps: z.number().int(),
  inputs: z.record(z.string(), z.object({ type: z.string(), required: z.boolean(), description: z.string().optional() })),
});

export const PlaybookGraph = z.object({
  nodes: z.array(z.object({ id: z.string(), type: z.string(), label: z.string(), parent: z.string().nullable(), action: z.string().nullable() })),
  edges: z.array(z.object({ from: z.string(), to: z.string(), kind: z.enum(['next', 'branch', 'loop', 'failure', 'join']), label: z.string() })),
});

/** What a conversion could not carry over, or carried over differently: never dropped silently. */
export const MappingNote = z.object({ kind: z.string(), path: z.string(), message: z.string() });

/** A playbook file's text, as read from disk by the CLI or picked in the app. */
const PlaybookText = z.object({ text: z.string().min(1, 'the file is empty').max(5_000_000), file: z.string().min(1).max(1000) });

export const listPlaybooks = defineCommand({
  name: 'playbook.list',
  summary: 'The playbooks Quell ships and the ones imported into this database (newest version of each)',
  mutates: false,
  input: z.object({}).default({}),
  output: z.object({ playbooks: z.array(PlaybookInfo) }),
});

export const getPlaybook = defineCommand({
  name: 'playbook.get',
  summary: 'One playbook with its steps as a graph to draw',
  mutates: false,
  input: z.object({ id: z.string().min(1), version: z.number().int().min(1).optional() }),
  output: z.object({ info: PlaybookInfo, playbook: Playbook, graph: PlaybookGraph }),
});

export const validatePlaybook = defineCommand({
  name: 'playbook.validate',
  summary: 'Check a playbook file (Quell YAML/JSON or CACAO 2.0 JSON): schema, references, expressions',
  mutates: false,
  input: PlaybookText,
  output: z.object({
    ok: z.boolean(),
    format: z.enum(['yaml', 'json', 'cacao']),
    id: z.string().nullable(),
    steps: z.number().int(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
    notes: z.array(MappingNote),
  }),
});

export const convertPlaybook = defineCommand({
  name: 'playbook.convert',
  summary: 'Convert a playbook between Quell (YAML) and CACAO 2.0 (JSON), listing what did not map one to one',
  mutates: false,
  input: PlaybookText.extend({ to: z.enum(['cacao', 'quell']) }),
  output: z.object({ text: z.string(), format: z.enum(['yaml', 'cacao']), notes: z.array(MappingNote) }),
});

export const importPlaybook = defineCommand({
  name: 'playbook.import',
  summary: 'Add a playbook (Quell YAML/JSON or CACAO 2.0) to this database; a new version of an id is kept beside the old',
  mutates: true,
  input: PlaybookText,
  output: z.object({ info: PlaybookInfo, notes: z.array(MappingNote) }),
});

export const playbookSchema = defineCommand({
  name: 'playbook.schema',
  summary: 'The JSON Schema of Quell playbooks, for editors',
  mutates: false,
  input: z.object({}).default({}),
  output: z.object({ schema: z.record(z.string(), z.unknown()) }),
});

export const startRun = defineCommand({
  name: 'run.start',
  summary: 'Run a playbook on a case: auto or step by step, for real or as a dry run (nothing outside is touched)',
  mutates: 'batched',
  input: z
    .object({
      caseId: CaseId,
      playbookId: z.string().min(1).optional(),
      /** A playbook given whole (a file the CLI read), instead of one from the library. */
      playbook: z.unknown().optional(),
      file: z.string().max(1000).optional(),
      mode: RunMode.default('auto'),
      dryRun: z.boolean().default(false),
      alertId: EventId.optional(),
      inputs: z.record(z.string(), z.unknown()).default({}),
      breakpoints: z.array(z.string()).max(500).default([]),
      /** Answer when the run finishes or first stops to wait for someone (else as soon as it has started). */
      wait: z.boolean().default(false),
      /** Leave out the step records (a long run's answer stays small; run.get has them). */
      withSteps: z.boolean().default(true),
    })
    .refine((v) => (v.playbookId === undefined) !== (v.playbook === undefined), { message: 'give either playbookId or playbook', path: ['playbookId'] }),
  output: RunView,
});

export const getRun = defineCommand({
  name: 'run.get',
  summary: 'A run: status, what it waits for, variables, and every step with its input, output and times',
  mutates: false,
  input: z.object({ runId: z.string().min(1), withSteps: z.boolean().default(true) }),
  output: RunView,
});

export const listRuns = defineCommand({
  name: 'run.list',
  summary: 'Runs, newest first (of a case, of a playbook)',
  mutates: false,
  input: z.object({ caseId: CaseId.optional(), playbookId: z.string().optional(), limit: z.number().int().min(1).max(1000).default(100) }),
  output: z.object({ runs: z.array(RunSummary) }),
});

export const controlRun = defineCommand({
  name: 'run.control',
  summary: 'Drive a run: step, skip, override the next step\'s output, continue to the next breakpoint, pause, resume, cancel',
  mutates: true,
  input: z.discriminatedUnion('command', [
    z.object({ runId: z.string().min(1), command: z.enum(['step', 'continue', 'skip', 'pause', 'resume', 'cancel']) }),
    z.object({ runId: z.string().min(1), command: z.literal('override'), output: z.unknown() }),
  ]),
  output: z.object({ runId: z.string(), command: z.string(), status: z.string() }),
});

export const setBreakpoints = defineCommand({
  name: 'run.breakpoints',
  summary: 'Set the steps a run pauses before',
  mutates: true,
  input: z.object({ runId: z.string().min(1), stepIds: z.array(z.string()).max(500) }),
  output: z.object({ runId: z.string(), breakpoints: z.array(z.string()) }),
});

export const setRunVars = defineCommand({
  name: 'run.setVars',
  summary: 'Change variables of a paused run (they apply from the step it is paused at)',
  mutates: true,
  input: z.object({ runId: z.string().min(1), vars: z.record(z.string(), z.unknown()) }),
  output: z.object({ runId: z.string(), vars: z.record(z.string(), z.unknown()) }),
});

export const decideApproval = defineCommand({
  name: 'run.approve',
  summary: 'Approve or refuse the action or approval step a run waits on',
  mutates: true,
  input: z.object({
    runId: z.string().min(1),
    key: z.string().min(1),
    decision: z.enum(['approve', 'reject']),
    comment: z.string().max(5000).optional(),
  }),
  output: z.object({ runId: z.string(), key: z.string(), decision: z.string() }),
});

export const submitManual = defineCommand({
  name: 'run.submit',
  summary: 'Submit the form of the manual step a run waits on',
  mutates: true,
  input: z.object({ runId: z.string().min(1), key: z.string().min(1), values: z.record(z.string(), z.unknown()) }),
  output: z.object({ runId: z.string(), key: z.string(), values: z.record(z.string(), z.unknown()) }),
});

export const replayRun = defineCommand({
  name: 'run.replay',
  summary: 'Start a new run from a step of a finished run, reusing its variables and inputs at that point',
  mutates: 'batched',
  input: z.object({
    runId: z.string().min(1),
    fromStep: z.string().min(1),
    mode: RunMode.default('auto'),
    dryRun: z.boolean().default(false),
    wait: z.boolean().default(false),
  }),
  output: RunView,
});

export const resumeRun = defineCommand({
  name: 'run.resume',
  summary: 'Resume a run that a crash or a quit interrupted (finished steps are not run again)',
  mutates: 'batched',
  input: z.object({ runId: z.string().min(1), wait: z.boolean().default(false) }),
  output: RunView,
});

export const shadowReport = defineCommand({
  name: 'playbook.shadow',
  summary: 'How often a shadow playbook\'s simulated decisions matched what the analysts did',
  mutates: false,
  input: z.object({ playbookId: z.string().min(1), caseId: CaseId.optional() }),
  output: z.object({
    playbookId: z.string(),
    runs: z.number().int(),
    decisions: z.number().int(),
    matched: z.number().int(),
    /** Analyst actions on the same cases that no shadow run proposed. */
    missed: z.number().int(),
    agreement: z.number().nullable(),
    details: z.array(
      z.object({ runId: z.string(), key: z.string(), action: z.string(), matched: z.boolean(), analystEntry: z.number().int().nullable() }),
    ),
  }),
});

export const setNotifyTarget = defineCommand({
  name: 'notify.target.set',
  summary: 'Name a webhook URL that playbooks may notify (an http or https URL)',
  mutates: true,
  input: z.object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use lower-case letters, digits, ".", "_" or "-"'),
    url: z.url({ protocol: /^https?$/, error: 'give an http:// or https:// URL' }),
  }),
  output: z.object({ name: z.string(), url: z.string() }),
});

export const listNotifyTargets = defineCommand({
  name: 'notify.target.list',
  summary: 'Webhook targets playbooks may notify',
  mutates: false,
  input: z.object({}).default({}),
  output: z.object({ targets: z.array(z.object({ name: z.string(), url: z.string(), createdAt: z.string() })) }),
});
