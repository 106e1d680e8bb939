/** Time and ids are injected so that the hash chain, timeouts and replays are deterministic under test. */
export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** A new unique id with the given prefix, e.g. `case_…`. */
  next(prefix: string): string;
}

export const systemClock: Clock = { now: () => new Date() };

/** Random ids for production; `crypto` is passed in by the composition root to keep this file free of globals. */
export function randomIds(randomUUID: () => string): IdSource {
  return { next: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '')}` };
}

/** Deterministic ids for tests and fixtures: prefix_0001, prefix_0002, … */
export function sequentialIds(): IdSource {
  let n = 0;
  return { next: (prefix) => `${prefix}_${String(++n).padStart(4, '0')}` };
}

/** A clock that starts at `start` and moves forward by `stepMs` on every reading. */
export function steppingClock(start: string, stepMs = 1000): Clock {
  let t = Date.parse(start);
  return {
    now: () => {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
  };
}
