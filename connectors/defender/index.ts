// The Microsoft Defender for Endpoint connector and its emulator: the only entry point of this folder.
export { connector } from './connector.js';
export { emulator } from './emulator/index.js';
