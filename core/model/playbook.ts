import { z } from 'zod';

// A Quell playbook: data, never code. Steps are nested blocks (an `if` holds its `then` steps), which reads well in
// YAML and maps onto CACAO's branch model: every nested block is a CACAO branch that ends at its own `end` step.
// Conditions and `{{ templates }}` are text for the safe expression library (core/engine/expr), checked when a
// playbook is compiled.

/** Step and playbook ids: what breakpoints, journal entries and `onFailure` name. */
export const StepKey = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'use 1–64 lower-case letters, digits, "-" or "_", starting with a letter');
export const PlaybookKey = StepKey;

/** `30s`, `5m`, `2h`, `1d`, `250ms`, or milliseconds as a number. */
export const Duration = z.union([
  z.number().int().min(0).max(30 * 24 * 3600 * 1000),
  z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'write a duration like 250ms, 30s, 5m, 2h or 1d'),
]);
export type Duration = z.infer<typeof Duration>;

/** A condition: an expression of the safe expression language, e.g. `output.count > 0 && vars.ip != null`. */
export const Condition = z.string().min(1).max(10_000);
/** Any JSON value; strings in it are templates (`"{{ alert.host.name }}"`). */
export const TemplateValue = z.unknown();

export const Impact = z.enum(['none', 'low', 'medium', 'high']);
export type Impact = z.infer<typeof Impact>;

export const Retry = z.object({
  max: z.number().int().min(0).max(20),
  backoff: Duration.default('1s'),
  factor: z.number().min(1).max(10).default(2),
});

/** What a gated action does when its approval is refused or times out. */
export const GateFallback = z.union([
  z.enum(['escalate', 'skip', 'fail']),
  z.object({ action: z.string().min(1), with: z.record(z.string(), TemplateValue).default({}) }),
]);
export type GateFallback = z.infer<typeof GateFallback>;

const base = {
  id: StepKey,
  name: z.string().max(200).optional(),
  description: z.string().max(5000).optional(),
  /** Skip the step (recorded as skipped) unless this holds. */
  when: Condition.optional(),
  timeout: Duration.optional(),
  retry: Retry.optional(),
  /** Variables to set from this step's result: name → template over `output` (and everything else in scope). */
  save: z.record(z.string(), TemplateValue).optional(),
};

// The nested blocks refer to steps through this lazy reference, typed by hand below: TypeScript cannot infer a type
// that contains itself.
const StepRef: z.ZodType<Step> = z.lazy(() => Step);

/** After the last failed attempt: fail the run (default), continue with the next step, or run these steps. */
function onFailure(): z.ZodOptional<z.ZodUnion<readonly [z.ZodEnum<{ fail: 'fail'; continue: 'continue' }>, z.ZodArray<z.ZodType<Step>>]>> {
  return z.union([z.enum(['fail', 'continue']), z.array(StepRef)]).optional();
}

export const FormField = z.object({
  type: z.enum(['string', 'text', 'number', 'boolean', 'choice']),
  label: z.string().max(200).optional(),
  required: z.boolean().default(false),
  choices: z.array(z.string()).optional(),
  default: z.unknown().optional(),
});
export type FormField = z.infer<typeof FormField>;

export const ActionStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('action'),
  /** A built-in (`case.note`, `enrich.asset`, `notify` …) or `connector:<name>.<action>`. */
  action: z.string().min(1).max(200),
  with: z.record(z.string(), TemplateValue).default({}),
  /** The asset or host the action acts on: its blast radius enters the risk and the approval prompt. */
  target: z.string().max(500).optional(),
  /** Overrides the declared impact of the action (a connector's manifest, a built-in's definition). */
  impact: Impact.optional(),
  /** Dry-run: the outcome to pretend (else the last recorded real outcome of this step, else the action's default). */
  simulate: z.object({ output: TemplateValue }).optional(),
  /** Risk gating for this action: approval timeout and what to do when refused or timed out. */
  gate: z.object({ timeout: Duration.optional(), fallback: GateFallback.default('fail') }).optional(),
});

export const IfStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('if'),
  condition: Condition,
  then: z.array(StepRef).min(1),
  else: z.array(StepRef).optional(),
});

export const SwitchStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('switch'),
  value: Condition,
  cases: z.record(z.string(), z.array(StepRef).min(1)),
  default: z.array(StepRef).optional(),
});

