import type { Node } from './parse.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The scope paths an expression reads, in the order they appear, without duplicates: `vars.ip`,
 * `alert.hosts[0].name`, `a["key.with.dots"]`. A computed segment ends its path there (`a[vars.k].b` reads `a` and
 * `vars.k`); paths inside strings given to filter() or pluck() are data, not read from the scope, and are left out.
 */
export function collectPaths(root: Node): string[] {
  const found = new Set<string>();
  const walk = (node: Node): void => {
    const path = staticPath(node);
    if (path !== null) {
      found.add(path);
      return;
    }
    switch (node.type) {
      case 'literal':
      case 'name':
        return;
      case 'member':
        return walk(node.object);
      case 'index':
        walk(node.object);
        return walk(node.index);
      case 'array':
        return node.items.forEach(walk);
      case 'object':
        return node.entries.forEach(([, v]) => walk(v));
      case 'call':
        return node.args.forEach(walk);
      case 'unary':
        return walk(node.operand);
      case 'binary':
      case 'logical':
        walk(node.left);
        return walk(node.right);
      case 'conditional':
        walk(node.test);
        walk(node.then);
        return walk(node.otherwise);
    }
  };
  walk(root);
  return [...found];
}

function staticPath(node: Node): string | null {
  if (node.type === 'name') return node.name;
  if (node.type !== 'member') return null;
  const base = staticPath(node.object);
  if (base === null) return null;
  if (typeof node.key === 'number') return `${base}[${node.key}]`;
  return IDENTIFIER.test(node.key) ? `${base}.${node.key}` : `${base}[${JSON.stringify(node.key)}]`;
}
