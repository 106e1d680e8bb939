import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';

/**
 * A number as the rule wrote it. Sigma compares values as text, so `0x17` must still match the text `0x17` even
 * though YAML reads it as 23; both are kept.
 */
export class YamlNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

export type Scalar = string | boolean | null | YamlNumber;
export type Value = Scalar | Value[] | ValueMap;
export interface ValueMap {
  [key: string]: Value;
}

export const isValueMap = (v: Value | undefined): v is ValueMap =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !(v instanceof YamlNumber);

export class YamlError extends Error {}

/**
 * Parses one rule file. A file must hold exactly one YAML document (Sigma v1 "collections" of several documents
 * are refused); duplicate keys and syntax errors are refused with YAML's own message and position.
 */
export function parseRuleYaml(text: string): Value {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs)) throw new YamlError('not a YAML document stream');
  const real = docs.filter((d) => d.contents !== null || d.errors.length);
  for (const d of real) {
    const err = d.errors[0];
    if (err) throw new YamlError(err.message.split('\n')[0]!.replace(/:$/, ''));
  }
  if (real.length === 0) throw new YamlError('the file is empty');
  if (real.length > 1) {
    throw new YamlError(`the file holds ${real.length} YAML documents; rule collections (several documents in one file) are not supported, put each rule in its own file`);
  }
  const doc = real[0]!;
  return convert(doc.contents, doc, 0);
}

function convert(node: unknown, doc: Document, depth: number): Value {
  if (depth > 64) throw new YamlError('the YAML is nested more than 64 levels deep');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convert(node.resolve(doc), doc, depth + 1);
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number') return new YamlNumber(v, typeof node.source === 'string' ? node.source : String(v));
    if (typeof v === 'bigint') return new YamlNumber(Number(v), String(v));
    if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
    // Timestamps and binary values (YAML 1.1 tags) are kept as their text.
    return typeof node.source === 'string' ? node.source : String(v);
  }
  if (isSeq(node)) return node.items.map((item) => convert(item, doc, depth + 1));
  if (isMap(node)) {
    const out: ValueMap = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (key !== null && typeof key === 'object') throw new YamlError('a map key is itself a map or a list');
      out[String(key)] = convert(pair.value as YamlNode | null, doc, depth + 1);
    }
    return out;
  }
  throw new YamlError(`unexpected YAML node ${String(node)}`);
}

/** Plain JavaScript (numbers as numbers), for the metadata fields. */
export function toPlain(v: Value): unknown {
  if (v instanceof YamlNumber) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (isValueMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}
