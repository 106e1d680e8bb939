// The only entry the hosts (cli/, electron/main) import from core.
export { openCore, type Core, type CoreOptions } from './app.js';
export { EncryptedFileSecretStore, EnvSecretStore, LayeredSecretStore, secretEnvName, type SecretStore } from './connect/secrets.js';
export { startConnectorScheduler, type ConnectorScheduler, type SchedulerOptions } from './connect/scheduler.js';
export { Router } from './router.js';
export { seedDemo } from './demo/seed.js';
export { pullDemoConnectors, startDemoConnectors, stopDemoPulls, type DemoConnectors, type DemoVendor } from './demo/connectors.js';
export { resolveDataLocation, type DataLocation } from './store/index.js';
export { systemClock, randomIds, sequentialIds, steppingClock, type Clock, type IdSource } from './runtime.js';
export * from './api/index.js';
export * from './model/index.js';
export { loadRules, matchFile, resolveRulesPath, type FileRecordMatch } from './detect/sigma/index.js';
