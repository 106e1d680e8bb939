export { importAssets } from './assets/import.js';
export { resolveAsset, queryFor } from './assets/resolve.js';
export { importDependencies } from './dependencies/import.js';
export { blastRadius } from './dependencies/blast-radius.js';
