import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml';
import { parseCsv } from '../assets/csv.js';
import { badRow } from '../assets/errors.js';
import { countsOf, type ParsedGraph } from './parsed-graph.js';

const COLUMNS = ['service', 'depends_on', 'weight'] as const;

/** Collects `service depends on X` rows into nodes and edges; a repeated pair is an error naming both places. */
class Builder {
  private readonly nodes = new Map<string, ParsedGraph['nodes'][number]>();
  private readonly edges = new Map<string, { edge: ParsedGraph['edges'][number]; where: string }>();
  constructor(private readonly file: string) {}

  add(where: string, service: string | null, dependsOn: string[], weightText: string | null): void {
    if (service === null) throw badRow(this.file, where, 'service', 'a row needs a service name');
    let weight: number | null = null;
    if (weightText !== null) {
      weight = Number(weightText);
      if (!Number.isFinite(weight) || weight < 0) throw badRow(this.file, where, 'weight', `"${weightText}" is not a number of zero or more`);
    }
    this.node(service);
    for (const target of dependsOn) {
      if (target === service) throw badRow(this.file, where, 'depends_on', `${service} cannot depend on itself`);
      this.node(target);
      const key = `${service}\0${target}`;
      const first = this.edges.get(key);
      if (first) throw badRow(this.file, where, 'depends_on', `${service} → ${target} is already given at ${first.where}`);
      this.edges.set(key, { edge: { from: service, to: target, weight, normal: null, warning: null, danger: null }, where });
    }
  }

  private node(name: string): void {
    if (!this.nodes.has(name)) this.nodes.set(name, { id: name, name, kind: 'service', parent: null, implicit: false });
  }

  build(): ParsedGraph {
    const nodes = [...this.nodes.values()];
    const edges = [...this.edges.values()].map((e) => e.edge);
    return { nodes, edges, counts: countsOf(nodes, edges) };
  }
}

const trimmed = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());

/** CSV with the header service,depends_on[,weight]; depends_on may list several services separated by `;`. */
export function parseDepsCsv(file: string, text: string): ParsedGraph {
  const parsed = parseCsv(text);
  if ('error' in parsed) throw badRow(file, `line ${parsed.line}`, null, parsed.error);
  const [header, ...records] = parsed.records;
  if (!header) throw badRow(file, 'line 1', null, 'the file is empty; expected the header service,depends_on,weight');
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  for (const c of columns) {
    if (!(COLUMNS as readonly string[]).includes(c)) throw badRow(file, `line ${header.line}`, c, `unknown column; the columns are ${COLUMNS.join(', ')}`);
  }
  if (!columns.includes('service')) throw badRow(file, `line ${header.line}`, 'service', 'the header has no service column');
  const b = new Builder(file);
  for (const r of records) {
    if (r.cells.length !== columns.length) throw badRow(file, `line ${r.line}`, null, `${r.cells.length} cells where the header has ${columns.length}`);
    const cell = (name: string) => trimmed(r.cells[columns.indexOf(name)]);
    const deps = (cell('depends_on') ?? '').split(';').map((s) => s.trim()).filter(Boolean);
    b.add(`line ${r.line}`, cell('service'), deps, cell('weight'));
  }
  return b.build();
}

/**
 * YAML: a list (or `dependencies:` holding one) of `{service, depends_on, weight}`, where depends_on is one name or
 * a list of names.
 */
export function parseDepsYaml(file: string, text: string): ParsedGraph {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: unknown) => {
    const range = (node as Node | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  const firstError = doc.errors[0];
  if (firstError) throw badRow(file, `line ${lineCounter.linePos(firstError.pos[0]).line}`, null, `not valid YAML: ${firstError.message.split('\n')[0]}`);
  const top = doc.contents;
  const seq: unknown = isMap(top) ? top.get('dependencies', true) : top;
  if (!isSeq(seq)) throw badRow(file, `line ${lineOf(doc.contents)}`, null, 'expected a list of {service, depends_on, weight} (or a "dependencies:" key holding one)');
  const b = new Builder(file);
  for (const item of seq.items) {
    const where = `line ${lineOf(item)}`;
    if (!isMap(item)) throw badRow(file, where, null, 'each entry must be a map with service, depends_on and optionally weight');
    const row: Record<string, unknown> = {};
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key).toLowerCase();
      if (!(COLUMNS as readonly string[]).includes(key)) throw badRow(file, `line ${lineOf(pair.key)}`, key, `unknown field; the fields are ${COLUMNS.join(', ')}`);
      row[key] = (pair.value as Node | null)?.toJSON() as unknown;
    }
    const service = typeof row.service === 'string' || typeof row.service === 'number' ? trimmed(String(row.service)) : null;
    const raw = row.depends_on;
    const deps = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
    if (!deps.every((d) => typeof d === 'string' || typeof d === 'number')) throw badRow(file, where, 'depends_on', 'expected a service name or a list of them');
    const weight = row.weight === undefined || row.weight === null ? null : String(row.weight);
    b.add(where, service, deps.map((d) => String(d).trim()).filter(Boolean), weight);
  }
  return b.build();
}
