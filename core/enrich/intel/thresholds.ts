import type { IndicatorType, FeedRef, Routing, ThresholdRule, Thresholds } from '../../model/index.js';

/**
 * The automated-response guide's example with four feeds: three or more confirming (all but one) respond
 * automatically, two go to an analyst, fewer are discarded. Written relative to the number of feeds so it holds as
 * feeds come and go.
 */
export const DEFAULT_THRESHOLDS: Thresholds = {
  automatic: { kind: 'allBut', n: 1 },
  analyst: { kind: 'atLeast', n: 2 },
};

function resolve(rule: ThresholdRule, feedCount: number): number {
  switch (rule.kind) {
    case 'atLeast':
      return rule.n;
    case 'allBut':
      return feedCount - rule.n;
    case 'fraction':
      return Math.ceil(rule.f * feedCount - 1e-9);
  }
}

/**
 * Confirmations each routing needs with this many feeds. Never fewer than one (no feed confirming is never a
 * reason to act), and automatic never needs less than analyst: with two feeds "all but one" would otherwise send
 * a single confirmation straight to automatic response while two would only reach an analyst.
 */
export function requiredConfirmations(t: Thresholds, feedCount: number): { automatic: number; analyst: number } {
  const analyst = Math.max(1, resolve(t.analyst, feedCount));
  const automatic = Math.max(analyst, resolve(t.automatic, feedCount));
  return { automatic, analyst };
}

export function route(confirmations: number, required: { automatic: number; analyst: number }): Routing {
  if (confirmations >= required.automatic) return 'automatic';
  if (confirmations >= required.analyst) return 'analyst';
  return 'discard';
}

/** Confirmations per indicator, and the record's score: the feeds behind its best-confirmed indicator. */
export function tally(rows: { type: IndicatorType; canonical: string; feed: FeedRef }[]): {
  indicators: { type: IndicatorType; canonical: string; feeds: FeedRef[] }[];
  feeds: FeedRef[];
  confirmations: number;
} {
  const byIndicator = new Map<string, { type: IndicatorType; canonical: string; feeds: FeedRef[] }>();
  const feeds = new Map<string, FeedRef>();
  for (const r of rows) {
    const key = `${r.type}\0${r.canonical}`;
    let entry = byIndicator.get(key);
    if (!entry) byIndicator.set(key, (entry = { type: r.type, canonical: r.canonical, feeds: [] }));
    if (!entry.feeds.some((f) => f.name === r.feed.name)) entry.feeds.push(r.feed);
    feeds.set(r.feed.name, r.feed);
  }
  const indicators = [...byIndicator.values()];
  return {
    indicators,
    feeds: [...feeds.values()].sort((a, b) => a.name.localeCompare(b.name)),
    confirmations: Math.max(0, ...indicators.map((i) => i.feeds.length)),
  };
}

/** `3`, `all-but:1` or `50%`, as the CLI takes thresholds. */
export function parseThresholdRule(text: string): ThresholdRule | null {
  const t = text.trim().toLowerCase();
  let m = /^all-but:(\d+)$/.exec(t);
  if (m) return { kind: 'allBut', n: Number(m[1]) };
  m = /^(\d+(?:\.\d+)?)%$/.exec(t);
  if (m && Number(m[1]) > 0 && Number(m[1]) <= 100) return { kind: 'fraction', f: Number(m[1]) / 100 };
  m = /^(\d+)$/.exec(t);
  if (m && Number(m[1]) >= 1) return { kind: 'atLeast', n: Number(m[1]) };
  return null;
}

export function describeRule(rule: ThresholdRule): string {
  switch (rule.kind) {
    case 'atLeast':
      return String(rule.n);
    case 'allBut':
      return `all-but:${rule.n}`;
    case 'fraction':
      return `${Math.round(rule.f * 10000) / 100}%`;
  }
}
