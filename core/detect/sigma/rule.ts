// A Sigma rule file: its metadata checked, its detection compiled once into tests and a condition tree.
import { parseCondition, usedIdentifiers, type Condition } from './condition.js';
import { compileFieldTest, RuleError, type FieldTest } from './fields.js';
import { isValueMap, parseRuleYaml, toPlain, YamlError, YamlNumber, type Value, type ValueMap } from './yaml.js';

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof LEVELS)[number];

export interface Logsource {
  product?: string;
  category?: string;
  service?: string;
}

export interface RuleInfo {
  id: string;
  title: string;
  /** stable, test, experimental, deprecated, unsupported — as the rule says; null when it says nothing. */
  status: string | null;
  level: SigmaLevel;
  /** The rule gave no level and `medium` was assumed. */
  levelAssumed: boolean;
  description: string;
  author: string;
  date: string | null;
  modified: string | null;
  references: string[];
  falsepositives: string[];
  tags: string[];
  logsource: Logsource;
  /** The file, relative to the rules folder it was loaded from (`/` separators). */
  file: string;
}

/** One search identifier: it holds when any alternative holds, an alternative when all its tests hold. */
export interface Selection {
  name: string;
  alternatives: FieldTest[][];
}

export interface CompiledRule {
  info: RuleInfo;
  selections: Selection[];
  condition: Condition;
  conditionText: string;
  /** Field names the detection reads, as written (without modifiers). */
  fields: string[];
}

const str = (v: Value | undefined): string | undefined =>
  typeof v === 'string' ? v : v instanceof YamlNumber ? v.text : typeof v === 'boolean' ? String(v) : undefined;
const strList = (v: Value | undefined): string[] =>
  v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map((x) => str(x)).filter((x): x is string => x !== undefined);

/**
 * Parses and compiles one rule file's text. Throws RuleError (or YamlError) saying what cannot be run; `file` is
 * only recorded. `slotOf` interns field names so that every rule of an engine shares one field table.
 */
export function compileRule(text: string, file: string, slotOf: (field: string) => number): CompiledRule {
  let doc: Value;
  try {
    doc = parseRuleYaml(text);
  } catch (err) {
    if (err instanceof YamlError) throw new RuleError(`not valid YAML: ${err.message}`);
    throw err;
  }
  if (!isValueMap(doc)) throw new RuleError('a rule file must hold one YAML map (title, logsource, detection …)');
  if ('correlation' in doc) throw new RuleError('correlation rules (which count or order the matches of other rules over time) are not supported');
  if ('filter' in doc && !('detection' in doc)) throw new RuleError('Sigma filters (meta filters applied to other rules) are not supported');

  const title = str(doc.title)?.trim();
  if (!title) throw new RuleError('the rule has no title');
  const id = str(doc.id)?.trim();
  if (!id) throw new RuleError('the rule has no id; Quell keys its detections by rule id, so every rule needs one');

  const levelText = str(doc.level)?.trim().toLowerCase();
  if (levelText !== undefined && !(LEVELS as readonly string[]).includes(levelText)) {
    throw new RuleError(`level "${levelText}" is not one of ${LEVELS.join(', ')}`);
  }

  const ls = doc.logsource;
  if (!isValueMap(ls)) throw new RuleError('the rule has no logsource map');
  const logsource: Logsource = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const v = ls[key];
    if (v === undefined || v === null) continue;
    const s = str(v);
    if (s === undefined) throw new RuleError(`logsource.${key} must be text`);
    logsource[key] = s.trim().toLowerCase();
  }
  if (!logsource.product && !logsource.category && !logsource.service) {
    throw new RuleError('the logsource names no product, category or service, so no record can be routed to the rule');
  }

  const detection = doc.detection;
  if (!isValueMap(detection)) throw new RuleError('the rule has no detection map');
  if ('timeframe' in detection) throw new RuleError('detection.timeframe belongs to aggregations, which are not supported');
  const conditionValue = detection.condition;
  const conditions = strList(conditionValue);
  if (!conditions.length || (Array.isArray(conditionValue) && conditions.length !== conditionValue.length)) {
    throw new RuleError('detection.condition must be a condition text or a list of them');
  }

  const names = Object.keys(detection).filter((k) => k !== 'condition');
  if (!names.length) throw new RuleError('the detection defines no search identifiers');
  const fields = new Set<string>();
  const intern = (field: string) => {
    fields.add(field);
    return slotOf(field);
  };
  const selections = names.map((name) => compileSelection(name, detection[name]!, intern));

  const trees = conditions.map((c) => parseCondition(c, names));
  const condition: Condition = trees.length === 1 ? trees[0]! : { t: 'or', xs: trees };
  const used = usedIdentifiers(condition);
  // Unused identifiers are harmless (Sigma allows them) but their fields need not be read.
  void used;

  const plain = toPlain(doc) as Record<string, unknown>;
  const info: RuleInfo = {
    id,
    title,
    status: str(doc.status)?.trim().toLowerCase() ?? null,
    level: (levelText as SigmaLevel | undefined) ?? 'medium',
    levelAssumed: levelText === undefined,
    description: str(doc.description)?.trim() ?? '',
    author: str(doc.author)?.trim() ?? '',
    date: typeof plain.date === 'string' ? plain.date : null,
    modified: typeof plain.modified === 'string' ? plain.modified : null,
    references: strList(doc.references),
    falsepositives: strList(doc.falsepositives),
    tags: strList(doc.tags).map((t) => t.trim()),
    logsource,
    file,
  };
  return { info, selections, condition, conditionText: conditions.join(' or '), fields: [...fields] };
}

function compileSelection(name: string, value: Value, slotOf: (field: string) => number): Selection {
  const where = (why: string) => new RuleError(`search identifier "${name}": ${why}`);
  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof RuleError) throw where(err.message);
      throw err;
    }
  };
  const mapTests = (map: ValueMap): FieldTest[] => {
    const entries = Object.entries(map);
    if (!entries.length) throw where('a map with no fields');
    return entries.map(([spec, v]) => wrap(() => compileFieldTest(spec, v, slotOf)));
  };
  if (value === null) throw where('it is empty (null)');
  if (isValueMap(value)) return { name, alternatives: [mapTests(value)] };
  if (Array.isArray(value)) {
    if (!value.length) throw where('an empty list');
    const alternatives: FieldTest[][] = [];
    const keywords: Value[] = [];
    for (const item of value) {
      if (isValueMap(item)) alternatives.push(mapTests(item));
      else if (Array.isArray(item)) throw where('a list inside a list');
      else keywords.push(item);
    }
    if (keywords.length) alternatives.unshift([wrap(() => compileFieldTest('', keywords, slotOf))]);
    return { name, alternatives };
  }
  // A single plain value is one keyword.
  return { name, alternatives: [[wrap(() => compileFieldTest('', value, slotOf))]] };
}
