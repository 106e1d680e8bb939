import path from 'node:path';
import { QuellError } from '../../api/errors.js';
import { findContentDir } from '../../content-dir.js';
import { Playbook, type PlaybookSource } from '../../model/playbook.js';
import { ConditionError, stixToQuell } from './condition.js';
import { KeyPool, slug } from './ids.js';
import { QUELL_EXTENSION, type QuellPlaybookExtension } from './quell-extension.js';
import { stepLabel } from './semantics.js';
import type { CacaoIssue, CacaoPlaybook, CacaoStep, CacaoVariable, Json, JsonObject, MappingNote } from './types.js';
import { isObject } from './types.js';
import { validateCacao } from './validate.js';

export interface ImportOptions {
  /** CACAO playbook id → Quell playbook id, for playbook-action steps. */
  playbookIds?: Record<string, string>;
  /** Where the OASIS schemas are; default `<content>/cacao/schemas`. */
  schemasDir?: string;
}

type QStep = Record<string, unknown> & { id: string; type: string };

/** The OASIS schemas Quell ships. */
export function defaultSchemasDir(): string {
  const content = findContentDir();
  if (!content) throw new QuellError('unavailable', 'the content folder (with cacao/schemas) was not found');
  return path.join(content, 'cacao', 'schemas');
}

const QUELL_PLAYBOOK_FIELDS = ['id', 'version', 'autonomy', 'riskThreshold', 'approvalTimeout', 'inputs', 'variables', 'outputs'];
/** Top-level fields the importer maps; everything else is kept verbatim. */
const MAPPED_TOP = new Set(['type', 'spec_version', 'name', 'description', 'labels', 'playbook_variables', 'workflow', 'workflow_start', 'workflow_exception']);
/** Step fields every step type maps. */
const MAPPED_COMMON = ['type', 'name', 'description', 'on_completion', 'on_success', 'on_failure', 'timeout', 'delay'];

