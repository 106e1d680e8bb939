import type { FormatDef } from './formats/types.js';

export interface Sniffed {
  format: FormatDef;
  score: number;
}

/** The format whose detector scores the sampled records highest on average; below 0.5 nothing is recognised. */
export function sniffFormat(samples: Record<string, unknown>[], formats: readonly FormatDef[], framing: 'json' | 'zeek-tsv'): Sniffed | null {
  let best: Sniffed | null = null;
  for (const format of formats) {
    if (format.framing !== framing) continue;
    let total = 0;
    for (const sample of samples) {
      try {
        total += format.detect(sample);
      } catch {
        /* a detector that throws does not recognise the record */
      }
    }
    const score = samples.length ? total / samples.length : 0;
    if (!best || score > best.score) best = { format, score };
  }
  return best && best.score >= 0.5 ? best : null;
}
