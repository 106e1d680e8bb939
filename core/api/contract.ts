import type { z } from 'zod';

/** A command is a value that carries its own input and output schemas; nothing can be registered without them. */
export interface CommandDef<Name extends string = string, In extends z.ZodType = z.ZodType, Out extends z.ZodType = z.ZodType> {
  readonly name: Name;
  readonly summary: string;
  /**
   * Commands that change state must journal what they did; the router refuses to commit one that did not.
   * `true`: one transaction around the handler. `'batched'`: long work that commits in several transactions of its
   * own (imports), each journaled; the router checks that the journal grew.
   */
  readonly mutates: boolean | 'batched';
  readonly input: In;
  readonly output: Out;
}

export function defineCommand<Name extends string, In extends z.ZodType, Out extends z.ZodType>(
  def: CommandDef<Name, In, Out>,
): CommandDef<Name, In, Out> {
  return def;
}

export interface EventDef<Name extends string = string, Payload extends z.ZodType = z.ZodType> {
  readonly name: Name;
  readonly payload: Payload;
}

export function defineEvent<Name extends string, Payload extends z.ZodType>(
  def: EventDef<Name, Payload>,
): EventDef<Name, Payload> {
  return def;
}
