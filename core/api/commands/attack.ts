import { z } from 'zod';
import { AttackLookupResult, AttackMatrix, CaseId } from '../../model/index.js';
import { defineCommand } from '../contract.js';

export const attackLookup = defineCommand({
  name: 'attack.lookup',
  summary: 'Look up an ATT&CK technique (id or name, revoked ids redirected) or tactic (id, shortname or name)',
  mutates: false,
  input: z.object({ query: z.string().trim().min(1, 'name a technique or tactic').max(200) }),
  output: AttackLookupResult,
});

export const attackMatrix = defineCommand({
  name: 'attack.matrix',
  summary: "The case's ATT&CK matrix: tactics in order, techniques with alerts and how many (sub-techniques rolled up)",
  mutates: false,
  input: z.object({ caseId: CaseId }),
  output: AttackMatrix.extend({ caseId: CaseId }),
});
