import { z } from 'zod';
import type { DepNode } from '../../model/index.js';
import { badRow } from '../assets/errors.js';
import { countsOf, type ParsedGraph } from './parsed-graph.js';

const Metrics = z.object({ normal: z.number().optional(), warning: z.number().optional(), danger: z.number().optional() }).loose();
const Connection = z.object({ source: z.string().min(1), target: z.string().min(1), metrics: Metrics.optional() }).loose();
interface VNode {
  name: string;
  nodes?: VNode[] | undefined;
  connections?: z.infer<typeof Connection>[] | undefined;
}
const Node: z.ZodType<VNode> = z.lazy(() =>
  z.object({ name: z.string().min(1), nodes: z.array(Node).optional(), connections: z.array(Connection).optional() }).loose(),
);
const Root = z.object({ nodes: z.array(Node), connections: z.array(Connection).optional() }).loose();

const kindAt = (level: number): DepNode['kind'] => (level === 0 ? 'region' : level === 1 ? 'service' : 'instance');

/**
 * Vizceral traffic graphs: the global level holds regions, a region holds services, a service may hold nested nodes.
 * Names are only unique among siblings (every region has its own INTERNET), so a node's id is its path: `us-east-1/
 * proxy-prod`. A connection's source calls its target, so the source depends on the target. Connections may name
 * nodes the level never declares (the sample does); those become implicit nodes rather than dangling edges.
 */
export function parseVizceral(file: string, text: string): ParsedGraph {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw badRow(file, 'the whole file', null, `not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const root = Root.safeParse(doc);
  if (!root.success) {
    const issue = root.error.issues[0]!;
    const where = issue.path.slice(0, -1).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw badRow(file, where || 'the top level', String(issue.path.at(-1) ?? '') || null, issue.message);
  }
  const nodes: ParsedGraph['nodes'] = [];
  const edges: ParsedGraph['edges'] = [];
  const ids = new Set<string>();

  const level = (children: VNode[], connections: z.infer<typeof Connection>[], parent: string | null, depth: number, where: string) => {
    const idOf = (name: string) => (parent === null ? name : `${parent}/${name}`);
    children.forEach((child, i) => {
      const id = idOf(child.name);
      if (ids.has(id)) throw badRow(file, `${where}nodes[${i}]`, 'name', `"${child.name}" is declared twice here`);
      ids.add(id);
      nodes.push({ id, name: child.name, kind: kindAt(depth), parent, implicit: false });
    });
    const seen = new Set<string>();
    connections.forEach((c, i) => {
      for (const name of [c.source, c.target]) {
        const id = idOf(name);
        if (ids.has(id)) continue;
        ids.add(id);
        nodes.push({ id, name, kind: kindAt(depth), parent, implicit: true });
      }
      const key = `${c.source}\0${c.target}`;
      if (seen.has(key)) throw badRow(file, `${where}connections[${i}]`, null, `a second connection ${c.source} → ${c.target}`);
      seen.add(key);
      const m = c.metrics ?? {};
      const parts = [m.normal, m.warning, m.danger].filter((v): v is number => v !== undefined);
      edges.push({
        from: idOf(c.source),
        to: idOf(c.target),
        weight: parts.length ? parts.reduce((a, b) => a + b, 0) : null,
        normal: m.normal ?? null,
        warning: m.warning ?? null,
        danger: m.danger ?? null,
      });
    });
    children.forEach((child, i) => level(child.nodes ?? [], child.connections ?? [], idOf(child.name), depth + 1, `${where}nodes[${i}].`));
  };
  level(root.data.nodes, root.data.connections ?? [], null, 0, '');
  return { nodes, edges, counts: countsOf(nodes, edges) };
}
