export { SigmaEngine, type Hit, type MatchedField, type Rejection, type RuleSource } from './engine.js';
export { loadRules, readRuleSources, resolveRulesPath, shippedRulesDir } from './load.js';
export { matchFile, type FileRecordMatch } from './match-files.js';
export { runSigma, detectionId, type SigmaRunInput, type SigmaRunResult } from './run.js';
export { workerSigmaRunner, type SigmaRunner } from './worker.js';
export type { CompiledRule, RuleInfo } from './rule.js';
export type { RecordView } from './sources.js';
