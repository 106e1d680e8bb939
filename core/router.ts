import type { z } from 'zod';
import {
  commands,
  describeIssues,
  events,
  isCommandName,
  QuellError,
  type ApiError,
  type CommandName,
  type Commands,
  type CommandOutput,
  type EventName,
  type EventPayload,
  type Result,
} from './api/index.js';
import { Actor, type JournalEntry } from './model/index.js';
import type { Clock, IdSource } from './runtime.js';
import type { Store } from './store/index.js';

export interface HandlerContext {
  readonly actor: Actor;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** Now, as the ISO-8601 UTC text every stored timestamp uses. */
  now(): string;
  /** Appends a journal entry by this command's actor, inside the command's transaction. */
  journal(caseId: string | null, action: string, payload: unknown): JournalEntry;
  /** Publishes an event (progress of long work) to every subscriber. */
  emit<N extends EventName>(event: N, payload: EventPayload<N>): void;
}

export type Handler<N extends CommandName> = (
  input: z.output<Commands[N]['input']>,
  ctx: HandlerContext,
) => CommandOutput<N> | Promise<CommandOutput<N>>;

export type Handlers = { [N in CommandName]: Handler<N> };

type Listener<N extends EventName> = (payload: EventPayload<N>) => void;

export interface RouterDeps {
  store: Store;
  clock: Clock;
  ids: IdSource;
  handlers: Handlers;
  /** Where unexpected failures are reported with their stack (never journaled: they may hold anything). */
  logBug?: (command: string, err: unknown) => void;
}

/**
 * Command name → handler. Parses the input on the way in and the output on the way out, runs state-changing
 * commands inside one store transaction that must journal what it did, and turns every failure into an ApiError.
 */
export class Router {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  constructor(private readonly deps: RouterDeps) {
    deps.store.onCommitted((entries) => {
      for (const entry of entries) this.emit('journal.appended', entry);
    });
  }

  async invoke<N extends CommandName>(name: N, input: unknown, actor: Actor): Promise<Result<CommandOutput<N>>>;
  async invoke(name: string, input: unknown, actor: Actor): Promise<Result<unknown>>;
  async invoke(name: string, input: unknown, actor: Actor): Promise<Result<unknown>> {
    try {
      return { ok: true, value: await this.run(name, input, actor) };
    } catch (err) {
      return { ok: false, error: this.toApiError(name, err) };
    }
  }

  private async run(name: string, rawInput: unknown, actor: Actor): Promise<unknown> {
    if (!isCommandName(name)) {
      throw new QuellError('unknown_command', `Unknown command "${name}".`, { details: { command: name } });
    }
    // The actor is journaled with the change, so one that breaks its schema would commit and then make every later
    // journal.list fail its output check; refuse it before anything is written.
    const who = Actor.safeParse(actor);
    if (!who.success) {
      throw new QuellError('invalid_input', `Invalid actor for ${name}.`, { issues: describeIssues(who.error, 'actor') });
    }
    const def = commands[name];
    const parsed = def.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      throw new QuellError('invalid_input', `Invalid input for ${name}.`, { issues: describeIssues(parsed.error) });
    }
    const handler = this.deps.handlers[name] as (input: unknown, ctx: HandlerContext) => unknown;
    const ctx = this.context(who.data);

    let output: unknown;
    if (def.mutates === 'batched') {
      const before = this.deps.store.journal.headSeq();
      output = await handler(parsed.data, ctx);
      if (this.deps.store.journal.headSeq() === before) throw new Error(`${name} finished without writing a journal entry`);
    } else if (def.mutates) {
      output = this.deps.store.write(() => {
        const before = this.deps.store.journal.headSeqInTx();
        const result = handler(parsed.data, ctx);
        if (result instanceof Promise) throw new Error(`${name} is a state-changing command but its handler is async`);
        if (this.deps.store.journal.headSeqInTx() === before) {
          throw new Error(`${name} changed state without writing a journal entry`);
        }
        return result;
      });
    } else {
      output = await handler(parsed.data, ctx);
    }

    const checked = def.output.safeParse(output);
    if (!checked.success) {
      throw new QuellError('bug', `Quell produced an invalid result for ${name}; this is a bug.`, {
        issues: describeIssues(checked.error, 'output'),
      });
    }
    return checked.data;
  }

  private context(actor: Actor): HandlerContext {
    const { store, clock, ids } = this.deps;
    const now = () => clock.now().toISOString();
    return {
      actor,
      store,
      clock,
      ids,
      now,
      journal: (caseId, action, payload) => store.journal.append({ at: now(), caseId, actor, action, payload }),
      emit: (event, payload) => this.emit(event, payload),
    };
  }

  private toApiError(name: string, err: unknown): ApiError {
    if (err instanceof QuellError) {
      if (err.code === 'bug') this.deps.logBug?.(name, err);
      return err.toApiError();
    }
    this.deps.logBug?.(name, err);
    const message = err instanceof Error ? err.message : String(err);
    return { code: 'bug', message: `Unexpected failure in ${name}: ${message}. This is a bug; nothing was changed.` };
  }

  subscribe<N extends EventName>(event: N, listener: Listener<N>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  /** Publishes an event from work that runs outside a command (a playbook run between its steps). */
  emitEvent<N extends EventName>(event: N, payload: EventPayload<N>): void {
    this.emit(event, payload);
  }

  private emit<N extends EventName>(event: N, payload: EventPayload<N>): void {
    const listeners = this.listeners.get(event);
    if (!listeners?.size) return; // nobody listens: skip the schema check (a hot path for playbook steps)
    const checked = events[event].payload.parse(payload) as EventPayload<N>;
    for (const listener of listeners) {
      try {
        listener(checked);
      } catch (err) {
        this.deps.logBug?.(`event ${event}`, err);
      }
    }
  }
}
