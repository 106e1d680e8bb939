// CACAO v2.0 import, export and validation for Quell playbooks. See README.md.
export { validateCacao } from './validate.js';
export { fromCacao, defaultSchemasDir, type ImportOptions } from './import.js';
export { toCacao, type ExportOptions } from './export.js';
export { stixToQuell, quellToStix, ConditionError } from './condition.js';
export { QUELL_EXTENSION, QUELL_IDENTITY, QUELL_AGENT, RESPONDER_AGENT } from './quell-extension.js';
export type { CacaoIssue, MappingNote } from './types.js';
