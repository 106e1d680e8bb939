import { Playbook, type Duration, type Step } from '../../model/playbook.js';
import { quellToStix } from './condition.js';
import { derivedId } from './ids.js';
import { millis } from './import.js';
import { QUELL_AGENT, QUELL_EXTENSION, QUELL_IDENTITY, RESPONDER_AGENT, quellAgents, quellExtensionDefinition } from './quell-extension.js';
import type { Json, JsonObject, MappingNote } from './types.js';
import { isObject } from './types.js';

export interface ExportOptions {
  /** The export time (ISO 8601): `created`/`modified` of a playbook that has none kept. */
  now: string;
  /** A STIX identity id for `created_by`; default Quell's own identity. */
  createdBy?: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export function durationMs(d: Duration): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(d)!;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

const CHILD_FIELDS = ['then', 'else', 'do', 'cases', 'default', 'branches'] as const;
const prefixOf = (s: Step): string => PREFIX[s.type as string] ?? 'action';
const PREFIX: Record<string, string> = {
  action: 'action',
  manual: 'action',
  approval: 'action',
  set: 'action',
  wait: 'action',
  playbook: 'playbook-action',
  if: 'if-condition',
  switch: 'switch-condition',
  parallel: 'parallel',
  while: 'while-condition',
  'for-each': 'while-condition',
  end: 'end',
};

/**
 * Quell playbook → CACAO 2.0. Ids are derived from the playbook id and the step's place (so re-exporting gives the
 * same document) unless the playbook's `cacao` field kept the original ones. Every Quell step carries itself in the
 * Quell step extension, so an import of the result gives the same playbook back.
 */
export function toCacao(source: Playbook, opts: ExportOptions): { doc: JsonObject; report: MappingNote[] } {
  return new Exporter(Playbook.parse(source), opts).run();
}

class Exporter {
  private readonly report: MappingNote[] = [];
  private readonly generated: string[] = [];
  private readonly workflow: Record<string, JsonObject> = {};
  private readonly used = new Set<string>();
  private readonly ids = new Map<string, string>();
  private readonly side: { playbook: JsonObject; start: JsonObject; steps: Record<string, JsonObject>; ends: Record<string, JsonObject>; variables: Record<string, JsonObject> };
  private readonly agentsUsed = new Set<string>();

  constructor(
    private readonly pb: Playbook,
    private readonly opts: ExportOptions,
  ) {
    const c = (pb.cacao ?? {}) as Record<string, unknown>;
    const obj = (v: unknown) => (isObject(v) ? (v as JsonObject) : {});
    this.side = { playbook: obj(c.playbook), start: obj(c.start), steps: obj(c.steps) as Record<string, JsonObject>, ends: obj(c.ends) as Record<string, JsonObject>, variables: obj(c.variables) as Record<string, JsonObject> };
  }

  /** A kept id if it is still free, else one derived from the playbook id and `path` (and listed as made up). */
  private id(kept: Json | undefined, prefix: string, path: string): string {
    if (typeof kept === 'string' && kept.startsWith(`${prefix}--`) && !this.used.has(kept)) {
      this.used.add(kept);
      return kept;
    }
    const id = derivedId(prefix, this.pb.id, path);
    this.used.add(id);
    this.generated.push(`/workflow/${id}`);
    return id;
  }

  private cacaoVar(name: string): string {
    const kept = this.side.variables[name]?.name;
    return typeof kept === 'string' ? kept : `__${name}__`;
  }

  run(): { doc: JsonObject; report: MappingNote[] } {
    const pb = this.pb;
    const top = this.side.playbook;
    const doc: JsonObject = { type: 'playbook', spec_version: 'cacao-2.0' };
    const made = (field: string, value: Json) => {
      this.generated.push(`/${field}`);
      return value;
    };
    doc.id = typeof top.id === 'string' ? top.id : made('id', derivedId('playbook', pb.id, 'playbook'));
    doc.name = pb.name;
    if (pb.description) doc.description = pb.description;
    const now = millis(new Date(this.opts.now).toISOString());
    for (const [k, v] of Object.entries(top)) if (k !== 'id') doc[k] = v;
    if (doc.created_by === undefined) doc.created_by = made('created_by', this.opts.createdBy ?? QUELL_IDENTITY);
    if (doc.created === undefined) doc.created = made('created', now);
    if (doc.modified === undefined) doc.modified = made('modified', now);
    if (pb.labels.length) doc.labels = pb.labels;
    const variables = this.variables();
    if (Object.keys(variables).length) doc.playbook_variables = variables;

    // Every step id is known before any step is written, so a step can name its successor.
    this.assignIds(pb.steps);
    const startId = this.id(this.side.start.id, 'start', 'start');
    const first = this.block(pb.steps, 'main');
    const { id: _startKept, ...startRest } = this.side.start;
    this.workflow[startId] = { ...startRest, type: 'start', on_completion: first };
    doc.workflow_start = startId;
    doc.workflow = this.workflow;

    const agents = { ...(isObject(top.agent_definitions) ? (top.agent_definitions as JsonObject) : {}) };
    for (const a of this.agentsUsed) {
      if (agents[a] === undefined) {
        agents[a] = quellAgents[a as keyof typeof quellAgents];
        this.generated.push(`/agent_definitions/${a}`);
      }
    }
    if (Object.keys(agents).length) doc.agent_definitions = agents;
    doc.extension_definitions = { ...(isObject(top.extension_definitions) ? (top.extension_definitions as JsonObject) : {}), [QUELL_EXTENSION]: quellExtensionDefinition };
    const playbookExt = {
      playbook: JSON.parse(
        JSON.stringify({ id: pb.id, version: pb.version, autonomy: pb.autonomy, riskThreshold: pb.riskThreshold, approvalTimeout: pb.approvalTimeout, inputs: pb.inputs, variables: pb.variables, outputs: pb.outputs }),
      ) as JsonObject,
      generated: this.generated,
    };
    doc.playbook_extensions = { ...(isObject(top.playbook_extensions) ? (top.playbook_extensions as JsonObject) : {}), [QUELL_EXTENSION]: playbookExt };
    return { doc, report: this.report };
  }

