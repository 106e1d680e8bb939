// Positions of laid-out graphs, kept in localStorage per case (or "global" for the organisation-wide dependency map)
// and view, so that a graph opens where the responder last saw it and a big layout is not paid for twice.
import type { Position } from './level-of-detail.js';

export interface LayoutCacheKey {
  /** The case id, or `global` for organisation-wide graphs. */
  scope: string;
  /** Which view of the scope (`dependencies`, `incident-graph` …). */
  view: string;
}

const PREFIX = 'quell.layout.v1';

/** FNV-1a over the ids of the graph, in a fixed order: the same elements give the same hash, in any order. */
export function graphHash(nodeIds: readonly string[], edgeIds: readonly string[]): string {
  let h = 0x811c9dc5;
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f; // a separator no id can fake
    h = Math.imul(h, 0x01000193);
  };
  for (const id of [...nodeIds].sort()) mix(id);
  mix('\u0000edges');
  for (const id of [...edgeIds].sort()) mix(id);
  return (h >>> 0).toString(16).padStart(8, '0');
}

const entryKey = (key: LayoutCacheKey, hash: string) => `${PREFIX}:${key.scope}:${key.view}:${hash}`;
const latestKey = (key: LayoutCacheKey) => `${PREFIX}:${key.scope}:${key.view}:latest`;

type Stored = Record<string, [number, number]>;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled: layouts are simply not remembered
  }
}

function readEntry(hash: string, key: LayoutCacheKey): Map<string, Position> | null {
  const raw = storage()?.getItem(entryKey(key, hash));
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Stored;
    return new Map(Object.entries(stored).map(([id, [x, y]]) => [id, { x, y }]));
  } catch {
    return null;
  }
}

/** The positions saved for exactly this graph, if any. */
export function cachedPositions(key: LayoutCacheKey, hash: string): Map<string, Position> | null {
  return readEntry(hash, key);
}

/** The positions of the last graph laid out in this scope and view (perhaps with other nodes): layout seeds. */
export function latestPositions(key: LayoutCacheKey): Map<string, Position> | null {
  const hash = storage()?.getItem(latestKey(key));
  return hash ? readEntry(hash, key) : null;
}

/**
 * Saves positions (rounded to a tenth of a pixel) and marks them the latest of the scope and view. When storage is
 * full, older layouts of every scope go first; failing that, the layout is not remembered.
 */
export function savePositions(key: LayoutCacheKey, hash: string, positions: ReadonlyMap<string, Position>): void {
  const s = storage();
  if (!s) return;
  const stored: Stored = {};
  for (const [id, p] of positions) stored[id] = [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10];
  const text = JSON.stringify(stored);
  const write = () => {
    s.setItem(entryKey(key, hash), text);
    s.setItem(latestKey(key), hash);
  };
  try {
    write();
  } catch {
    const keep = new Set([entryKey(key, hash), latestKey(key)]);
    for (let i = s.length - 1; i >= 0; i--) {
      const k = s.key(i);
      if (k?.startsWith(`${PREFIX}:`) && !k.endsWith(':latest') && !keep.has(k)) s.removeItem(k);
    }
    try {
      write();
    } catch {
      // Still too big for this browser's quota: the graph is laid out again next time.
    }
  }
}
