// TEST ONLY: the "Acme Alerts" connector and emulator, shaped like a vendor's index.ts (`connector`, `emulator`).
// Never listed in cli/ or electron/ connector registries; tests pass it to openCore themselves.
export { acmeConnector as connector, AcmeSettings } from './connector.js';
export { acmeEmulator as emulator, acmeAlerts, startAcmeEmulator, ACME_CLIENT_ID, ACME_CLIENT_SECRET, ACME_POLLS_TO_DONE } from './emulator.js';
export type { AcmeAlert, AcmeEmulatorOptions } from './emulator.js';
