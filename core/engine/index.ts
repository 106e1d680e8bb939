export { EngineRuntime, type EngineOptions, type StartRun } from './runtime.js';
export { PlaybookLibrary, findPlaybooksDir, type LibraryEntry } from './library.js';
export { playbookFromText, convertPlaybookText, type MappingNote } from './playbook-text.js';
export { playbookGraph, type PlaybookNode, type PlaybookEdge } from './graph.js';
export { checkPlaybook } from './compile.js';
export { readDocument, parseQuellPlaybook } from './load.js';
export { assessRisk } from './risk.js';
export { BUILTINS } from './builtins.js';
