import { z } from 'zod';
import { defineCommand } from '../contract.js';

export const systemInfo = defineCommand({
  name: 'system.info',
  summary: 'Which database is open and which version of Quell serves it',
  mutates: false,
  input: z.object({}).default({}),
  output: z.object({
    version: z.string(),
    schemaVersion: z.number().int(),
    dbPath: z.string(),
    journalHeadSeq: z.number().int().nonnegative(),
  }),
});
