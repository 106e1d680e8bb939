// Control flow of a run that is not a step result: reaching an `end`, being cancelled, the host going away, a step
// failing. Thrown through the nested blocks and caught where they mean something.

export class EndSignal {
  constructor(
    readonly outcome: string,
    readonly reason: string | null,
  ) {}
}

export class CancelSignal {
  readonly cancelled = true;
  constructor(readonly by: string) {}
}

/** The host is closing: leave the run as it is (status `interrupted`) so the next start resumes it. */
export class InterruptSignal {
  readonly interrupted = true;
}

export class StepFailure extends Error {
  constructor(
    readonly stepId: string,
    message: string,
    readonly status: 'failed' | 'timed-out' = 'failed',
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

export const isSignal = (e: unknown): e is EndSignal | CancelSignal | InterruptSignal =>
  e instanceof EndSignal || e instanceof CancelSignal || e instanceof InterruptSignal;