/** `2023-11-20T15:56:00.123456Z` → `2023-11-20T15:56:00.123Z`: CACAO wants exactly three fraction digits. */
export function millis(ts: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(ts);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}Z` : ts;
}

/**
 * CACAO v2.0 → Quell playbook. Throws QuellError('invalid_input', { issues }) when the document is not valid CACAO
 * or a condition cannot be translated. The report says what happened to every field that was not simply mapped.
 */
export function fromCacao(doc: unknown, opts: ImportOptions = {}): { playbook: PlaybookSource; report: MappingNote[] } {
  const issues = validateCacao(doc, opts.schemasDir ?? defaultSchemasDir());
  if (issues.length) throw new QuellError('invalid_input', `not a valid CACAO 2.0 playbook (${issues.length} issue${issues.length === 1 ? '' : 's'})`, { issues });
  return new Importer(doc as CacaoPlaybook, opts).run();
}

class Importer {
  private readonly report: MappingNote[] = [];
  private readonly errors: CacaoIssue[] = [];
  private readonly keys = new KeyPool();
  private readonly wf: Record<string, CacaoStep>;
  private readonly ext: QuellPlaybookExtension | undefined;
  private readonly generated: Set<string>;
  /** CACAO id → the Quell id it first became. */
  private readonly placed = new Map<string, string>();
  private readonly active = new Set<string>();
  private readonly usedEnds = new Set<string>();
  private readonly varNames = new Map<string, string>();
  private readonly side = { steps: {} as Record<string, JsonObject>, ends: {} as Record<string, JsonObject>, variables: {} as Record<string, JsonObject> };
  private readonly reached = new Set<string>();
  private quiet = false;
  /** The fields of a manual command that the title does not carry (playbook_activity …), for the step being converted. */
  private manualExtra: JsonObject | undefined;

  constructor(
    private readonly doc: CacaoPlaybook,
    private readonly opts: ImportOptions,
  ) {
    this.wf = doc.workflow;
    const ext = doc.playbook_extensions?.[QUELL_EXTENSION];
    this.ext = isObject(ext) && isObject(ext.playbook) ? (ext as unknown as QuellPlaybookExtension) : undefined;
    this.generated = new Set(this.ext?.generated ?? []);
  }

  private note(n: MappingNote): void {
    if (!this.quiet) this.report.push(n);
  }

  run(): { playbook: PlaybookSource; report: MappingNote[] } {
    const doc = this.doc;
    const pb: Record<string, unknown> = { name: doc.name };
    if (this.ext) {
      for (const k of QUELL_PLAYBOOK_FIELDS) if (this.ext.playbook[k] !== undefined) pb[k] = this.ext.playbook[k];
    } else pb.id = slug(doc.name, 'playbook');
    if (doc.description !== undefined) pb.description = doc.description;
    if (doc.labels) pb.labels = doc.labels;
    this.importVariables(pb);

    // The start step is not a Quell step; its id and fields are kept so export gives it back.
    let first: string | undefined = doc.workflow_start;
    this.reached.add(first);
    const start = this.wf[first];
    if (start?.type === 'start') {
      const kept = this.keep(start, first, ['type', 'on_completion']);
      if (Object.keys(kept).length) this.sideTop('start', kept);
      this.placed.set(first, '(start)');
      first = start.on_completion;
    } else {
      this.note({ kind: 'approximated', path: 'workflow_start', step: first, message: `workflow_start names ${stepLabel(first, start)}, not a start step: the playbook begins there, and an export adds a start step` });
    }
    const steps = this.chain(first, 'main', new Set());
    this.applyException(steps);
    for (const [id, step] of Object.entries(this.wf)) {
      if (this.reached.has(id) || id === doc.workflow_exception) continue;
      this.note({ kind: 'dropped', path: `workflow/${id}`, step: id, message: `${stepLabel(id, step)} is not reachable from workflow_start: not imported` });
    }
    if (this.errors.length) throw new QuellError('invalid_input', `the CACAO playbook cannot be converted (${this.errors.length} issue${this.errors.length === 1 ? '' : 's'})`, { issues: this.errors });
    if (!steps.length) throw new QuellError('invalid_input', 'the CACAO playbook has no step to run', { issues: [{ path: 'workflow_start', message: 'the workflow has no action, condition or playbook-action step' }] });
    pb.steps = steps;

    const cacao = this.keptTop();
    if (Object.keys(this.side.steps).length) cacao.steps = this.side.steps;
    if (Object.keys(this.side.ends).length) cacao.ends = this.side.ends;
    if (Object.keys(this.side.variables).length) cacao.variables = this.side.variables;
    if (Object.keys(cacao).length) pb.cacao = cacao;

    const parsed = Playbook.safeParse(pb);
    if (!parsed.success) {
      throw new QuellError('bug', 'the converted playbook breaks the Quell playbook schema', {
        issues: parsed.error.issues.map((i) => ({ path: ['playbook', ...i.path.map(String)].join('.'), message: i.message })),
      });
    }
    return { playbook: pb as PlaybookSource, report: this.report };
  }

  // ── playbook level ────────────────────────────────────────────────────────────────────────────────────────────

  private topKept: JsonObject = {};
  private sideTop(key: string, value: Json): void {
    this.topKept[key] = value;
  }

  /** Top-level fields Quell does not use, verbatim, minus what a Quell export made up. */
  private keptTop(): JsonObject {
    const kept: JsonObject = {};
    for (const [k, v] of Object.entries(this.doc)) {
      if (MAPPED_TOP.has(k) || v === undefined || this.generated.has(`/${k}`)) continue;
      let value = v as Json;
      if (k === 'extension_definitions' || k === 'playbook_extensions' || k === 'agent_definitions') {
        const rest = Object.fromEntries(Object.entries(v as JsonObject).filter(([key]) => key !== QUELL_EXTENSION && !this.generated.has(`/${k}/${key}`)));
        if (!Object.keys(rest).length) continue;
        value = rest;
      }
      if ((k === 'created' || k === 'modified') && typeof v === 'string' && millis(v) !== v) {
        value = millis(v);
        this.note({ kind: 'approximated', path: k, message: `${k} ${JSON.stringify(v)} has ${v.split('.')[1]!.length - 1} fraction digits; CACAO wants exactly 3: kept as ${JSON.stringify(value)}` });
      }
      kept[k] = value;
      if (k !== 'id') this.note({ kind: 'kept', path: k, message: `${k}: kept, not used` });
    }
    this.note({ kind: 'kept', path: 'id', message: `id ${JSON.stringify(this.doc.id)}: kept for export` });
    return { ...(Object.keys(kept).length ? { playbook: kept } : {}), ...this.topKept };
  }

  private quellVar(cacaoName: string): string {
    let name = this.varNames.get(cacaoName);
    if (name) return name;
    const bare = cacaoName.replace(/^__|__$/g, '');
    let wanted = bare.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(wanted)) wanted = `v_${wanted}`;
    name = wanted;
    for (let n = 2; [...this.varNames.values()].includes(name); n++) name = `${wanted}_${n}`;
    this.varNames.set(cacaoName, name);
    if (name !== bare) {
      this.note({ kind: 'approximated', path: `playbook_variables/${cacaoName}`, message: `variable ${cacaoName} is vars.${name} in Quell (${/[^A-Za-z0-9_]/.test(bare) ? 'its name is not an identifier' : 'renamed'})` });
    }
    return name;
  }

  private importVariables(pb: Record<string, unknown>): void {
    const vars: Record<string, unknown> = {};
    const inputs: Record<string, unknown> = {};
    for (const [cacaoName, v] of Object.entries(this.doc.playbook_variables ?? {})) {
      const name = this.quellVar(cacaoName);
      const meta: JsonObject = {};
      for (const [k, val] of Object.entries(v as CacaoVariable)) {
        if (k !== 'value' && val !== undefined && !this.generated.has(`/playbook_variables/${cacaoName}/${k}`)) meta[k] = val as Json;
      }
      if (cacaoName !== `__${name}__`) meta.name = cacaoName;
      if (Object.keys(meta).length) this.side.variables[name] = meta;
      if (v.external) {
        inputs[name] = { type: 'string', ...(v.description ? { description: v.description } : {}), ...(typeof v.value === 'string' ? { default: v.value } : {}) };
        this.note({ kind: 'approximated', path: `playbook_variables/${cacaoName}`, message: `external variable ${cacaoName} is the input "${name}"` });
      } else vars[name] = v.value ?? null;
    }
    if (!this.ext) {
      if (Object.keys(vars).length) pb.variables = vars;
      if (Object.keys(inputs).length) pb.inputs = inputs;
    }
  }

  // ── steps ─────────────────────────────────────────────────────────────────────────────────────────────────────

  /** Fields of a CACAO object other than `mapped`, verbatim, minus the Quell extension and made-up values. */
  private keep(step: CacaoStep, id: string, mapped: string[]): JsonObject {
    const kept: JsonObject = {};
    if (!this.generated.has(`/workflow/${id}`)) kept.id = id;
    for (const [k, v] of Object.entries(step)) {
      if (mapped.includes(k) || v === undefined || this.generated.has(`/workflow/${id}/${k}`)) continue;
      if (k === 'step_extensions') {
        const rest = Object.fromEntries(Object.entries(v as JsonObject).filter(([key]) => key !== QUELL_EXTENSION));
        if (Object.keys(rest).length) kept[k] = rest;
        continue;
      }
      kept[k] = v as Json;
    }
    return kept;
  }

  /** Follows on_completion/on_success from `id` until an end (or a step in `stop`), converting each step. */
  private chain(id: string | undefined, where: string, stop: Set<string>): QStep[] {
    const out: QStep[] = [];
    let cur = id;
    while (cur !== undefined && !stop.has(cur)) {
      const step = this.wf[cur]!;
      this.reached.add(cur);
      if (step.type === 'end') {
        const quellEnd = this.quellStep(step);
        if (quellEnd) out.push(...this.convert(cur, step, where));
        else this.closeBranch(cur, step, where);
        return out;
      }
      if (this.active.has(cur)) {
        this.note({ kind: 'approximated', path: `workflow/${cur}`, step: cur, message: `the branch ${where} leads back to ${stepLabel(cur, step)}: the Quell while repeats its body instead` });
        return out;
      }
      out.push(...this.convert(cur, step, where));
      cur = step.on_completion ?? step.on_success;
    }
    return out;
  }

  private closeBranch(id: string, step: CacaoStep, where: string): void {
    if (this.usedEnds.has(id)) {
      this.note({ kind: 'approximated', path: `workflow/${id}`, step: id, message: `${stepLabel(id, step)} closes more than one branch: an export gives the branch ${where} its own end` });
      return;
    }
    this.usedEnds.add(id);
    const kept = this.keep(step, id, ['type']);
    if (Object.keys(kept).length) this.side.ends[where] = kept;
  }

  private quellStep(step: CacaoStep): QStep | undefined {
    const e = step.step_extensions?.[QUELL_EXTENSION];
    return isObject(e) && isObject(e.step) ? (structuredClone(e.step) as QStep) : undefined;
  }

  private convert(cid: string, step: CacaoStep, where: string): QStep[] {
    const fromQuell = this.quellStep(step);
    const first = this.placed.get(cid);
    const wanted = fromQuell?.id ?? slug(step.name ?? step.type, 'step');
    const qid = this.keys.take(first ? `${first}` : wanted);
    const at = `workflow/${cid}`;
    if (first) this.note({ kind: 'approximated', path: at, step: cid, quellStep: qid, message: `${stepLabel(cid, step)} is reached from more than one path: duplicated as "${qid}"` });
    else this.placed.set(cid, qid);
    this.active.add(cid);
    const mapped = [...MAPPED_COMMON];
    const q: QStep = fromQuell ?? ({ id: qid, type: '' } as QStep);
    q.id = qid;
    delete q.name;
    delete q.description;
    if (step.name !== undefined) q.name = step.name;
    if (step.description !== undefined) q.description = step.description;
    if (!fromQuell && step.timeout !== undefined) q.timeout = step.timeout;
    const before: QStep[] = [];
    const after: QStep[] = [];
    const label = stepLabel(cid, step);

    switch (step.type) {
      case 'action':
        mapped.push('commands');
        if (!fromQuell) this.action(cid, step, q, after);
        else if (fromQuell.type === 'manual' || fromQuell.type === 'approval') this.manualExtra = manualExtra(step.commands![0]!);
        break;
      case 'playbook-action': {
        mapped.push('playbook_id');
        if (fromQuell) break;
        const mappedId = this.opts.playbookIds?.[step.playbook_id!];
        q.type = 'playbook';
        q.playbook = mappedId ?? slug(step.playbook_id!.replace(/^playbook--/, ''), 'playbook');
        if (!mappedId) this.note({ kind: 'approximated', path: `${at}/playbook_id`, step: cid, quellStep: qid, message: `${label}: playbook_id ${step.playbook_id} is not in playbookIds: runs the Quell playbook "${String(q.playbook)}"` });
        this.args(step, q, 'with');
        break;
      }
      case 'if-condition':
        mapped.push('condition', 'on_true', 'on_false');
        if (!fromQuell) q.type = 'if';
        if (!fromQuell) q.condition = this.condition(cid, step, step.condition!);
        q.then = this.nonEmpty(this.chain(step.on_true, `${qid}/then`, new Set()), qid, 'then');
        if (step.on_false !== undefined) q.else = this.chain(step.on_false, `${qid}/else`, new Set());
        break;
      case 'while-condition':
        mapped.push('condition', 'on_true');
        if (!fromQuell) {
          q.type = 'while';
          q.condition = this.condition(cid, step, step.condition!);
          q.max = 1000;
          this.note({ kind: 'approximated', path: at, step: cid, quellStep: qid, message: `${label}: CACAO sets no bound on a while loop; Quell requires one: max 1000` });
        }
        q.do = this.nonEmpty(this.chain(step.on_true, `${qid}/do`, new Set()), qid, 'do');
        break;
      case 'switch-condition': {
        mapped.push('switch', 'cases');
        if (!fromQuell) {
          q.type = 'switch';
          const m = /^\s*(__[A-Za-z0-9_.-]+?__)(:value)?\s*$/.exec(step.switch!);
          if (m) q.value = `vars.${this.quellVar(m[1]!)}`;
          else this.errors.push({ path: `${at}/switch`, step: cid, message: `${label}: switch ${JSON.stringify(step.switch)} is not a variable (__name__ or __name__:value)` });
        }
        const cases: Record<string, QStep[]> = {};
        for (const [k, target] of Object.entries(step.cases!)) {
          const block = this.nonEmpty(this.chain(target, `${qid}/cases/${k}`, new Set()), qid, k);
          if (k === 'default') q.default = block;
          else cases[k] = block;
        }
        q.cases = cases;
        break;
      }
      case 'parallel':
        mapped.push('next_steps');
        if (!fromQuell) q.type = 'parallel';
        q.branches = step.next_steps!.map((t, i) => this.nonEmpty(this.chain(t, `${qid}/branches/${i}`, new Set()), qid, `branch-${i + 1}`));
        break;
      case 'end':
        break;
      default:
        // A second start step in the middle of a chain: nothing to run.
        this.active.delete(cid);
        return [];
    }

    if (step.delay !== undefined && !fromQuell) {
      const wait = { id: this.keys.take(`${qid}-delay`), type: 'wait', duration: step.delay } as QStep;
      before.push(wait);
      this.note({ kind: 'approximated', path: `${at}/delay`, step: cid, quellStep: wait.id, message: `${label}: delay ${step.delay} ms is the wait step "${wait.id}" before it` });
    }
    if (step.on_failure !== undefined) {
      const next = step.on_success;
      if (next !== undefined && step.on_failure === next) q.onFailure = 'continue';
      else {
        const stop = this.mainline(next);
        q.onFailure = this.chain(step.on_failure, `${qid}/onFailure`, stop);
        if (stop.has(step.on_failure) || this.rejoins(step.on_failure, stop)) {
          this.note({ kind: 'approximated', path: `${at}/on_failure`, step: cid, quellStep: qid, message: `${label}: the on_failure path rejoins the main path; Quell runs it as the step's onFailure block` });
        }
      }
    }

    const kept = this.keep(step, cid, mapped);
    if (first) delete kept.id;
    for (const k of Object.keys(kept)) {
      if (k === 'id') continue;
      const also = k === 'in_args' || k === 'out_args' || k === 'step_variables' ? ' (also mapped to with/save)' : ', not used';
      this.note({ kind: 'kept', path: `${at}/${k}`, step: cid, quellStep: qid, message: `${label}: ${k} kept for export${also}` });
    }
    if (this.manualExtra && Object.keys(this.manualExtra).length) {
      kept.manual_command = this.manualExtra;
      this.note({ kind: 'kept', path: `${at}/commands/0`, step: cid, quellStep: qid, message: `${label}: ${Object.keys(this.manualExtra).join(', ')} of the manual command kept, not used` });
    }
    this.manualExtra = undefined;
    if (Object.keys(kept).length) this.side.steps[qid] = kept;
    this.note({ kind: 'step', path: at, step: cid, quellStep: qid, message: `${label} → ${q.type} step "${qid}"` });
    this.active.delete(cid);
    return [...before, q, ...after];
  }

  private nonEmpty(block: QStep[], qid: string, name: string): QStep[] {
    if (block.length) return block;
    const id = this.keys.take(`${qid}-${slug(name, 'branch')}-empty`);
    this.note({ kind: 'approximated', path: qid, quellStep: id, message: `the ${name} branch of "${qid}" goes straight to its end; Quell needs a step there: the no-op set step "${id}"` });
    return [{ id, type: 'set', vars: {} }];
  }

  /** The steps reached from `id` along on_completion/on_success: where an on_failure path rejoins. */
  private mainline(id: string | undefined): Set<string> {
    const seen = new Set<string>();
    for (let cur = id; cur !== undefined && !seen.has(cur); cur = this.wf[cur]?.on_completion ?? this.wf[cur]?.on_success) {
      if (this.wf[cur]?.type === 'end') break;
      seen.add(cur);
    }
    return seen;
  }

  private rejoins(id: string, stop: Set<string>): boolean {
    const seen = new Set<string>();
    for (let cur: string | undefined = id; cur !== undefined && !seen.has(cur); cur = this.wf[cur]?.on_completion ?? this.wf[cur]?.on_success) {
      if (stop.has(cur)) return true;
      seen.add(cur);
    }
    return false;
  }

  private condition(cid: string, step: CacaoStep, text: string): string {
    try {
      return stixToQuell(text, (n) => this.quellVar(n));
    } catch (e) {
      if (!(e instanceof ConditionError)) throw e;
      this.errors.push({ path: `workflow/${cid}/condition`, step: cid, message: `${stepLabel(cid, step)}: condition ${JSON.stringify(text)} cannot be translated: ${e.message}` });
      return 'false';
    }
  }

  /** in_args → `with` entries, out_args → `save` entries (both also kept verbatim for export). */
  private args(step: CacaoStep, q: QStep, into: 'with' | 'with.args'): void {
    const ins = Object.fromEntries((step.in_args ?? []).map((n) => [this.quellVar(n), `{{ vars.${this.quellVar(n)} }}`]));
    const w = (q.with ?? {}) as Record<string, unknown>;
    if (Object.keys(ins).length) {
      if (into === 'with') Object.assign(w, ins);
      else w.args = ins;
    }
    q.with = w;
    if (step.out_args?.length) q.save = Object.fromEntries(step.out_args.map((n) => [this.quellVar(n), `{{ output.${this.quellVar(n)} }}`]));
  }

  private action(cid: string, step: CacaoStep, q: QStep, after: QStep[]): void {
    const label = stepLabel(cid, step);
    const commands = step.commands!;
    commands.forEach((command, i) => {
      const target = i === 0 ? q : ({ id: this.keys.take(`${q.id}-cmd-${i + 1}`), type: '' } as QStep);
      this.command(cid, step, command, target, i);
      if (i > 0) {
        after.push(target);
        this.note({ kind: 'approximated', path: `workflow/${cid}/commands/${i}`, step: cid, quellStep: target.id, message: `${label}: command ${i + 1} of ${commands.length} is the step "${target.id}" after it` });
      }
    });
  }

  private command(cid: string, step: CacaoStep, command: JsonObject, q: QStep, i: number): void {
    const label = stepLabel(cid, step);
    const type = String(command.type);
    const at = `workflow/${cid}/commands/${i}`;
    const text = typeof command.command === 'string' ? command.command : typeof command.command_b64 === 'string' ? Buffer.from(command.command_b64, 'base64').toString('utf8') : undefined;
    if (type === 'manual') {
      q.type = 'manual';
      // `__name__:value` in the text a person reads becomes a Quell template, so the form shows the value.
      q.title = (text ?? step.name ?? 'Manual step').replace(/__([A-Za-z_][A-Za-z0-9_.-]{0,199})__:value/g, (_m, n: string) => `{{ vars.${this.quellVar(`__${n}__`)} }}`).slice(0, 500);
      const form: Record<string, unknown> = { done: { type: 'boolean', label: 'Done' }, notes: { type: 'text', label: 'Notes' } };
      for (const n of step.out_args ?? []) {
        const v = step.step_variables?.[n];
        form[this.quellVar(n)] = { type: 'string', ...(v?.description ? { label: v.description.slice(0, 200) } : {}) };
      }
      q.form = form;
      if (step.out_args?.length) q.save = Object.fromEntries(step.out_args.map((n) => [this.quellVar(n), `{{ output.${this.quellVar(n)} }}`]));
      if (i === 0) this.manualExtra = manualExtra(command);
      return;
    }
    q.type = 'action';
    q.action = `cacao.${type}`;
    const w: Record<string, unknown> = Object.fromEntries(Object.entries(command).filter(([k]) => k !== 'type'));
    if (step.step_variables) w.variables = Object.fromEntries(Object.entries(step.step_variables).map(([n, v]) => [this.quellVar(n), v.value ?? null]));
    q.with = w;
    if (i === 0) this.args(step, q, 'with.args');
    if (type !== 'http-api') {
      this.note({ kind: 'dry-run-only', path: at, step: cid, quellStep: q.id, message: `${label}: a ${type} command is the action "cacao.${type}", which Quell cannot execute for real: it can only be dry-run` });
    }
  }

  /** workflow_exception: the handler of every step that has no on_failure of its own. */
  private applyException(steps: QStep[]): void {
    const exc = this.doc.workflow_exception;
    if (exc === undefined) return;
    const target = this.wf[exc]!;
    if (target.type === 'end') {
      this.note({ kind: 'approximated', path: 'workflow_exception', step: exc, message: `workflow_exception names the end ${stepLabel(exc, target)}: a failure ends the run, which is what Quell does by default` });
      this.usedEnds.add(exc);
      return;
    }
    const lacking: QStep[] = [];
    const walk = (block: QStep[]) => {
      for (const s of block) {
        if (s.onFailure === undefined && s.type !== 'end') lacking.push(s);
        for (const k of ['then', 'else', 'do', 'default']) if (Array.isArray(s[k])) walk(s[k] as QStep[]);
        if (isObject(s.cases)) for (const b of Object.values(s.cases)) walk(b as QStep[]);
        if (Array.isArray(s.branches)) for (const b of s.branches) walk(b as QStep[]);
        if (Array.isArray(s.onFailure)) walk(s.onFailure as QStep[]);
      }
    };
    walk(steps);
    lacking.forEach((s, n) => {
      this.quiet = n > 0;
      s.onFailure = this.chain(exc, `${s.id}/onFailure`, new Set());
    });
    this.quiet = false;
    this.note({ kind: 'approximated', path: 'workflow_exception', step: exc, message: `workflow_exception ${stepLabel(exc, target)} is the onFailure block of the ${lacking.length} step${lacking.length === 1 ? '' : 's'} without on_failure` });
  }
}

/** A manual command's fields other than its text (which is the step's title). */
function manualExtra(command: JsonObject): JsonObject {
  const textField = typeof command.command === 'string' ? 'command' : 'command_b64';
  return Object.fromEntries(Object.entries(command).filter(([k]) => k !== 'type' && k !== textField));
}
