// Splunk Enterprise / Enterprise Security: notable events (or any search's results) pulled through search jobs,
// notable status updates and saved-search runs; and its emulator. The only file others import.
export { splunkConnector as connector } from './connector.js';
export { splunkEmulator as emulator, startSplunkEmulator, SPLUNK_EMULATOR_TOKEN } from './emulator/index.js';
export type { RunningSplunkEmulator } from './emulator/index.js';
export { SplunkSettings } from './settings.js';
