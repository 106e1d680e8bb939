// The one entry point of the connector SDK: the contract vendors implement and core calls, and the runtime pieces
// (HTTP client, errors, fault specs, emulator server kit, seeded data) both sides share.
export type * from './contract.js';
export type * from './emulator-contract.js';
export { ConnectorError, httpError, isConnectorError, kindForStatus } from './errors.js';
export type { ConnectorErrorOptions } from './errors.js';
export { abortableSleep, createHttpClient, displayUrl, retryAfterMs, vendorText } from './http.js';
export type { ClosableHttpClient, HttpClientOptions, RequestLog } from './http.js';
export { FAULT_KINDS, formatFaults, parseFaults } from './faults.js';
export { bearerToken, DEFAULT_SLOW_MS, parseBasicAuth, startEmulatorServer } from './emulator.js';
export type { EmulatorContext, EmulatorHooks, EmulatorReply, EmulatorRequest, EmulatorRoute, EmulatorServerDef, StartedEmulator } from './emulator.js';
export { createRng, generatedId, generatedUuid, replicate, timeAt } from './rng.js';
export type { Rng } from './rng.js';
export { defaultHttpSetup, openConnectorContext } from './context.js';
export type { ContextOptions, OpenedContext } from './context.js';
export { clientCredentialsBearer, type ClientCredentials } from './oauth2.js';
