import { z } from 'zod';
import { CaseId, SigmaRejection, SigmaRuleSummary } from '../../model/index.js';
import { defineCommand } from '../contract.js';

const RulesPath = z.string().min(1).max(4096);

export const listSigmaRules = defineCommand({
  name: 'sigma.rules',
  summary: 'List Sigma rules (the shipped ones, or a rule file or folder) with what each applies to, and any rejected with the reason',
  mutates: false,
  input: z.object({ rulesPath: RulesPath.optional(), caseId: CaseId.optional() }).default({}),
  output: z.object({
    /** The rule file or folder that was read. */
    rulesPath: z.string(),
    rules: z.array(SigmaRuleSummary),
    rejected: z.array(SigmaRejection),
    /** With a case: the Sigma detections stored in it, per rule id (any rule set's, not only the listed rules'). */
    detections: z.record(z.string(), z.number().int()).optional(),
  }),
});

export const SigmaRunSummary = z.object({
  rulesPath: z.string(),
  rules: z.object({
    loaded: z.number().int(),
    rejected: z.array(SigmaRejection),
    /** Loaded rules whose log source no format Quell reads carries (AWS, Okta …): they cannot fire. */
    unroutable: z.number().int(),
  }),
  /** Records of the case the rules were run over (records of formats no rule applies to are not read). */
  records: z.number().int(),
  /** Records whose original could not be read by field name (Zeek TSV lines imported before their headers were kept). */
  unreadable: z.number().int(),
  /** Rule matches found; `stored` of them are new alerts, `duplicates` were stored by an earlier run. */
  detections: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  byRule: z.array(z.object({ id: z.string(), title: z.string(), level: z.string(), count: z.number().int() })),
  /** Incidents in the case after regrouping. */
  incidents: z.number().int(),
});

export const runSigma = defineCommand({
  name: 'sigma.run',
  summary: "Run Sigma rules over a case's records, store each detection as an alert, then regroup incidents",
  mutates: 'batched',
  input: z.object({ caseId: CaseId, rulesPath: RulesPath.optional() }),
  output: SigmaRunSummary,
});
