// Entry of the import worker when Quell runs from its TypeScript sources (tests, `node --import tsx cli/bin.ts`):
// Node 20 does not carry a parent's --import loader into workers, so the worker registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