  private variables(): JsonObject {
    const out: JsonObject = {};
    const add = (name: string, value: unknown, external: boolean, description?: string) => {
      const cname = this.cacaoVar(name);
      const { name: _n, ...meta } = this.side.variables[name] ?? {};
      const v: JsonObject = { ...meta };
      if (v.type === undefined) {
        v.type = typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'float') : typeof value === 'boolean' ? 'bool' : isObject(value) ? 'dictionary' : 'string';
        this.generated.push(`/playbook_variables/${cname}/type`);
      }
      v.value = value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);
      if (external && v.external === undefined) {
        v.external = true;
        this.generated.push(`/playbook_variables/${cname}/external`);
      }
      if (description !== undefined && v.description === undefined) {
        v.description = description;
        this.generated.push(`/playbook_variables/${cname}/description`);
      }
      // A name the CACAO pattern refuses (SOARCA's `__should.execute.true__`) passes the schemas, as in the original.
      if (!/^__[a-zA-Z_][a-zA-Z0-9_-]{0,199}__$/.test(cname)) {
        this.report.push({ kind: 'approximated', path: `playbook_variables/${cname}`, message: `variable ${cname} does not match the CACAO variable-name pattern; exported under that name anyway` });
      }
      out[cname] = v;
    };
    for (const [name, value] of Object.entries(this.pb.variables)) add(name, value, false);
    for (const [name, input] of Object.entries(this.pb.inputs)) if (!(name in this.pb.variables)) add(name, input.default ?? null, true, input.description);
    return out;
  }

  private assignIds(steps: Step[]): void {
    for (const s of steps) {
      this.ids.set(s.id, this.id(this.side.steps[s.id]?.id, prefixOf(s), `step/${s.id}`));
      for (const k of CHILD_FIELDS) {
        const v = (s as unknown as Record<string, unknown>)[k];
        if (k === 'cases' && isObject(v)) for (const b of Object.values(v)) this.assignIds(b as Step[]);
        else if (k === 'branches' && Array.isArray(v)) for (const b of v) this.assignIds(b as Step[]);
        else if (Array.isArray(v)) this.assignIds(v as Step[]);
      }
      if (Array.isArray(s.onFailure)) this.assignIds(s.onFailure);
    }
  }

  /** Writes a block as a CACAO chain that ends at its own end step; returns the id of its first step. */
  private block(steps: Step[], where: string): string {
    let end: string | undefined;
    const endId = () => {
      if (end) return end;
      const { id: kept, ...rest } = this.side.ends[where] ?? {};
      end = this.id(kept, 'end', `end/${where}`);
      this.workflow[end] = { ...rest, type: 'end' };
      return end;
    };
    steps.forEach((s, i) => {
      const next = steps[i + 1];
      if (s.type === 'end' && next) {
        this.report.push({ kind: 'approximated', path: where, quellStep: next.id, message: `the steps after the end step "${s.id}" cannot be reached in CACAO` });
      }
      // A Quell end step closes its block itself: no end step is added after it.
      this.step(s, next ? this.ids.get(next.id)! : s.type === 'end' ? '' : endId());
    });
    return steps.length ? this.ids.get(steps[0]!.id)! : endId();
  }

  private step(s: Step, next: string): void {
    const id = this.ids.get(s.id)!;
    const { id: _k, manual_command: manualCommand, ...kept } = this.side.steps[s.id] ?? {};
    const out: JsonObject = { ...kept, type: prefixOf(s) };
    if (s.name !== undefined) out.name = s.name;
    if (s.description !== undefined) out.description = s.description;
    if (s.timeout !== undefined) out.timeout = durationMs(s.timeout);
    const own: Record<string, unknown> = { ...s };
    for (const k of [...CHILD_FIELDS, 'onFailure']) if (k !== 'onFailure' || Array.isArray(s.onFailure)) delete own[k];
    const exts = isObject(out.step_extensions) ? { ...(out.step_extensions as JsonObject) } : {};
    exts[QUELL_EXTENSION] = { step: JSON.parse(JSON.stringify(own)) as JsonObject };
    out.step_extensions = exts;
    if (s.type !== 'end') {
      if (s.onFailure === undefined || s.onFailure === 'fail') out.on_completion = next;
      else if (s.onFailure === 'continue') Object.assign(out, { on_success: next, on_failure: next });
      else Object.assign(out, { on_success: next, on_failure: this.block(s.onFailure, `${s.id}/onFailure`) });
    }
    const agent = (fallback: string) => {
      if (out.agent === undefined) {
        out.agent = fallback;
        this.agentsUsed.add(fallback);
        this.generated.push(`/workflow/${id}/agent`);
      }
    };
    const note = (kind: MappingNote['kind'], message: string) => this.report.push({ kind, path: `workflow/${id}`, step: id, quellStep: s.id, message });
    switch (s.type) {
      case 'action': {
        const m = /^cacao\.(.+)$/.exec(s.action);
        if (m) {
          const { args: _a, variables: _v, ...command } = s.with as Record<string, Json>;
          out.commands = [{ type: m[1]!, ...command }];
        } else {
          out.commands = [{ type: 'quell', command: `${s.action} ${JSON.stringify(s.with)}` }];
          note('approximated', `action "${s.id}" (${s.action}) is a command of type "quell": only Quell can run it`);
        }
        agent(QUELL_AGENT);
        break;
      }
      case 'manual':
      case 'approval':
        out.commands = [{ type: 'manual', ...(isObject(manualCommand) ? manualCommand : {}), command: (s.type === 'manual' ? s.title : s.prompt).replace(/\{\{\s*vars\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, n: string) => `${this.cacaoVar(n)}:value`) }];
        agent(RESPONDER_AGENT);
        break;
      case 'set':
        out.commands = [{ type: 'quell', command: `set ${Object.keys(s.vars).join(', ')}` }];
        agent(QUELL_AGENT);
        break;
      case 'wait':
        out.commands = [{ type: 'quell', command: `wait ${String(s.duration)}` }];
        agent(QUELL_AGENT);
        break;
      case 'playbook':
        if (out.playbook_id === undefined) {
          out.playbook_id = derivedId('playbook', s.playbook, 'playbook');
          this.generated.push(`/workflow/${id}/playbook_id`);
          note('approximated', `sub-playbook "${s.playbook}" is named by the id its own export would get (${String(out.playbook_id)})`);
        }
        break;
      case 'if':
        out.condition = this.condition(s.condition, id, s.id);
        out.on_true = this.block(s.then, `${s.id}/then`);
        if (s.else) out.on_false = this.block(s.else, `${s.id}/else`);
        break;
      case 'while':
        out.condition = this.condition(s.condition, id, s.id);
        out.on_true = this.block(s.do, `${s.id}/do`);
        break;
      case 'for-each': {
        const index = `__quell_${s.id.replace(/[^A-Za-z0-9_-]/g, '_')}_index__`;
        const count = `__quell_${s.id.replace(/[^A-Za-z0-9_-]/g, '_')}_count__`;
        out.condition = `[${index}:value < ${count}:value]`;
        out.step_variables = { ...(isObject(out.step_variables) ? (out.step_variables as JsonObject) : {}), [index]: { type: 'integer', value: '0' }, [count]: { type: 'integer', value: null } };
        this.generated.push(`/workflow/${id}/step_variables`);
        out.on_true = this.block(s.do, `${s.id}/do`);
        note('approximated', `for-each "${s.id}" has no CACAO type: exported as a while-condition over the index variable ${index}; its items (${s.items}) are in the Quell extension`);
        break;
      }
      case 'switch': {
        const m = /^vars\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(s.value.trim());
        out.switch = m ? `${this.cacaoVar(m[1]!)}:value` : s.value;
        if (!m) note('approximated', `switch "${s.id}" switches on ${JSON.stringify(s.value)}, which is not a variable: kept as a Quell expression`);
        const cases: JsonObject = {};
        for (const [k, b] of Object.entries(s.cases as Record<string, Step[]>)) cases[k] = this.block(b, `${s.id}/cases/${k}`);
        if (s.default) cases.default = this.block(s.default, `${s.id}/cases/default`);
        out.cases = cases;
        break;
      }
      case 'parallel':
        out.next_steps = (s.branches as Step[][]).map((b, i) => this.block(b, `${s.id}/branches/${i}`));
        if (s.join === 'any') note('approximated', `parallel "${s.id}" joins on any branch; CACAO always waits for all (join is in the Quell extension)`);
        break;
      case 'end':
        break;
      default:
        // Step infers as a loose type (zod's recursive getters), so the compiler cannot check this switch is complete.
        throw new Error(`unhandled step type ${JSON.stringify((s as { type: unknown }).type)}`);
    }
    this.workflow[id] = out;
  }

  private condition(expr: string, id: string, quellId: string): string {
    const stix = quellToStix(expr, (n) => this.cacaoVar(n));
    if (stix !== null) return stix;
    this.report.push({ kind: 'approximated', path: `workflow/${id}/condition`, step: id, quellStep: quellId, message: `the condition of "${quellId}" (${expr}) has no STIX-pattern form: kept as the Quell expression` });
    return expr;
  }
}
