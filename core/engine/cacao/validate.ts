import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { checkSemantics } from './semantics.js';
import type { CacaoIssue } from './types.js';
import { isObject } from './types.js';

const PLAYBOOK_SCHEMA_ID = 'https://raw.githubusercontent.com/oasis-open/cacao-json-schemas/main/schemas/playbook.json';

// Compiling the 51 schemas takes a noticeable moment; a validator is built once per schema folder.
const compiled = new Map<string, ValidateFunction>();

function schemaFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? schemaFiles(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []))
    .sort();
}

function playbookValidator(schemasDir: string): ValidateFunction {
  const key = path.resolve(schemasDir);
  let validate = compiled.get(key);
  if (validate) return validate;
  // The schemas declare draft-07 but use `unevaluatedProperties` and `$defs`. Ajv's draft-07 class with
  // strict: false ignores the unknown keyword, which is the only mode in which real playbooks pass (the 2019/2020
  // classes reject every command; see the CACAO README §5). $defs refs still resolve as plain JSON pointers.
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true });
  for (const file of schemaFiles(key)) ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
  validate = ajv.getSchema(PLAYBOOK_SCHEMA_ID);
  if (!validate) throw new Error(`no schema with $id ${PLAYBOOK_SCHEMA_ID} in ${key}`);
  compiled.set(key, validate);
  return validate;
}

function describeAjvError(error: ErrorObject): string {
  const found = error.data === undefined ? '' : ` (found ${JSON.stringify(error.data)})`;
  switch (error.keyword) {
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}${found}`;
    case 'pattern':
      return `must match ${(error.params as { pattern: string }).pattern}${found}`;
    case 'required':
      return `lacks the required field "${(error.params as { missingProperty: string }).missingProperty}"`;
    default:
      return `${error.message ?? error.keyword}${typeof error.data === 'object' ? '' : found}`;
  }
}

/**
 * Checks a CACAO v2.0 playbook: first against the OASIS schemas (draft-07 semantics), then for what the schemas do
 * not check — references between steps and definitions, successor rules and cycles. An empty list means valid.
 */
export function validateCacao(doc: unknown, schemasDir: string): CacaoIssue[] {
  const issues: CacaoIssue[] = [];
  const validate = playbookValidator(schemasDir);
  const workflowIsArray = isObject(doc) && Array.isArray(doc.workflow);
  if (!validate(doc)) {
    for (const error of validate.errors ?? []) {
      const at = error.instancePath.replace(/^\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('/');
      // The pre-2.0 shape gets one clear message below instead of "must be object".
      if (workflowIsArray && at === 'workflow' && error.keyword === 'type') continue;
      issues.push({ path: at || '(playbook)', message: describeAjvError(error) });
    }
  }
  if (workflowIsArray) {
    issues.push({
      path: 'workflow',
      message: 'workflow is a JSON array (the pre-2.0 shape); CACAO 2.0 needs an object keyed by step id',
    });
  }
  if (isObject(doc) && isObject(doc.workflow)) issues.push(...checkSemantics(doc as Parameters<typeof checkSemantics>[0]));
  return dedupe(issues);
}

function dedupe(issues: CacaoIssue[]): CacaoIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
