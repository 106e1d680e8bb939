import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../../api/index.js';

/** The text of an inventory or dependency file, or an error naming it and why it could not be read. */
export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : err instanceof Error ? err.message : String(err);
    throw new QuellError('not_found', `Cannot read ${file}: ${why}.`, { details: { file } });
  }
}

/** The format an extension implies, or an error listing the formats and the option that names one. */
export function formatFromExtension<F extends string>(file: string, byExt: Record<string, F>, option: string): F {
  const ext = path.extname(file).toLowerCase();
  const format = byExt[ext];
  if (format === undefined) {
    const formats = [...new Set(Object.values(byExt))].join(', ');
    throw new QuellError('invalid_input', `${file}: cannot tell the format from "${ext || 'no extension'}"; name it with ${option} (${formats}).`, {
      details: { file },
    });
  }
  return format;
}
