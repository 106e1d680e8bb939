import { SCHEMA_VERSION } from '../store/index.js';
import type { Handler } from '../router.js';

export const systemInfo =
  (version: string): Handler<'system.info'> =>
  (_input, ctx) => ({
    version,
    schemaVersion: SCHEMA_VERSION,
    dbPath: ctx.store.path,
    journalHeadSeq: ctx.store.journal.headSeq(),
  });
