// One run of a playbook. The nested blocks are walked by plain recursion; what makes it durable is the step log:
// every finished step is committed with its journal entry and the variables after it, and a resumed (or replayed)
// run walks the same blocks again, taking each already-finished step's result from the log instead of acting
// again. Conditions and loop items are recomputed from the restored variables, so the walk lands on the same path.
import type { Actor, Playbook, RiskAssessment, RunMode, RunStatus, RunWait, Step, StepRecord, StepStatus } from '../model/index.js';
import { QuellError } from '../api/index.js';
import type { Release } from './control.js';
import { Waiter } from './control.js';
import { describeMs, durationMs } from './duration.js';
import { isTruthy as truthy, renderValue, evaluate as evaluateExpression, type Value } from './expr/index.js';

const isTruthy = (v: unknown): boolean => truthy(v as Value);
import type { EngineHost } from './host.js';
import { executeAction } from './run-action.js';
import type { RunDefinition, RunStore } from './run-store.js';
import { CancelSignal, EndSignal, InterruptSignal, isSignal, StepFailure } from './signals.js';
import { blocksOf, assertNever } from './walk.js';

/** Where a step runs: which playbook (a sub-playbook has its own), its variables, loop variables, key prefix. */
export interface Frame {
  readonly playbook: Playbook;
  readonly prefix: string;
  readonly suffix: string;
  vars: Record<string, unknown>;
  readonly inputs: Record<string, unknown>;
  readonly locals: Record<string, unknown>;
  readonly parentKey: string | null;
  readonly depth: number;
}

export interface StepResult {
  status: StepStatus;
  output: unknown;
  simulated: boolean;
  risk: RiskAssessment | null;
  input: unknown;
}

