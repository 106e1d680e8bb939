// One seeded generator for everything that needs repeatable randomness: layouts (fcose reads Math.random), benchmark
// workloads (both sides see the same data) and randomised tests (a failing seed can be rerun). Isomorphic: the
// layout worker and the graph benchmark page run it in the browser.

/** mulberry32: numbers in [0, 1), the same sequence for the same seed on every platform. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
