export * from './ids.js';
export * from './case.js';
export * from './journal.js';
export * from './event.js';
export * from './asset.js';
export * from './intel.js';
export * from './attack.js';
export * from './detection.js';