const MAX_SUB_DEPTH = 8;
/** Step types that only compute: their records may wait for the next commit (see commit). */
const LAZY: ReadonlySet<Step['type']> = new Set(['set', 'if', 'switch', 'for-each', 'while', 'parallel', 'end']);
const MAX_PENDING = 100;
const DEFAULT_ACTION_TIMEOUT_MS = 10 * 60_000;
const FINAL: readonly StepStatus[] = ['done', 'failed', 'skipped', 'overridden', 'simulated', 'escalated', 'timed-out'];
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export class RunDriver {
  readonly waiter = new Waiter();
  readonly abort = new AbortController();
  mode: RunMode;
  readonly breakpoints: Set<string>;
  private pauseRequested = false;
  /** Finished records of an earlier life of this run (resume) or of the run it replays, by key. */
  private readonly replay = new Map<string, StepRecord>();
  /** Variables edited while paused, applied when the walk reaches the first step that is not replayed. */
  private pendingVars: Record<string, unknown> | null;
  private readonly outputs = new Map<string, { output: unknown; status: StepStatus }>();
  /** `steps.<id>` in expressions: the newest output and status of each step, kept as it grows. */
  private readonly stepsScope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private alertDoc: unknown = undefined;
  private confidenceCache: number | null | undefined = undefined;
  finished: Promise<void> = Promise.resolve();
  private pending: (() => void)[] = [];
  private seq: number;
  private latestVarsJson: string | null = null;
  private latestKey: string | null = null;

  constructor(
    readonly host: EngineHost,
    readonly runs: RunStore,
    readonly runId: string,
    readonly caseId: string,
    readonly def: RunDefinition,
    readonly options: {
      mode: RunMode;
      dryRun: boolean;
      alertId: string | null;
      inputs: Record<string, unknown>;
      breakpoints: string[];
      replayRecords: StepRecord[];
      resumeVars: Record<string, unknown> | null;
    },
  ) {
    this.mode = options.mode;
    this.breakpoints = new Set(options.breakpoints);
    for (const r of options.replayRecords) {
      if (!FINAL.includes(r.status)) continue;
      this.replay.set(r.key, r);
      this.setOutput(r.stepId, { output: r.output, status: r.status });
    }
    this.pendingVars = options.resumeVars;
    this.seq = runs.maxSeq(runId);
  }

  private setOutput(stepId: string, v: { output: unknown; status: StepStatus }): void {
    this.outputs.set(stepId, v);
    this.stepsScope[stepId] = v;
  }

  get playbook(): Playbook {
    return this.def.playbook;
  }

  /** Shadow playbooks never act: they rehearse beside the analyst. */
  get dryRun(): boolean {
    return this.options.dryRun || this.playbook.autonomy === 'shadow';
  }

  actor(key?: string, stepId?: string): Actor {
    return { kind: 'playbook', id: this.playbook.id, runId: this.runId, ...(key ? { stepId: key } : {}), ...(stepId && !key ? { stepId } : {}) };
  }

  start(): void {
    this.finished = this.execute();
  }

  private async execute(): Promise<void> {
    const pb = this.playbook;
    const frame: Frame = {
      playbook: pb,
      prefix: '',
      suffix: '',
      vars: { ...clone(pb.variables) },
      inputs: this.options.inputs,
      locals: {},
      parentKey: null,
      depth: 0,
    };
    let status: RunStatus = 'completed';
    let outcome: string | null = null;
    let error: string | null = null;
    try {
      await this.block(pb.steps, frame);
    } catch (err) {
      if (err instanceof EndSignal) outcome = err.outcome;
      else if (err instanceof CancelSignal) status = 'cancelled';
      else if (err instanceof InterruptSignal || this.abort.signal.reason instanceof InterruptSignal) {
        return; // the row stays as it was (the host marked it interrupted): the next host start resumes it
      } else {
        status = 'failed';
        error = err instanceof Error ? err.message : String(err);
      }
    }
    let outputs: Record<string, unknown> = {};
    if (status === 'completed') {
      try {
        outputs = renderValue(pb.outputs, this.scope(frame)) as Record<string, unknown>;
      } catch (err) {
        status = 'failed';
        error = `outputs: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
    const at = this.host.now();
    this.flush(() => {
      this.runs.updateRun(this.runId, {
        status,
        outcome,
        error,
        outputs: JSON.stringify(outputs),
        vars: JSON.stringify(frame.vars),
        wait: null,
        finished_at: at,
        updated_at: at,
      });
      this.host.journal(this.caseId, this.actor(), `playbook.run.${status}`, {
        runId: this.runId,
        playbook: pb.id,
        version: pb.version,
        dryRun: this.dryRun,
        outcome,
        error,
        outputs,
      });
    }, status);
  }

  // ── blocks and steps ───────────────────────────────────────────────────────────────────────────────────────────

  async block(steps: Step[], frame: Frame): Promise<void> {
    for (const step of steps) await this.step(step, frame);
  }

  private keyOf(step: Step, frame: Frame): string {
    return `${frame.prefix}${step.id}${frame.suffix}`;
  }

  scope(frame: Frame, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const steps = this.stepsScope;
    return {
      inputs: frame.inputs,
      vars: frame.vars,
      alert: this.alertDoc ?? null,
      case: { id: this.caseId },
      run: { id: this.runId, dryRun: this.dryRun, mode: this.mode, playbook: frame.playbook.id },
      steps,
      ...frame.locals,
      ...extra,
    };
  }

  private async step(step: Step, frame: Frame): Promise<void> {
    const key = this.keyOf(step, frame);
    const replayed = this.replay.get(key);
    const retriesLeft = replayed && replayed.status === 'failed' && step.retry && replayed.attempt <= step.retry.max;
    if (replayed && !retriesLeft) {
      frame.vars = clone(replayed.vars);
      this.setOutput(step.id, { output: replayed.output, status: replayed.status });
      if (step.type === 'end' && replayed.status === 'done') {
        const o = replayed.output as { outcome?: string; reason?: string | null } | null;
        throw new EndSignal(o?.outcome ?? step.outcome, o?.reason ?? null);
      }
      if (replayed.status === 'failed' || replayed.status === 'timed-out') {
        await this.afterFailure(step, frame, new StepFailure(step.id, replayed.error ?? 'failed'));
      }
      return;
    }
    if (this.pendingVars) {
      frame.vars = { ...frame.vars, ...this.pendingVars };
      this.pendingVars = null;
    }
    if (this.abort.signal.aborted) throw this.abort.signal.reason;
    if (!LAZY.has(step.type)) this.flush(); // what came before is committed before this step acts or waits
    await this.loadAlert();

    // The debugger: pause before the step when stepping, at a breakpoint, or when asked to pause.
    const before = await this.checkpoint(step, frame, key);
    const edited = this.pendingVars as Record<string, unknown> | null; // set by run.setVars during the pause
    if (edited) {
      frame.vars = { ...frame.vars, ...edited };
      this.pendingVars = null;
    }
    if (before.kind === 'skip' || before.kind === 'override') {
      const result: StepResult = {
        status: before.kind === 'skip' ? 'skipped' : 'overridden',
        output: before.kind === 'override' ? before.output : null,
        simulated: false,
        risk: null,
        input: null,
      };
      if (before.kind === 'override') this.save(step, frame, result.output);
      this.commit(step, frame, key, 1, result, null, this.host.now());
      return;
    }

    if (step.when !== undefined && !isTruthy(this.evaluate(step, 'when', step.when, frame))) {
      this.commit(step, frame, key, 1, { status: 'skipped', output: { when: false }, simulated: false, risk: null, input: null }, null, this.host.now());
      return;
    }

    const attempts = step.retry ? step.retry.max + 1 : 1;
    let lastFailure: StepFailure | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const startedAt = this.host.now();
      try {
        const result = await this.execute1(step, frame, key, attempt);
        if (result.status !== 'failed' && result.status !== 'timed-out') this.save(step, frame, result.output);
        this.commit(step, frame, key, attempt, result, null, startedAt);
        if (step.type === 'end') {
          const o = result.output as { outcome: string; reason: string | null };
          throw new EndSignal(o.outcome, o.reason);
        }
        return;
      } catch (err) {
        if (isSignal(err)) throw err;
        if (this.abort.signal.aborted) throw this.abort.signal.reason;
        lastFailure = err instanceof StepFailure ? err : new StepFailure(step.id, err instanceof QuellError || err instanceof Error ? err.message : String(err));
        const failed: StepResult = { status: lastFailure.status, output: null, simulated: false, risk: null, input: null };
        this.commit(step, frame, key, attempt, failed, lastFailure.message, startedAt);
        if (attempt < attempts && step.retry) {
          const wait = durationMs(step.retry.backoff) * step.retry.factor ** (attempt - 1);
          await this.host.sleep(wait, this.abort.signal);
        }
      }
    }
    await this.afterFailure(step, frame, lastFailure!);
  }

  /** What a failed step does after its last attempt: fail the run (and the blocks around it), continue, or recover. */
  private async afterFailure(step: Step, frame: Frame, failure: StepFailure): Promise<void> {
    const how = step.onFailure ?? 'fail';
    if (how === 'continue') return;
    if (how === 'fail') throw new StepFailure(step.id, failure.message.startsWith(`step "`) ? failure.message : `step "${step.id}" failed: ${failure.message}`);
    const recovery: Frame = { ...frame, locals: { ...frame.locals, error: { step: step.id, message: failure.message } } };
    await this.block(how, recovery);
    frame.vars = recovery.vars;
  }

  private save(step: Step, frame: Frame, output: unknown): void {
    if (!step.save) return;
    for (const [name, tpl] of Object.entries(step.save)) {
      frame.vars[name] = this.render(step, `save.${name}`, tpl, frame, { output });
    }
  }

  /** Runs one attempt of a step. Containers run their blocks here; their own record is written when they finish. */
  private async execute1(step: Step, frame: Frame, key: string, attempt: number): Promise<StepResult> {
    const ok = (output: unknown, input: unknown = null): StepResult => ({ status: 'done', output, simulated: false, risk: null, input });
    switch (step.type) {
      case 'action':
        return executeAction(this, step, frame, key, attempt);
      case 'if': {
        const value = this.evaluate(step, 'condition', step.condition, frame);
        const branch = isTruthy(value) ? 'then' : step.else ? 'else' : 'none';
        if (branch === 'then') await this.inner(step.then, frame, key);
        else if (branch === 'else' && step.else) await this.inner(step.else, frame, key);
        return ok({ branch, condition: value });
      }
      case 'switch': {
        const value = this.evaluate(step, 'value', step.value, frame);
        const text = value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value);
        const steps = step.cases[text] ?? step.default;
        if (steps) await this.inner(steps, frame, key);
        return ok({ case: step.cases[text] ? text : steps ? 'default' : 'none', value });
      }
      case 'parallel': {
        const results: { branch: number; status: 'done' | 'failed' | 'not started'; error?: string }[] = [];
        let succeeded = 0;
        for (const [i, branch] of step.branches.entries()) {
          if (step.join === 'any' && succeeded > 0) {
            results.push({ branch: i + 1, status: 'not started' });
            continue;
          }
          try {
            await this.inner(branch, frame, key);
            succeeded++;
            results.push({ branch: i + 1, status: 'done' });
          } catch (err) {
            if (isSignal(err) || step.join === 'all') throw err;
            results.push({ branch: i + 1, status: 'failed', error: err instanceof Error ? err.message : String(err) });
          }
        }
        if (succeeded === 0) throw new StepFailure(step.id, `no branch of "${step.id}" succeeded`);
        return ok({ join: step.join, branches: results });
      }
      case 'for-each': {
        const items = this.evaluate(step, 'items', step.items, frame);
        if (!Array.isArray(items)) throw new StepFailure(step.id, `items of "${step.id}" is not a list (${items === null ? 'null' : typeof items})`);
        if (items.length > step.max) throw new StepFailure(step.id, `"${step.id}" has ${items.length} items, above its bound of ${step.max}`);
        for (const [index, item] of items.entries()) {
          const loop: Frame = { ...frame, suffix: `${frame.suffix}#${index}`, locals: { ...frame.locals, [step.as]: item, index }, parentKey: key };
          await this.block(step.do, loop);
          frame.vars = loop.vars;
        }
        return ok({ iterations: items.length });
      }
      case 'while': {
        let i = 0;
        while (isTruthy(this.evaluate(step, 'condition', step.condition, frame))) {
          if (i >= step.max) throw new StepFailure(step.id, `"${step.id}" reached its bound of ${step.max} iterations`);
          const loop: Frame = { ...frame, suffix: `${frame.suffix}#${i}`, locals: { ...frame.locals, index: i }, parentKey: key };
          await this.block(step.do, loop);
          frame.vars = loop.vars;
          i++;
        }
        return ok({ iterations: i });
      }
      case 'playbook':
        return this.subPlaybook(step, frame, key);
      case 'manual':
        return this.manual(step, frame, key);
      case 'approval':
        return this.approval(step, frame, key);
      case 'wait': {
        const ms = durationMs(step.duration);
        if (this.dryRun) return { status: 'simulated', output: { waitedMs: 0, wouldWaitMs: ms }, simulated: true, risk: null, input: { ms } };
        const release = await this.waitFor(step, frame, key, { kind: 'timer', deadlineMs: ms, prompt: `waiting ${describeMs(ms)}` });
        return ok({ waitedMs: ms, skipped: release.kind === 'skip' }, { ms });
      }
      case 'set': {
        const set: Record<string, unknown> = {};
        for (const [name, tpl] of Object.entries(step.vars)) {
          set[name] = this.render(step, `vars.${name}`, tpl, frame);
          frame.vars[name] = set[name];
        }
        return ok(set);
      }
      case 'end': {
        const outcome = String(this.render(step, 'outcome', step.outcome, frame));
        const reason = step.reason === undefined ? null : String(this.render(step, 'reason', step.reason, frame));
        return ok({ outcome, reason });
      }
      default:
        return assertNever(step);
    }
  }

  private async inner(steps: Step[], frame: Frame, key: string): Promise<void> {
    const child: Frame = { ...frame, parentKey: key };
    await this.block(steps, child);
    frame.vars = child.vars;
  }

  private async subPlaybook(step: Extract<Step, { type: 'playbook' }>, frame: Frame, key: string): Promise<StepResult> {
    const callee = this.def.subs[step.playbook];
    if (!callee) throw new StepFailure(step.id, `playbook "${step.playbook}" is not in the library`);
    if (frame.depth >= MAX_SUB_DEPTH) throw new StepFailure(step.id, `sub-playbooks nest deeper than ${MAX_SUB_DEPTH}`);
    const given = this.render(step, 'with', step.with, frame) as Record<string, unknown>;
    const inputs = bindInputs(callee, given, step.id);
    const child: Frame = {
      playbook: callee,
      prefix: `${key}/`,
      suffix: '',
      vars: { ...clone(callee.variables) },
      inputs,
      locals: {},
      parentKey: key,
      depth: frame.depth + 1,
    };
    let outcome: string | null = null;
    try {
      await this.block(callee.steps, child);
    } catch (err) {
      if (!(err instanceof EndSignal)) throw err;
      outcome = err.outcome;
    }
    const outputs = renderValue(callee.outputs, this.scope(child)) as Record<string, unknown>;
    return { status: 'done', output: { playbook: callee.id, outcome, outputs }, simulated: false, risk: null, input: inputs };
  }

  private async manual(step: Extract<Step, { type: 'manual' }>, frame: Frame, key: string): Promise<StepResult> {
    const title = String(this.render(step, 'title', step.title, frame));
    const defaults = Object.fromEntries(Object.entries(step.form).filter(([, f]) => f.default !== undefined).map(([k, f]) => [k, f.default]));
    if (this.playbook.autonomy === 'shadow') {
      return { status: 'simulated', output: { ...defaults, simulated: true }, simulated: true, risk: null, input: { title } };
    }
    const release = await this.waitFor(step, frame, key, {
      kind: 'manual',
      deadlineMs: step.due === undefined ? null : durationMs(step.due),
      prompt: title,
      form: step.form,
      assignee: step.assignee ?? null,
    });
    if (release.kind === 'submit') return { status: 'done', output: { ...release.values, submittedBy: release.by }, simulated: false, risk: null, input: { title } };
    // timed out
    if (step.onTimeout === 'defaults') return { status: 'done', output: { ...defaults, timedOut: true }, simulated: false, risk: null, input: { title } };
    if (step.onTimeout === 'escalate') await this.escalate(step.id, key, `Manual step "${title}" was not done in time`, step.assignee ?? null);
    throw new StepFailure(step.id, `manual step "${step.id}" was not done before its due time`, 'timed-out');
  }

  private async approval(step: Extract<Step, { type: 'approval' }>, frame: Frame, key: string): Promise<StepResult> {
    const prompt = String(this.render(step, 'prompt', step.prompt, frame));
    if (this.playbook.autonomy === 'shadow') {
      return { status: 'simulated', output: { approved: true, simulated: true }, simulated: true, risk: null, input: { prompt } };
    }
    const timeout = durationMs(step.timeout ?? this.playbook.approvalTimeout);
    const release = await this.waitFor(step, frame, key, { kind: 'approval', deadlineMs: timeout, prompt, assignee: step.approvers ?? null });
    if (release.kind === 'approve') return { status: 'done', output: { approved: true, by: release.by, comment: release.comment }, simulated: false, risk: null, input: { prompt } };
    if (release.kind === 'reject') throw new StepFailure(step.id, `approval "${step.id}" was refused by ${release.by}${release.comment ? `: ${release.comment}` : ''}`);
    if (step.onTimeout === 'approve') return { status: 'done', output: { approved: true, by: 'timeout', comment: null }, simulated: false, risk: null, input: { prompt } };
    if (step.onTimeout === 'escalate') {
      await this.escalate(step.id, key, `Approval needed: ${prompt}`, step.approvers ?? null);
      return { status: 'escalated', output: { approved: false, escalated: true }, simulated: this.dryRun, risk: null, input: { prompt } };
    }
    throw new StepFailure(step.id, `approval "${step.id}" timed out after ${describeMs(timeout)}`, 'timed-out');
  }

  /** Hands a decision to a person: a case task (simulated in a dry run). */
  async escalate(stepId: string, key: string, title: string, assignee: string | null): Promise<unknown> {
    if (this.dryRun) return { simulated: true, task: title };
    return this.host.invoke(this.actor(key), 'task.add', {
      caseId: this.caseId as never,
      title: title.slice(0, 500),
      ...(assignee ? { assignee } : {}),
    });
    void stepId;
  }

  // ── waiting ────────────────────────────────────────────────────────────────────────────────────────────────────

  private async checkpoint(step: Step, frame: Frame, key: string): Promise<Release> {
    const kind = this.pauseRequested ? 'pause' : this.breakpoints.has(step.id) ? 'breakpoint' : this.mode === 'step' ? 'step' : null;
    if (!kind) return { kind: 'step' };
    this.pauseRequested = false;
    const release = await this.waitFor(step, frame, key, { kind, deadlineMs: null, prompt: null, input: this.preview(step, frame) });
    if (release.kind === 'continue' || release.kind === 'resume') {
      if (release.kind === 'continue') this.mode = 'auto';
      return { kind: 'step' };
    }
    return release;
  }

  /** What a step would send, rendered now, for the paused view (an error shows as text: it will fail the same way). */
  private preview(step: Step, frame: Frame): unknown {
    try {
      if (step.type === 'action' || step.type === 'playbook') return renderValue(step.with, this.scope(frame));
      if (step.type === 'set') return renderValue(step.vars, this.scope(frame));
      return null;
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }

  async waitFor(
    step: Step,
    frame: Frame,
    key: string,
    w: { kind: RunWait['kind']; deadlineMs: number | null; prompt: string | null; form?: RunWait['form']; assignee?: string | null; risk?: RiskAssessment | null; input?: unknown },
  ): Promise<Release> {
    const row = this.runs.row(this.runId);
    const stored = row?.wait ? (JSON.parse(row.wait) as RunWait) : null;
    const nowMs = this.host.clockMs();
    // A wait that survived a restart keeps its deadline: a one-hour approval does not start again from zero.
    const deadline = stored && stored.key === key && stored.kind === w.kind ? stored.deadline : w.deadlineMs === null ? null : new Date(nowMs + w.deadlineMs).toISOString();
    const wait: RunWait = {
      kind: w.kind,
      key,
      stepId: step.id,
      since: stored && stored.key === key && stored.kind === w.kind ? stored.since : new Date(nowMs).toISOString(),
      deadline,
      prompt: w.prompt,
      risk: w.risk ?? null,
      form: w.form ?? null,
      assignee: w.assignee ?? null,
      input: w.input ?? null,
    };
    const status: RunStatus = w.kind === 'step' || w.kind === 'breakpoint' || w.kind === 'pause' ? 'paused' : 'waiting';
    this.flush(() => {
      this.runs.updateRun(this.runId, { status, wait: JSON.stringify(wait), vars: JSON.stringify(frame.vars), updated_at: this.host.now() });
      if (!stored || stored.key !== key || stored.kind !== w.kind) {
        this.host.journal(this.caseId, this.actor(key), 'playbook.run.waiting', { runId: this.runId, key, kind: w.kind, deadline, prompt: w.prompt, risk: w.risk ?? null });
      }
    }, status, w.kind);
    const release = await this.waiter.until(wait, nowMs, this.abort.signal);
    this.host.write(() => this.runs.updateRun(this.runId, { status: 'running', wait: null, updated_at: this.host.now() }));
    this.host.emitRun(this.runId, this.caseId, 'running');
    return release;
  }

  requestPause(): void {
    this.pauseRequested = true;
  }

  /** Variables changed while paused: apply now to the frame at the pause (the newest frame is the one waiting). */
  editVars(vars: Record<string, unknown>): void {
    this.pendingVars = { ...(this.pendingVars ?? {}), ...vars };
  }

  // ── records ────────────────────────────────────────────────────────────────────────────────────────────────────

  commit(step: Step, frame: Frame, key: string, attempt: number, r: StepResult, error: string | null, startedAt: string): void {
    if (this.pendingVars) {
      frame.vars = { ...frame.vars, ...this.pendingVars };
      this.pendingVars = null;
    }
    const finishedAt = this.host.now();
    const varsJson = JSON.stringify(frame.vars);
    const seq = ++this.seq;
    this.latestVarsJson = varsJson;
    this.latestKey = key;
    this.pending.push(() => {
      this.runs.insertStep(this.runId, seq, {
        key,
        parent: frame.parentKey,
        stepId: step.id,
        type: step.type,
        attempt,
        status: r.status,
        simulated: r.simulated,
        input: r.input,
        output: r.output ?? null,
        error,
        risk: r.risk,
        startedAt,
        finishedAt,
        varsJson,
      });
      this.host.journal(this.caseId, this.actor(key), 'playbook.step', {
        runId: this.runId,
        key,
        step: step.id,
        type: step.type,
        ...(step.type === 'action' ? { action: step.action } : {}),
        attempt,
        status: r.status,
        simulated: r.simulated,
        input: r.input,
        output: r.output ?? null,
        error,
        risk: r.risk ? { risk: r.risk.risk, gated: r.risk.gated, target: r.risk.target } : null,
      });
    });
    this.setOutput(step.id, { output: r.output ?? null, status: r.status });
    // Steps that only compute (set, if, loops, end) are committed with the next step that acts or waits, or at the
    // end of the run: a crash loses at most a few of them, and the resumed run computes them again, the same way,
    // from the committed variables. Anything that acted or waited is committed before the run goes on.
    if (!LAZY.has(step.type) || r.status !== 'done' || this.pending.length >= MAX_PENDING) this.flush();
  }

  /** Commits the buffered step records (and their journal entries) with `also`, in one transaction. */
  flush(also?: () => void, status: RunStatus = 'running', waitKind?: RunWait['kind']): void {
    if (!this.pending.length && !also) return;
    const writes = this.pending;
    this.pending = [];
    this.host.write(() => {
      for (const w of writes) w();
      if (writes.length && this.latestVarsJson) this.runs.updateRun(this.runId, { vars: this.latestVarsJson, updated_at: this.host.now() });
      also?.();
    });
    if (writes.length || also) this.host.emitRun(this.runId, this.caseId, status, writes.length ? (this.latestKey ?? undefined) : undefined, waitKind);
  }

  // ── expressions ────────────────────────────────────────────────────────────────────────────────────────────────

  evaluate(step: Step, field: string, source: string, frame: Frame): unknown {
    try {
      return evaluateExpression(source, this.scope(frame));
    } catch (err) {
      throw new StepFailure(step.id, `${field} of "${step.id}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  render(step: Step, field: string, value: unknown, frame: Frame, extra: Record<string, unknown> = {}): unknown {
    try {
      return renderValue(value, this.scope(frame, extra));
    } catch (err) {
      throw new StepFailure(step.id, `${field} of "${step.id}": ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async loadAlert(): Promise<void> {
    if (this.alertDoc !== undefined) return;
    this.alertDoc = null;
    if (!this.options.alertId) return;
    try {
      const event = await this.host.invoke(this.actor(), 'event.get', { caseId: this.caseId as never, eventId: this.options.alertId as never });
      this.alertDoc = { id: event.id, ...(event.doc as Record<string, unknown>) };
    } catch {
      this.alertDoc = null;
    }
  }

  /** How sure we are the triggering alert is real: its feed rating, else its validation, else unknown. */
  async confidence(): Promise<number | null> {
    if (this.confidenceCache !== undefined) return this.confidenceCache;
    this.confidenceCache = null;
    if (!this.options.alertId) return null;
    try {
      const a = await this.host.invoke(this.actor(), 'intel.assessment.get', { caseId: this.caseId as never, eventId: this.options.alertId as never });
      if (a.rating && a.rating.feedCount > 0) this.confidenceCache = a.rating.confirmations / a.rating.feedCount;
      else if (a.validation) this.confidenceCache = a.validation.status === 'qualified' ? 0.75 : 0.1;
    } catch {
      this.confidenceCache = null;
    }
    return this.confidenceCache;
  }

  /** A step's recorded real outcome, for dry runs of steps that declare none. */
  recordedOutput(stepId: string): unknown {
    return this.runs.recordedOutput(this.playbook.id, stepId);
  }

  /** The timeout of an action step (or Quell's own maximum). */
  timeoutOf(step: Step): number {
    return step.timeout === undefined ? DEFAULT_ACTION_TIMEOUT_MS : durationMs(step.timeout);
  }
}

export function bindInputs(pb: Playbook, given: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(pb.inputs)) {
    const v = given[name] ?? spec.default;
    if (v === undefined || v === null) {
      if (spec.required) throw new StepFailure(where, `playbook "${pb.id}" needs input "${name}"`);
      out[name] = null;
      continue;
    }
    const type = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
    if (spec.type !== 'any' && type !== spec.type) {
      throw new StepFailure(where, `input "${name}" of playbook "${pb.id}" must be ${spec.type === 'object' || spec.type === 'array' ? 'an' : 'a'} ${spec.type}, not ${type}`);
    }
    out[name] = v;
  }
  for (const name of Object.keys(given)) if (!(name in pb.inputs)) throw new StepFailure(where, `playbook "${pb.id}" has no input "${name}"`);
  return out;
}

export { blocksOf };
