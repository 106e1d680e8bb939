// Wazuh 4.x: alerts pulled from the Wazuh indexer, active response and agent restarts through the server API; and
// its emulator (server API and indexer). The only file others import.
export { wazuhConnector as connector } from './connector.js';
export { wazuhEmulator as emulator, startWazuhEmulator } from './emulator/index.js';
export type { RunningWazuhEmulator, WazuhEmulatorOptions } from './emulator/index.js';
export { WazuhSettings } from './settings.js';
