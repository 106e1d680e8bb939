import type { FormatDef } from './types.js';

/** Every source format Quell reads, in the order `--format` lists them. */
export const allFormats: readonly FormatDef[] = [];
