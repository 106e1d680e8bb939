// The benchmark's incident graph: deterministic (seeded), with fixed positions so both sides draw the very same
// picture and no layout runs in the timed part. Runs in the browser page; no Node imports.
import { seededRandom } from '../../core/model/seeded-random.js';

export const ENTITY_TYPES = ['host', 'user', 'ip', 'process', 'file', 'alert'] as const;

export interface BenchNode {
  id: string;
  label: string;
  type: (typeof ENTITY_TYPES)[number];
  x: number;
  y: number;
}
export interface BenchEdge {
  id: string;
  source: string;
  target: string;
}


/**
 * `nodes` entities of the six incident types (alerts a fifth of them), `edges` links, each from an alert or a process
 * to another entity, never a self-loop or a repeat. Positions: clusters around the alerts, as a force layout of an
 * incident tends to give, spread over a square that leaves ~60 px per node.
 */
export function incidentGraph(nodes: number, edges: number, seed = 2291): { nodes: BenchNode[]; edges: BenchEdge[] } {
  const rand = seededRandom(seed);
  const side = Math.sqrt(nodes) * 60;
  const out: BenchNode[] = [];
  const centres: { x: number; y: number }[] = [];
  for (let i = 0; i < nodes; i++) {
    const type = i % 5 === 0 ? 'alert' : ENTITY_TYPES[Math.floor(rand() * 5)]!;
    let x: number;
    let y: number;
    if (type === 'alert' || centres.length === 0) {
      x = rand() * side;
      y = rand() * side;
      centres.push({ x, y });
    } else {
      const c = centres[Math.floor(rand() * centres.length)]!;
      const angle = rand() * 2 * Math.PI;
      const r = 40 + rand() * 120;
      x = c.x + Math.cos(angle) * r;
      y = c.y + Math.sin(angle) * r;
    }
    out.push({ id: `${type}-${i}`, label: `${type} ${i}`, type, x, y });
  }
  const sources = out.filter((n) => n.type === 'alert' || n.type === 'process');
  const seen = new Set<string>();
  const links: BenchEdge[] = [];
  while (links.length < edges) {
    const s = sources[Math.floor(rand() * sources.length)]!;
    const t = out[Math.floor(rand() * out.length)]!;
    const key = `${s.id}->${t.id}`;
    if (s === t || seen.has(key)) continue;
    seen.add(key);
    links.push({ id: `e${links.length}`, source: s.id, target: t.id });
  }
  return { nodes: out, edges: links };
}
