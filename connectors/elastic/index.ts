// Elastic Security: detection alerts from Kibana / Elasticsearch, alert status and host isolation; and its emulator.
export { connector } from './connector.js';
export { elasticEmulator as emulator } from './emulator/index.js';
export type { ElasticEmulatorOptions } from './emulator/index.js';
