import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuellError } from '../../api/errors.js';
import { defaultSchemasDir } from './import.js';

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/cacao');
export const schemasDir = defaultSchemasDir();
export const readFixture = (rel: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, rel), 'utf8'));

/** The valid examples, each of which must import and round-trip. */
export const VALID = [
  'oasis-tcs-cacao/basic-example-1.json',
  'oasis-tcs-cacao/spec-3.1-example.json',
  'soarca/examples/caldera/flow-control.json',
  'soarca/examples/http-playbook.json',
  'soarca/examples/manual-playbook.json',
  'synthetic/every-step-type.json',
];

/** The error thrown by `fn`, which must be a QuellError. */
export function quellError(fn: () => unknown): QuellError {
  try {
    fn();
  } catch (e) {
    if (e instanceof QuellError) return e;
    throw e;
  }
  throw new Error('expected a QuellError');
}
