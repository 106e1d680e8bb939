import { z } from 'zod';
import { CaseId } from './ids.js';

/** Who or what caused a state change. Every journal entry names one. */
export const Actor = z.object({
  kind: z.enum(['analyst', 'playbook', 'importer', 'connector', 'system']),
  id: z.string().min(1).max(200),
  runId: z.string().optional(),
  stepId: z.string().optional(),
});
export type Actor = z.infer<typeof Actor>;

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const JournalEntry = z.object({
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  caseId: CaseId.nullable(),
  actor: Actor,
  action: z.string(),
  payload: z.unknown(),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const VerifyFailureReason = z.enum([
  'edited', // content no longer matches its own hash
  'broken_link', // prev_hash does not match the entry before it in its chain
  'missing', // a sequence number is absent
  'truncated', // the recorded chain head is past the newest entry
  'unrecorded', // entries exist beyond the recorded chain head
  'malformed', // a stored field cannot be read at all
]);
export type VerifyFailureReason = z.infer<typeof VerifyFailureReason>;

export const VerifyReport = z.object({
  ok: z.boolean(),
  scope: z.union([z.literal('all'), CaseId]),
  entriesChecked: z.number().int().nonnegative(),
  chainsChecked: z.number().int().nonnegative(),
  headSeq: z.number().int().nonnegative(),
  firstBad: z
    .object({ seq: z.number().int(), reason: VerifyFailureReason, message: z.string() })
    .optional(),
});
export type VerifyReport = z.infer<typeof VerifyReport>;
