// The contract every vendor emulator meets, so `quell emulate`, the demo, the tests and tabletop exercises can start
// any of them the same way. The shared server (loopback only), fault injection and action recording live in
// connectors/sdk/emulator.ts; a vendor supplies its routes, its data and the settings that reach it.

/** `quell emulate --faults 429:0.1,503:0.05`: each kind applies to that fraction of requests. */
export type FaultKind = '429' | '500' | '503' | 'slow' | 'truncate' | 'expire';

export interface FaultSpec {
  kind: FaultKind;
  /** Fraction of requests, 0 < rate ≤ 1. */
  rate: number;
}

export interface EmulatorOptions {
  /** 0 or absent: any free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Generated alerts served in addition to the recorded fixtures. */
  alerts?: number;
  faults?: FaultSpec[];
  /** Seeds generated data and fault decisions, so a run can be repeated exactly. */
  seed?: number;
  /** How long `slow` holds a response (past the client's timeout). */
  slowMs?: number;
  /** The `Retry-After` (or epoch reset offset) an injected 429 carries, in seconds; default 1. */
  retryAfterSeconds?: number;
  /**
   * Where the shipped recorded alerts are (`<content>/emulators`; a vendor reads its own `<vendor>/` below it).
   * A vendor folder cannot import core's `findContentDir()`, so the CLI and tests pass it in.
   */
  contentDir?: string;
}

/** One action request the emulator received, as it arrived (after auth). */
export interface RecordedAction {
  action: string;
  method: string;
  path: string;
  /** Request headers, lower-cased names; Authorization is recorded as `<redacted>`. */
  headers: Record<string, string>;
  body: unknown;
  at: string;
}

export interface RunningEmulator {
  vendor: string;
  url: string;
  /** Connector settings (secrets included: they are the emulator's own test credentials) that reach this emulator. */
  settings: Record<string, unknown>;
  /** Ids of every alert the emulator has served in a successful (not truncated) page, in order, repeats included. */
  served(): string[];
  /** Every alert id the emulator holds, in stream order. */
  alertIds(): string[];
  actions(): RecordedAction[];
  /** Requests answered with an injected fault, by kind. */
  faultsInjected(): Record<FaultKind, number>;
  close(): Promise<void>;
}

export interface EmulatorDef {
  vendor: string;
  start(options: EmulatorOptions): Promise<RunningEmulator>;
}
