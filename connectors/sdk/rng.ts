// Seeded randomness for emulators: the same seed gives the same generated alerts and the same fault decisions, so a
// failing run can be repeated exactly. Not for anything secret.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** `n` lower-case hex characters. */
  hex(n: number): string;
  /** A version-4-shaped UUID. */
  uuid(): string;
}

/** mulberry32: small, fast, good enough for test data. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += int(16).toString(16);
    return s;
  };
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)]!;
    },
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(4)]}${hex(3)}-${hex(12)}`,
  };
}

/** A stable id for generated alert `index` (same seed, same id): `prefix` + 32 hex characters. */
export function generatedId(seed: number, index: number, prefix = ''): string {
  return prefix + createRng(mix(seed, index)).hex(32);
}

/** A stable UUID for generated alert `index`. */
export function generatedUuid(seed: number, index: number): string {
  return createRng(mix(seed, index)).uuid();
}

/**
 * `count` alerts made from the recorded ones: the recorded alerts first, as they are, then `make(template, i, rng)`
 * for each generated alert `i` (0-based over the generated ones), where `template` cycles through the recorded
 * alerts and `rng` is seeded per index. `make` must give each alert a new id (generatedId/generatedUuid).
 */
export function replicate<T>(recorded: readonly T[], generated: number, seed: number, make: (template: T, index: number, rng: Rng) => T): T[] {
  if (recorded.length === 0 && generated > 0) throw new Error('replicate needs at least one recorded alert as a template');
  const out = recorded.slice();
  for (let i = 0; i < generated; i++) out.push(make(recorded[i % recorded.length]!, i, createRng(mix(seed, i))));
  return out;
}

/** A time `i` steps of `stepMs` after `start`, as ISO 8601: monotonically increasing generated timestamps. */
export function timeAt(start: string | number, i: number, stepMs: number): string {
  const t = typeof start === 'number' ? start : Date.parse(start);
  return new Date(t + i * stepMs).toISOString();
}

function mix(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x85ebca6b), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
