import { z } from 'zod';

/** One ATT&CK tactic: a column of the matrix, `order` 1–14 from left to right. */
export const AttackTactic = z.object({
  id: z.string(),
  shortname: z.string(),
  name: z.string(),
  order: z.number().int(),
  url: z.string(),
});
export type AttackTactic = z.infer<typeof AttackTactic>;

const TacticRef = AttackTactic.pick({ id: true, shortname: true, name: true });

export const AttackTechnique = z.object({
  id: z.string(),
  name: z.string(),
  /** `Parent: Sub` for a sub-technique, as ATT&CK itself displays them; the name alone for a technique. */
  fullName: z.string(),
  tactics: z.array(TacticRef),
  platforms: z.array(z.string()),
  isSubtechnique: z.boolean(),
  parent: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Active sub-techniques of a technique (empty for a sub-technique). */
  subtechniques: z.array(z.object({ id: z.string(), name: z.string() })),
  deprecated: z.boolean(),
  revoked: z.boolean(),
  revokedBy: z.string().nullable(),
  url: z.string(),
});
export type AttackTechnique = z.infer<typeof AttackTechnique>;

/** A technique found by a lookup; `redirectedFrom` lists the revoked ids followed to reach it, first asked first. */
export const AttackTechniqueMatch = AttackTechnique.extend({ redirectedFrom: z.array(z.string()) });
export type AttackTechniqueMatch = z.infer<typeof AttackTechniqueMatch>;

export const AttackLookupResult = z.object({
  query: z.string(),
  version: z.string(),
  /** How the query was understood: an id, a tactic shortname or name, a technique name (exact or partial). */
  matchedBy: z.enum(['technique-id', 'tactic-id', 'tactic-name', 'technique-name', 'technique-name-partial']),
  tactics: z.array(AttackTactic),
  techniques: z.array(AttackTechniqueMatch),
});
export type AttackLookupResult = z.infer<typeof AttackLookupResult>;

export const AttackMatrixCell = z.object({
  id: z.string(),
  name: z.string(),
  /** Alerts tagged with the technique or any of its sub-techniques, each alert counted once. */
  alerts: z.number().int(),
  subtechniques: z.array(z.object({ id: z.string(), name: z.string(), alerts: z.number().int() })),
});
export type AttackMatrixCell = z.infer<typeof AttackMatrixCell>;

export const AttackMatrix = z.object({
  version: z.string(),
  tactics: z.array(AttackTactic.extend({ techniques: z.array(AttackMatrixCell) })),
  /** Alerts in the case that carry at least one technique id. */
  taggedAlerts: z.number().int(),
  /** Technique ids on alerts that the catalogue does not know (newer ATT&CK, vendor typos), with their alert counts. */
  unmapped: z.array(z.object({ id: z.string(), alerts: z.number().int() })),
});
export type AttackMatrix = z.infer<typeof AttackMatrix>;
