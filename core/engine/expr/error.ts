/**
 * Every failure of the expression library, at compile time or at evaluation time, is an ExpressionError: the engine
 * turns it into a failed step and the validators into an issue, and neither has to guess what else might be thrown.
 */
export class ExpressionError extends Error {
  /** What was wrong, without the position and the source (the message adds them). */
  readonly reason: string;

  constructor(
    message: string,
    readonly expression: string,
    /** Offset into `expression` (0-based); the message names it as a 1-based column. */
    readonly position: number,
    reason: string = message,
  ) {
    super(message);
    this.name = 'ExpressionError';
    this.reason = reason;
  }
}

const EXCERPT = 80;

/** `unexpected ")" at column 9 in "a == (b))"`; long sources are cut to a window around the position. */
export function expressionError(reason: string, source: string, position: number): ExpressionError {
  let shown = source;
  if (source.length > EXCERPT) {
    const start = Math.max(0, Math.min(position - EXCERPT / 2, source.length - EXCERPT));
    shown = `${start > 0 ? '…' : ''}${source.slice(start, start + EXCERPT)}${start + EXCERPT < source.length ? '…' : ''}`;
  }
  return new ExpressionError(`${reason} at column ${position + 1} in ${JSON.stringify(shown)}`, source, position, reason);
}

/** The same failure seen from a larger text (a template), `offset` characters further on. */
export function rebase(error: ExpressionError, source: string, offset: number): ExpressionError {
  return expressionError(error.reason, source, error.position + offset);
}

/** Raised during evaluation by code that does not know the source; the evaluator adds source and position. */
export class EvalFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'EvalFailure';
  }
}
