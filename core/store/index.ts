export { Store } from './store.js';
export { Journal, GENESIS_HASH, entryHash } from './journal.js';
export { resolveDataLocation, DB_FILE, type DataLocation } from './location.js';
export { SCHEMA_VERSION } from './migrations/index.js';
export { canonicalJson } from './canonical-json.js';
export { redactSecrets, REDACTED } from './redact.js';
export { hostParts, type AssetImport, type AssetInput, type NetworkInput } from './repositories/assets.js';
export type { DepsImport } from './repositories/dependencies.js';
export type { IndicatorRow, NewFeed } from './repositories/intel.js';
