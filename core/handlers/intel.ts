import { QuellError } from '../api/index.js';
import { currentThresholds, importFeed as importFeedFile, rateRecords, requiredConfirmations, validateAlerts } from '../enrich/intel/index.js';
import type { AlertAssessment } from '../model/index.js';
import type { Handler, HandlerContext } from '../router.js';
import { requireCase } from './cases.js';

export const importFeed: Handler<'intel.feed.import'> = (input, ctx) =>
  importFeedFile(ctx.store, input, { id: ctx.ids.next('feed'), at: ctx.now(), actor: ctx.actor });

export const listFeeds: Handler<'intel.feed.list'> = (_input, ctx) => ({ feeds: ctx.store.read(() => ctx.store.intel.listFeeds()) });

function thresholdsView(ctx: HandlerContext) {
  const { thresholds, isDefault } = currentThresholds(ctx.store);
  const feedCount = ctx.store.intel.feedCount();
  return { thresholds, isDefault, feedCount, required: requiredConfirmations(thresholds, feedCount) };
}

export const getThresholds: Handler<'intel.thresholds.get'> = (_input, ctx) => ctx.store.read(() => thresholdsView(ctx));

export const setThresholds: Handler<'intel.thresholds.set'> = (input, ctx) => {
  const before = currentThresholds(ctx.store).thresholds;
  ctx.store.intel.setThresholds(input.thresholds);
  ctx.journal(null, 'intel.thresholds.set', { before, after: input.thresholds });
  return thresholdsView(ctx);
};

export const rateAlerts: Handler<'intel.rate'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return rateRecords(ctx.store, input.caseId, input.eventIds, { at: ctx.now(), actor: ctx.actor }) as ReturnType<Handler<'intel.rate'>>;
};

export const validate: Handler<'alert.validate'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return validateAlerts(ctx.store, input.caseId, input, { at: ctx.now(), actor: ctx.actor }) as ReturnType<Handler<'alert.validate'>>;
};

export const getAssessment: Handler<'intel.assessment.get'> = (input, ctx) =>
  ctx.store.read(() => {
    if (!ctx.store.intel.eventExists(input.caseId, input.eventId)) {
      throw new QuellError('not_found', `No record ${input.eventId} in case ${input.caseId}.`, { details: { ...input } });
    }
    const found = ctx.store.intel.assessment(input.caseId, input.eventId);
    return { caseId: input.caseId, eventId: input.eventId, rating: found?.rating ?? null, validation: found?.validation ?? null } as AlertAssessment;
  });
