import { z } from 'zod';
import { Level } from './event.js';

/** A Sigma log source: what kind of record a rule is written for. */
export const SigmaLogsource = z.object({
  product: z.string().optional(),
  category: z.string().optional(),
  service: z.string().optional(),
});
export type SigmaLogsource = z.infer<typeof SigmaLogsource>;

/** A loaded Sigma rule, as the rule browser lists it. */
export const SigmaRuleSummary = z.object({
  id: z.string(),
  title: z.string(),
  level: Level,
  /** The rule gave no level; `medium` is assumed. */
  levelAssumed: z.boolean(),
  status: z.string().nullable(),
  description: z.string(),
  author: z.string(),
  date: z.string().nullable(),
  modified: z.string().nullable(),
  references: z.array(z.string()),
  falsepositives: z.array(z.string()),
  tags: z.array(z.string()),
  /** ATT&CK technique ids from `attack.tNNNN[.NNN]` tags, upper-cased. */
  techniques: z.array(z.string()),
  /** ATT&CK tactic names from `attack.<tactic>` tags (`Credential Access`). */
  tactics: z.array(z.string()),
  logsource: SigmaLogsource,
  /** The rule file, relative to the rules folder. */
  file: z.string(),
  /** The condition as written (several conditions joined with `or`). */
  condition: z.string(),
  /** Quell formats whose records can reach the rule; empty when nothing Quell reads carries its log source. */
  formats: z.array(z.string()),
});
export type SigmaRuleSummary = z.infer<typeof SigmaRuleSummary>;

/** A rule file the engine refused, with the reason (never silently skipped). */
export const SigmaRejection = z.object({
  file: z.string(),
  reason: z.string(),
  id: z.string().optional(),
  title: z.string().optional(),
});
export type SigmaRejection = z.infer<typeof SigmaRejection>;

/**
 * One value of the matching record that made the rule fire. `paths` say where it is in the record's `original`
 * (dotted, as the source spells it: `CommandLine`, `Event.EventData.CommandLine`, `id_orig_h`; `[i]` for list
 * items); a path starting `@normalised.` is in the normalised document instead. Empty paths: the rule matched the
 * field's absence (`null`, `exists: false`).
 */
export const SigmaMatchedField = z.object({
  selection: z.string(),
  /** The Sigma field name as the rule writes it; `''` for a keyword found in any value. */
  field: z.string(),
  modifiers: z.array(z.string()),
  paths: z.array(z.string()),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  /** The rule values it met, as the rule writes them. */
  patterns: z.array(z.string()),
});
export type SigmaMatchedField = z.infer<typeof SigmaMatchedField>;

/** `doc.detection` of an alert that `sigma.run` stored: which rule fired on which record, and why. */
export const SigmaDetection = z.object({
  engine: z.literal('sigma'),
  rule: z.object({
    id: z.string(),
    title: z.string(),
    level: Level,
    status: z.string().nullable(),
    description: z.string(),
    author: z.string(),
    references: z.array(z.string()),
    falsepositives: z.array(z.string()),
    tags: z.array(z.string()),
    logsource: SigmaLogsource,
    file: z.string(),
    condition: z.string(),
  }),
  /** The record the rule matched (an `events` row of the same case). */
  record: z.object({ id: z.string(), format: z.string(), file: z.string(), line: z.number().int(), ts: z.string() }),
  /** How the record was read: its route (`Sysmon 1`, `Security 4688`, `zeek kerberos`) and field mapping. */
  route: z.string(),
  mapping: z.string(),
  matches: z.array(SigmaMatchedField),
});
export type SigmaDetection = z.infer<typeof SigmaDetection>;