export const ParallelStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('parallel'),
  /** all: every branch must finish; any: the first branch to succeed is enough (the rest are not started). */
  join: z.enum(['all', 'any']).default('all'),
  branches: z.array(z.array(StepRef).min(1)).min(2),
});

export const ForEachStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('for-each'),
  items: Condition,
  /** The loop variable (`item` by default) and its index (`index`). */
  as: z.string().regex(/^[a-z_][a-zA-Z0-9_]*$/).default('item'),
  max: z.number().int().min(1).max(10_000).default(1000),
  do: z.array(StepRef).min(1),
});

export const WhileStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('while'),
  condition: Condition,
  /** A bound is required: a loop that reaches it fails the step. */
  max: z.number().int().min(1).max(10_000),
  do: z.array(StepRef).min(1),
});

export const SubPlaybookStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('playbook'),
  playbook: PlaybookKey,
  with: z.record(z.string(), TemplateValue).default({}),
});

export const ManualStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('manual'),
  title: z.string().min(1).max(500),
  form: z.record(z.string(), FormField).default({}),
  assignee: z.string().max(200).optional(),
  due: Duration.optional(),
  /** When `due` passes: fail the step, continue with the form's defaults, or create an escalation task and fail. */
  onTimeout: z.enum(['fail', 'defaults', 'escalate']).default('fail'),
});

export const ApprovalStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('approval'),
  prompt: z.string().min(1).max(5000),
  approvers: z.string().max(200).optional(),
  /** When the approval times out. */
  onTimeout: z.enum(['reject', 'approve', 'escalate']).default('reject'),
  /** A refused approval fails the step (and so takes `onFailure`). */
});

export const WaitStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('wait'),
  duration: Duration,
});

export const SetStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('set'),
  vars: z.record(z.string(), TemplateValue),
});

export const EndStep = z.object({
  ...base,
  onFailure: onFailure(),
  type: z.literal('end'),
  outcome: z.string().min(1).max(200),
  reason: z.string().max(5000).optional(),
});

type Opt<T> = T | undefined;
interface StepBase {
  id: string;
  name?: Opt<string>;
  description?: Opt<string>;
  when?: Opt<string>;
  timeout?: Opt<Duration>;
  retry?: Opt<{ max: number; backoff: Duration; factor: number }>;
  onFailure?: Opt<'fail' | 'continue' | Step[]>;
  save?: Opt<Record<string, unknown>>;
}
type Form = Record<string, FormField>;
export type Step = StepBase &
  (
    | {
        type: 'action';
        action: string;
        with: Record<string, unknown>;
        target?: Opt<string>;
        impact?: Opt<Impact>;
        simulate?: Opt<{ output?: unknown }>;
        gate?: Opt<{ timeout?: Opt<Duration>; fallback: GateFallback }>;
      }
    | { type: 'if'; condition: string; then: Step[]; else?: Opt<Step[]> }
    | { type: 'switch'; value: string; cases: Record<string, Step[]>; default?: Opt<Step[]> }
    | { type: 'parallel'; join: 'all' | 'any'; branches: Step[][] }
    | { type: 'for-each'; items: string; as: string; max: number; do: Step[] }
    | { type: 'while'; condition: string; max: number; do: Step[] }
    | { type: 'playbook'; playbook: string; with: Record<string, unknown> }
    | {
        type: 'manual';
        title: string;
        form: Form;
        assignee?: Opt<string>;
        due?: Opt<Duration>;
        onTimeout: 'fail' | 'defaults' | 'escalate';
      }
    | { type: 'approval'; prompt: string; approvers?: Opt<string>; onTimeout: 'reject' | 'approve' | 'escalate' }
    | { type: 'wait'; duration: Duration }
    | { type: 'set'; vars: Record<string, unknown> }
    | { type: 'end'; outcome: string; reason?: Opt<string> }
  );

export const Step = z.discriminatedUnion('type', [
  ActionStep,
  IfStep,
  SwitchStep,
  ParallelStep,
  ForEachStep,
  WhileStep,
  SubPlaybookStep,
  ManualStep,
  ApprovalStep,
  WaitStep,
  SetStep,
  EndStep,
]);
export type StepType = Step['type'];
export type ActionStep = Extract<Step, { type: 'action' }>;

export const Autonomy = z.enum(['suggest', 'shadow', 'auto-with-approvals', 'full-auto']);
export type Autonomy = z.infer<typeof Autonomy>;

