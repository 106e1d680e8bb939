// What a run needs from the process it runs in: the store (through write + journal), time, commands run as the
// playbook, notifications, and a way to tell views that the run changed. The runtime builds one per core.
import type { CommandInput, CommandName, CommandOutput } from '../api/index.js';
import type { Actor, RunStatus, RunWait } from '../model/index.js';

export interface EngineHost {
  now(): string;
  clockMs(): number;
  write<T>(fn: () => T): T;
  journal(caseId: string, actor: Actor, action: string, payload: unknown): void;
  /** Runs a core command as the given actor; a failure is thrown as a QuellError. */
  invoke<N extends CommandName>(actor: Actor, name: N, input: CommandInput<N>): Promise<CommandOutput<N>>;
  notify(target: string, body: unknown, idempotencyKey: string, signal: AbortSignal): Promise<{ target: string; status: number }>;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** `waitKind` when the run just stopped to wait: a timer is not someone to wait for. */
  emitRun(runId: string, caseId: string, status: RunStatus, key?: string, waitKind?: RunWait['kind']): void;
}
