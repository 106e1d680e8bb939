import { sigmaAttack } from '../detect/attack/index.js';
import { loadRules, resolveRulesPath } from '../detect/sigma/load.js';
import { runSigma } from '../detect/sigma/run.js';
import type { SigmaRunner } from '../detect/sigma/worker.js';
import type { Handler } from '../router.js';
import { requireCase } from './cases.js';

export const listSigmaRules: Handler<'sigma.rules'> = (input, ctx) => {
  const caseId = input.caseId;
  if (caseId) requireCase(ctx.store.cases.get(caseId), caseId);
  const rulesPath = resolveRulesPath(input.rulesPath);
  const engine = loadRules(rulesPath);
  return {
    rulesPath,
    rules: engine.rules.map((rule) => {
      const { levelAssumed, ...info } = rule.info;
      const { threat } = sigmaAttack(info.tags);
      return {
        ...info,
        levelAssumed,
        techniques: threat?.technique?.id ?? [],
        tactics: threat?.tactic?.name ?? [],
        condition: rule.conditionText,
        formats: engine.formatsFor(rule),
      };
    }),
    rejected: engine.rejected,
    ...(caseId ? { detections: ctx.store.read(() => ctx.store.events.alertsByRule(caseId, 'sigma')) } : {}),
  };
};

/** sigma.run through the injected runner (a worker in the hosts) or in this thread (the CLI). */
export const runSigmaRules =
  (runner: SigmaRunner | undefined): Handler<'sigma.run'> =>
  async (input, ctx) => {
    requireCase(ctx.store.cases.get(input.caseId), input.caseId);
    const run = { caseId: input.caseId, rulesPath: resolveRulesPath(input.rulesPath) };
    if (!runner) return runSigma(ctx.store, run, { actor: ctx.actor, clock: ctx.clock });
    const result = await runner(run, ctx.actor);
    // Announce the worker's journal entries now rather than at the next watcher tick, so they precede the answer.
    ctx.store.pollExternalCommits();
    return result;
  };
