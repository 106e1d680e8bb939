export * from './ids.js';
export * from './case.js';
export * from './journal.js';
export * from './event.js';
export * from './detection.js';
