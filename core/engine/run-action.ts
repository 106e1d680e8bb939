// One action step: render its input, check it, weigh its risk, wait for an approval when the risk asks for one,
// then act — or, in a dry run, pretend with a declared or recorded outcome and never call anything outside.
import type { ActionStep, Impact, RiskAssessment } from '../model/index.js';
import { QuellError } from '../api/index.js';
import { builtinAction, isForeignCommand, parseConnectorAction, type ActionHost, type BuiltinAction, type Effect } from './builtins.js';
import type { Frame, RunDriver, StepResult } from './driver.js';
import { describeMs, durationMs } from './duration.js';
import { assessRisk } from './risk.js';
import { StepFailure } from './signals.js';

type Resolved =
  | { kind: 'builtin'; def: BuiltinAction; impact: Impact; effect: Effect }
  | { kind: 'connector'; connector: string; action: string; impact: Impact; effect: Effect; missing?: string }
  | { kind: 'foreign'; impact: Impact; effect: Effect };

export async function executeAction(d: RunDriver, step: ActionStep, frame: Frame, key: string, attempt: number): Promise<StepResult> {
  const rendered = d.render(step, 'with', step.with, frame);
  const spec = await resolve(d, step);
  const impact = step.impact ?? spec.impact;
  let input: unknown = rendered;
  if (spec.kind === 'builtin') {
    const parsed = spec.def.input.safeParse(rendered);
    if (!parsed.success) {
      const first = parsed.error.issues[0]!;
      throw new StepFailure(step.id, `with.${first.path.join('.') || '(all)'} of "${step.id}" (${step.action}): ${first.message}`);
    }
    input = parsed.data;
  }

  let risk: RiskAssessment | null = null;
  let approvedBy: string | null = null;
  if (spec.effect !== 'none') {
    const target = step.target !== undefined ? stringOrNull(d.render(step, 'target', step.target, frame)) : spec.kind === 'builtin' ? (spec.def.target?.(input) ?? null) : null;
    const autonomy = d.playbook.autonomy;
    risk = assessRisk({
      impact,
      target,
      blast: target ? await blastRadius(d, key, target) : null,
      confidence: await d.confidence(),
      threshold: d.playbook.riskThreshold,
      gateWhen: autonomy === 'suggest' ? 'always' : autonomy === 'auto-with-approvals' ? 'above-threshold' : 'never',
    });
    if (risk.gated && attempt === 1) {
      const timeout = durationMs(step.gate?.timeout ?? d.playbook.approvalTimeout);
      const release = await d.waitFor(step, frame, key, {
        kind: 'approval',
        deadlineMs: timeout,
        prompt: `Approve ${step.name ?? step.action}${risk.target ? ` on ${risk.target}` : ''}${d.dryRun ? ' (dry run: simulated)' : ''}? ${risk.explanation}`,
        risk,
        input,
      });
      if (release.kind === 'approve') approvedBy = release.by;
      else {
        const why = release.kind === 'reject' ? `refused by ${release.by}${release.comment ? ` (${release.comment})` : ''}` : `no approval within ${describeMs(timeout)}`;
        return fallback(d, step, frame, key, why, risk, input);
      }
    }
  }

  if (d.dryRun && spec.effect !== 'none') {
    return { status: 'simulated', output: simulatedOutput(d, step, frame, spec, input), simulated: true, risk, input };
  }
  if (spec.kind === 'foreign') {
    throw new StepFailure(step.id, `"${step.id}" is a CACAO ${step.action.slice('cacao.'.length)} command, which Quell does not run itself; run the playbook as a dry run`);
  }
  const output = await withTimeout(d, step, (signal) => perform(d, spec, input, key, signal));
  return { status: 'done', output: approvedBy ? { ...asObject(output), approvedBy } : output, simulated: false, risk, input };
}

/** A refused or timed-out gate: skip, fail, hand it to a person, or take the declared safer action. */
async function fallback(d: RunDriver, step: ActionStep, frame: Frame, key: string, why: string, risk: RiskAssessment, input: unknown): Promise<StepResult> {
  const fb = step.gate?.fallback ?? 'fail';
  if (fb === 'skip') return { status: 'skipped', output: { gate: why, fallback: 'skip' }, simulated: false, risk, input };
  if (fb === 'fail') throw new StepFailure(step.id, `"${step.id}" (${step.action}) did not run: ${why}`);
  if (fb === 'escalate') {
    const task = await d.escalate(step.id, key, `Decide: ${step.name ?? step.action}${risk.target ? ` on ${risk.target}` : ''} (${why})`, null);
    return { status: 'escalated', output: { gate: why, fallback: 'escalate', task }, simulated: d.dryRun, risk, input };
  }
  const safer: ActionStep = { ...step, action: fb.action, with: fb.with, simulate: undefined, gate: undefined };
  const saferSpec = await resolve(d, safer);
  let saferInput: unknown = d.render(step, 'gate.fallback.with', fb.with, frame);
  if (saferSpec.kind === 'builtin') {
    const parsed = saferSpec.def.input.safeParse(saferInput);
    if (!parsed.success) throw new StepFailure(step.id, `gate.fallback.with of "${step.id}": ${parsed.error.issues[0]!.message}`);
    saferInput = parsed.data;
  }
  if (d.dryRun && saferSpec.effect !== 'none') {
    return { status: 'simulated', output: { gate: why, fallback: fb.action, output: simulatedOutput(d, safer, frame, saferSpec, saferInput) }, simulated: true, risk, input: saferInput };
  }
  const output = await withTimeout(d, step, (signal) => perform(d, saferSpec, saferInput, `${key}:fallback`, signal));
  return { status: 'done', output: { gate: why, fallback: fb.action, output }, simulated: false, risk, input: saferInput };
}

