// The one entry point of the connector SDK: the contract vendors implement and core calls.
export type * from './contract.js';
export type * from './emulator-contract.js';
