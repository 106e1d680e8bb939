// What a bench module exports, and the small helpers figures share.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../core/model/seeded-random.js';

export interface BenchOptions {
  /** `--quick`: a smaller workload and fewer repetitions, for a check that the figure still runs. */
  quick: boolean;
}

/** The two sides of a figure, prepared once (untimed). Each call is one repetition and returns the measured value. */
export interface Trial {
  quell(): number | Promise<number>;
  baseline(): number | Promise<number>;
  /** Workload facts worth keeping beside the numbers (entry counts, batch size …). */
  workload: Record<string, string | number>;
  close(): void;
}

export interface Figure {
  /** Dotted name, used by the filter: `npm run bench -- journal`. */
  name: string;
  /** One line: what Quell does, and what the baseline does instead. */
  what: string;
  unit: string;
  /** Whether a bigger value is better (rates) or a smaller one (latencies). The ratio is always "Quell vs baseline, ≥ 1 is as good". */
  better: 'higher' | 'lower';
  /** The lowest acceptable ratio, when there is one. Below it the run says so, but still exits 0. */
  target?: number;
  /**
   * An absolute bound on Quell's own value, in `unit`, when the goal is one (a memory budget): at most this for
   * `lower`, at least this for `higher`. Past it the run says so, like a ratio below target.
   */
  limit?: number;
  /** For figures too long to repeat (a million-alert import): repetitions and warm-ups, full and `--quick`. */
  repetitions?: { full: number; quick: number; warmups: number };
  setup(options: BenchOptions): Trial | Promise<Trial>;
}

/** A fresh folder under the OS temp dir; remove it with `fs.rmSync(dir, { recursive: true, force: true })`. */
export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `quell-bench-${label}-`));
}

/** Deletes a SQLite file with its WAL and shared-memory companions. */
export function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

export function seconds(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

/** A small seeded generator (mulberry32), so every run and both sides see the same workload. */
export const seeded = seededRandom;
