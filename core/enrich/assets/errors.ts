import { QuellError } from '../../api/index.js';

/** A bad row of an inventory or dependency file: which file, where in it, which field, what was wrong. */
export function badRow(file: string, where: string, field: string | null, problem: string): QuellError {
  const at = field === null ? where : `${where}, field "${field}"`;
  return new QuellError('invalid_input', `${file}: ${at}: ${problem}`, { details: { file, where, ...(field === null ? {} : { field }), problem } });
}
