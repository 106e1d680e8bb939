export { importFile, type ImportProgress, type ImportOptions } from './import-file.js';
export { regroupIncidents } from './incidents.js';
export { allFormats } from './formats/index.js';
export { frameRecords, type RawRecord } from './framing.js';
export { extractEntities, canonicalHost, canonicalUser, canonicalIp, canonicalDomain } from './entities.js';
export { toUtc } from './timestamps.js';
export type { FormatDef, NormalizeResult } from './formats/types.js';
export { runImport, type ImportRunner, type ImportInput, type ImportResult, type ImportProgressEvent } from './run-import.js';
export { workerImporter, type WorkerImporterOptions } from './worker-runner.js';
