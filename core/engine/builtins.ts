// The actions a playbook can take without a connector: case operations, local enrichment lookups, the alert
// validation query and webhook notifications. Each declares its impact (for risk gating), whether it changes
// anything (`effect`: a dry run simulates `case` and `external` actions and never calls them) and its input schema,
// so a bad `with:` fails the step with the field named, before anything happens.
import { z } from 'zod';
import type { CommandInput, CommandName, CommandOutput } from '../api/index.js';
import type { Impact } from '../model/index.js';

export interface ActionHost {
  readonly caseId: string;
  readonly runId: string;
  /** The step's execution key: the idempotency key of what it sends out. */
  readonly key: string;
  readonly alertId: string | null;
  readonly signal: AbortSignal;
  /** A core command run as this playbook step (journaled with the run and step as the actor). */
  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>;
  /** POSTs JSON to a configured notification target. */
  notify(target: string, body: unknown): Promise<{ target: string; status: number }>;
}

export type Effect = 'none' | 'case' | 'external';

export interface BuiltinAction<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly summary: string;
  readonly impact: Impact;
  readonly effect: Effect;
  readonly input: S;
  run(input: z.output<S>, host: ActionHost): Promise<unknown>;
  /** The outcome a dry run pretends when the step declares none. */
  simulate(input: z.output<S>): unknown;
  /** What the action acts on, when the step names no `target`. */
  target?(input: z.output<S>): string | null;
}

const define = <S extends z.ZodType>(a: BuiltinAction<S>): BuiltinAction => a as unknown as BuiltinAction;

const text = (max: number) => z.string().trim().min(1).max(max);