async function perform(d: RunDriver, spec: Resolved, input: unknown, key: string, signal: AbortSignal): Promise<unknown> {
  const actor = d.actor(key);
  if (spec.kind === 'builtin') {
    const host: ActionHost = {
      caseId: d.caseId,
      runId: d.runId,
      key,
      alertId: d.options.alertId,
      signal,
      invoke: (name, i) => d.host.invoke(actor, name, i),
      notify: (target, body) => d.host.notify(target, body, `${d.runId}:${key}`, signal),
    };
    return spec.def.run(input, host);
  }
  if (spec.kind === 'connector') {
    const result = await d.host.invoke(actor, 'connector.action', {
      name: spec.connector,
      action: spec.action,
      input,
      key: `quell-run-${d.runId}-${key}`.slice(0, 200),
      caseId: d.caseId as never,
    });
    if (result.status === 'failed') {
      throw new Error(`${spec.connector} refused ${spec.action}: ${JSON.stringify(result.outcome).slice(0, 500)}`);
    }
    return { status: result.status, outcome: result.outcome, key: result.key, connector: result.connector, vendor: result.vendor, replayed: result.replayed };
  }
  throw new Error('unreachable');
}

function simulatedOutput(d: RunDriver, step: ActionStep, frame: Frame, spec: Resolved, input: unknown): unknown {
  if (step.simulate) return d.render(step, 'simulate.output', step.simulate.output, frame);
  const recorded = d.recordedOutput(step.id);
  if (recorded !== undefined) return recorded;
  if (spec.kind === 'builtin') return spec.def.simulate(input);
  if (spec.kind === 'connector') {
    return { status: 'done', simulated: true, connector: spec.connector, action: spec.action, outcome: {}, ...(spec.missing ? { note: spec.missing } : {}) };
  }
  return { simulated: true, command: step.action };
}

async function resolve(d: RunDriver, step: ActionStep): Promise<Resolved> {
  const def = builtinAction(step.action);
  if (def) return { kind: 'builtin', def, impact: def.impact, effect: def.effect };
  const c = parseConnectorAction(step.action);
  if (c) {
    try {
      return { kind: 'connector', ...c, impact: await connectorImpact(d, c.connector, c.action, step.id), effect: 'external' };
    } catch (err) {
      // A rehearsal may name a connector this Quell does not have yet: it is simulated all the same, counted as
      // high impact unless the step says otherwise. A real run fails here, naming what is missing.
      if (!d.dryRun || !(err instanceof StepFailure)) throw err;
      return { kind: 'connector', ...c, impact: step.impact ?? 'high', effect: 'external', missing: err.message };
    }
  }
  if (isForeignCommand(step.action)) return { kind: 'foreign', impact: 'medium', effect: 'external' };
  throw new StepFailure(step.id, `unknown action "${step.action}"`);
}

/** The impact a connector's vendor declares for the action; an unknown connector or action fails the step. */
async function connectorImpact(d: RunDriver, connector: string, action: string, stepId: string): Promise<Impact> {
  const { connectors } = await d.host.invoke(d.actor(), 'connector.list', {});
  const found = connectors.find((c) => c.name === connector);
  if (!found) {
    const names = connectors.map((c) => c.name).sort();
    throw new StepFailure(stepId, `no connector named "${connector}" is configured (configured: ${names.length ? names.join(', ') : 'none'})`);
  }
  const { vendors } = await d.host.invoke(d.actor(), 'connector.vendors', {});
  const manifest = vendors.find((v) => v.id === found.vendor);
  const a = manifest?.actions.find((x) => x.name === action);
  if (!a) {
    const known = manifest?.actions.map((x) => x.name).join(', ') ?? 'none';
    throw new StepFailure(stepId, `connector "${connector}" (${found.vendor}) has no action "${action}" (its actions: ${known})`);
  }
  return a.impact.risk;
}

async function blastRadius(d: RunDriver, key: string, target: string) {
  try {
    return await d.host.invoke(d.actor(key), 'deps.blastRadius', { name: target });
  } catch (err) {
    if (err instanceof QuellError && err.code === 'not_found') return null;
    throw err;
  }
}

async function withTimeout<T>(d: RunDriver, step: ActionStep, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ms = d.timeoutOf(step);
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(d.abort.signal.reason);
  d.abort.signal.addEventListener('abort', onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      fn(ctl.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ctl.abort(new Error('timeout'));
          reject(new StepFailure(step.id, `"${step.id}" timed out after ${describeMs(ms)}`, 'timed-out'));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    d.abort.signal.removeEventListener('abort', onAbort);
  }
}

const stringOrNull = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v });