export const PlaybookInput = z.object({
  type: z.enum(['string', 'number', 'boolean', 'object', 'array', 'any']).default('string'),
  required: z.boolean().default(false),
  default: z.unknown().optional(),
  description: z.string().max(1000).optional(),
});

export const Playbook = z.object({
  id: PlaybookKey,
  name: z.string().min(1).max(200),
  version: z.number().int().min(1).default(1),
  description: z.string().max(10_000).default(''),
  labels: z.array(z.string().max(100)).default([]),
  autonomy: Autonomy.default('auto-with-approvals'),
  /** Actions whose risk (0–100) is above this wait for an approval (auto-with-approvals). */
  riskThreshold: z.number().int().min(0).max(100).default(50),
  /** How long a risk gate waits for an approval before its fallback, unless the step says otherwise. */
  approvalTimeout: Duration.default('1h'),
  inputs: z.record(z.string(), PlaybookInput).default({}),
  variables: z.record(z.string(), z.unknown()).default({}),
  /** name → template evaluated when the run ends: what a calling playbook receives. */
  outputs: z.record(z.string(), TemplateValue).default({}),
  steps: z.array(Step).min(1),
  /** Fields Quell does not use but keeps for a lossless export (CACAO agents, markings, extensions …). */
  cacao: z.record(z.string(), z.unknown()).optional(),
});
export type Playbook = z.infer<typeof Playbook>;
export type PlaybookSource = z.input<typeof Playbook>;

// ── runs ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/** auto runs to the end; step pauses before every step. Dry-run is separate: either mode can be a dry run. */
export const RunMode = z.enum(['auto', 'step']);
export type RunMode = z.infer<typeof RunMode>;

export const RunStatus = z.enum(['running', 'paused', 'waiting', 'completed', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const StepStatus = z.enum([
  'running',
  'done',
  'failed',
  'skipped',
  'overridden',
  'simulated',
  'escalated',
  'timed-out',
]);
export type StepStatus = z.infer<typeof StepStatus>;

export const RiskAssessment = z.object({
  risk: z.number().int().min(0).max(100),
  threshold: z.number().int(),
  gated: z.boolean(),
  impact: Impact,
  parts: z.object({ impact: z.number(), blastRadius: z.number(), uncertainty: z.number() }),
  confidence: z.number().nullable(),
  target: z.string().nullable(),
  blastRadius: z
    .object({ affected: z.number().int(), owners: z.array(z.string()), services: z.array(z.string()) })
    .nullable(),
  explanation: z.string(),
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;

export const StepRecord = z.object({
  seq: z.number().int(),
  /** The step id plus its loop iterations (`isolate#2`) and sub-playbook path (`contain/isolate`). */
  key: z.string(),
  stepId: z.string(),
  type: z.string(),
  attempt: z.number().int(),
  status: StepStatus,
  simulated: z.boolean(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  risk: RiskAssessment.nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Variables after the step (what replay starts from). */
  vars: z.record(z.string(), z.unknown()),
});
export type StepRecord = z.infer<typeof StepRecord>;

/** What a paused or waiting run is waiting for. */
export const RunWait = z.object({
  kind: z.enum(['step', 'breakpoint', 'pause', 'approval', 'manual', 'timer']),
  key: z.string(),
  stepId: z.string(),
  since: z.string(),
  deadline: z.string().nullable(),
  prompt: z.string().nullable(),
  risk: RiskAssessment.nullable(),
  form: z.record(z.string(), FormField).nullable(),
  assignee: z.string().nullable(),
  /** The step's rendered input, so the responder sees what would be sent before it is. */
  input: z.unknown(),
});
export type RunWait = z.infer<typeof RunWait>;

export const RunSummary = z.object({
  id: z.string(),
  caseId: z.string(),
  playbookId: z.string(),
  playbookName: z.string(),
  playbookVersion: z.number().int(),
  mode: RunMode,
  dryRun: z.boolean(),
  autonomy: Autonomy,
  status: RunStatus,
  outcome: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** The run this one replays, and the step it restarted from. */
  replayOf: z.object({ runId: z.string(), fromStep: z.string() }).nullable(),
  alertId: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunView = RunSummary.extend({
  inputs: z.record(z.string(), z.unknown()),
  vars: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  breakpoints: z.array(z.string()),
  wait: RunWait.nullable(),
  steps: z.array(StepRecord),
});
export type RunView = z.infer<typeof RunView>;