export const BUILTINS: readonly BuiltinAction[] = [
  define({
    name: 'case.note',
    summary: 'Add a note to the case',
    impact: 'none',
    effect: 'case',
    input: z.object({ text: text(100_000) }),
    run: (i, h) => h.invoke('note.add', { caseId: h.caseId as never, body: i.text }),
    simulate: (i) => ({ simulated: true, body: i.text }),
  }),
  define({
    name: 'case.task',
    summary: 'Add a task to the case, optionally assigned and with a due time',
    impact: 'none',
    effect: 'case',
    input: z.object({ title: text(500), assignee: text(200).optional(), dueAt: z.iso.datetime().optional() }),
    run: (i, h) =>
      h.invoke('task.add', {
        caseId: h.caseId as never,
        title: i.title,
        ...(i.assignee ? { assignee: i.assignee } : {}),
        ...(i.dueAt ? { dueAt: i.dueAt } : {}),
      }),
    simulate: (i) => ({ simulated: true, title: i.title, assignee: i.assignee ?? null, status: 'open' }),
  }),
  define({
    name: 'case.tag',
    summary: 'Tag a record of the case (the triggering alert unless eventId is given)',
    impact: 'none',
    effect: 'case',
    input: z.object({ tags: z.array(text(200)).min(1).max(50), eventId: text(128).optional() }),
    run: async (i, h) => {
      const eventId = i.eventId ?? h.alertId;
      if (!eventId) throw new Error('case.tag needs an eventId: this run has no triggering alert');
      return h.invoke('event.tag', { caseId: h.caseId as never, eventId: eventId as never, tags: i.tags });
    },
    simulate: (i) => ({ simulated: true, added: i.tags }),
  }),
  define({
    name: 'case.evidence',
    summary: 'Record an evidence item (its text is hashed and sized)',
    impact: 'none',
    effect: 'case',
    input: z.object({ name: text(500), content: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]) }),
    run: (i, h) =>
      h.invoke('evidence.add', {
        caseId: h.caseId as never,
        name: i.name,
        content: typeof i.content === 'string' ? i.content : JSON.stringify(i.content),
      }),
    simulate: (i) => ({ simulated: true, name: i.name }),
  }),
  define({
    name: 'case.status',
    summary: 'Close or reopen the case, with the reason',
    impact: 'low',
    effect: 'case',
    input: z.object({ status: z.enum(['open', 'closed']), reason: text(5000) }),
    run: (i, h) => h.invoke('case.setStatus', { caseId: h.caseId as never, status: i.status, reason: i.reason }),
    simulate: (i) => ({ simulated: true, status: i.status, reason: i.reason }),
  }),
  define({
    name: 'enrich.asset',
    summary: 'The asset of a host name or IP address, with its owner and criticality',
    impact: 'none',
    effect: 'none',
    input: z.object({ query: text(300) }),
    run: (i, h) => h.invoke('asset.lookup', { query: i.query }),
    simulate: () => null,
  }),
  define({
    name: 'enrich.blastRadius',
    summary: 'Everything that depends on a service or asset, and the owners to inform',
    impact: 'none',
    effect: 'none',
    input: z.object({ name: text(500), maxDepth: z.number().int().min(1).max(1000).optional() }),
    run: async (i, h) => {
      const b = await h.invoke('deps.blastRadius', { name: i.name, ...(i.maxDepth ? { maxDepth: i.maxDepth } : {}) });
      return { ...b, affected: b.dependents.length, ownerNames: b.owners.map((o) => o.owner) };
    },
    simulate: () => null,
  }),
  define({
    name: 'enrich.attack',
    summary: 'An ATT&CK technique: name, tactics, whether it was revoked',
    impact: 'none',
    effect: 'none',
    input: z.object({ query: text(200) }),
    run: (i, h) => h.invoke('attack.lookup', { query: i.query }),
    simulate: () => null,
  }),
  define({
    name: 'enrich.intel',
    summary: 'Rate the triggering alert (or eventId) by how many threat-intel feeds confirm its indicators',
    impact: 'none',
    effect: 'none',
    input: z.object({ eventId: text(128).optional() }),
    run: async (i, h) => {
      const eventId = i.eventId ?? h.alertId;
      if (!eventId) throw new Error('enrich.intel needs an eventId: this run has no triggering alert');
      const rated = await h.invoke('intel.rate', { caseId: h.caseId as never, eventIds: [eventId as never] });
      const one = rated.rated[0];
      return {
        routing: one?.routing ?? 'discard',
        confirmations: one?.confirmations ?? 0,
        feedCount: rated.feedCount,
        required: rated.required,
        feeds: one?.feeds ?? [],
      };
    },
    simulate: () => null,
  }),
  define({
    name: 'alert.validate',
    summary: 'Validate an alert about a malicious IP: internal connections to it in the last N days',
    impact: 'none',
    effect: 'none',
    input: z.object({ ips: z.array(text(100)).min(1).max(100).optional(), eventId: text(128).optional(), windowDays: z.number().positive().max(3650).default(30) }),
    run: async (i, h) => {
      const alertId = i.eventId ?? h.alertId ?? undefined;
      const out = await h.invoke('alert.validate', {
        caseId: h.caseId as never,
        ...(alertId ? { alertId: alertId as never } : {}),
        ...(i.ips ? { ips: i.ips } : {}),
        windowDays: i.windowDays,
      });
      const first = out.results[0];
      return {
        status: first?.status ?? 'not_relevant',
        reason: first?.reason ?? 'nothing to validate',
        connections: first?.evidence.length ?? 0,
        ips: first?.ips ?? i.ips ?? [],
        counts: out.counts,
      };
    },
    simulate: () => null,
  }),
  define({
    name: 'notify',
    summary: 'POST a JSON message to a configured notification target (webhook)',
    impact: 'low',
    effect: 'external',
    input: z.object({ to: text(100), message: text(20_000), data: z.unknown().optional() }),
    run: (i, h) => h.notify(i.to, { message: i.message, data: i.data ?? null, caseId: h.caseId, runId: h.runId, step: h.key }),
    simulate: (i) => ({ simulated: true, target: i.to, status: 202 }),
  }),
];

const byName = new Map(BUILTINS.map((b) => [b.name, b]));

export function builtinAction(name: string): BuiltinAction | undefined {
  return byName.get(name);
}

/** `connector:<name>.<action>` → the connector and action it names. */
export function parseConnectorAction(action: string): { connector: string; action: string } | null {
  const m = /^connector:([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.([A-Za-z0-9_-]+)$/.exec(action);
  return m ? { connector: m[1]!, action: m[2]! } : null;
}

/** A CACAO command Quell cannot carry out itself (ssh, bash …): it can be dry-run, never run for real. */
export function isForeignCommand(action: string): boolean {
  return action.startsWith('cacao.');
}
