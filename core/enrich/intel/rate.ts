import { QuellError } from '../../api/index.js';
import type { Actor, IntelRating, Routing, Thresholds } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { DEFAULT_THRESHOLDS, requiredConfirmations, route, tally } from './thresholds.js';

export function currentThresholds(store: Store): { thresholds: Thresholds; isDefault: boolean } {
  const stored = store.intel.thresholds();
  return stored ? { thresholds: stored, isDefault: false } : { thresholds: DEFAULT_THRESHOLDS, isDefault: true };
}

export interface RateResult {
  feedCount: number;
  thresholds: Thresholds;
  required: { automatic: number; analyst: number };
  counts: Record<Routing, number>;
  rated: { eventId: string; routing: Routing; confirmations: number; feeds: IntelRating['feeds'] }[];
}

/**
 * Rates records of a case by how many feeds confirm their indicators and stores each rating with its record: every
 * alert of the case, or the records named (of any kind, so that a responder can rate a telemetry record they
 * consider an alert). One journal entry per call with the counts and the thresholds used.
 */
export function rateRecords(store: Store, caseId: string, eventIds: string[] | undefined, ctx: { at: string; actor: Actor }): RateResult {
  const feedCount = store.intel.feedCount();
  if (feedCount === 0) throw new QuellError('conflict', 'No threat-intel feeds are imported, so nothing can confirm an indicator; import one first (quell intel import).');
  const { thresholds } = currentThresholds(store);
  const required = requiredConfirmations(thresholds, feedCount);
  const ids = eventIds ?? store.intel.alertIds(caseId);
  for (const id of eventIds ?? []) {
    if (!store.intel.eventExists(caseId, id)) throw new QuellError('not_found', `No record ${id} in case ${caseId}.`, { details: { caseId, eventId: id } });
  }
  const counts: Record<Routing, number> = { automatic: 0, analyst: 0, discard: 0 };
  const rated: RateResult['rated'] = [];
  store.write(() => {
    for (const eventId of ids) {
      const t = tally(store.intel.confirmations(eventId));
      const routing = route(t.confirmations, required);
      const rating: IntelRating = { routing, confirmations: t.confirmations, feedCount, feeds: t.feeds, indicators: t.indicators, thresholds, required, ratedAt: ctx.at };
      store.intel.saveRating(caseId, eventId, rating, ctx.at);
      counts[routing]++;
      rated.push({ eventId, routing, confirmations: t.confirmations, feeds: t.feeds });
    }
    store.journal.append({
      at: ctx.at,
      caseId,
      actor: ctx.actor,
      action: 'intel.rated',
      payload: {
        records: ids.length,
        counts,
        feedCount,
        thresholds,
        required,
        // Which record went where, while the list stays readable; the assessments table holds every one.
        ...(ids.length <= 100 ? { routings: Object.fromEntries(rated.map((r) => [r.eventId, r.routing])) } : {}),
      },
    });
  });
  return { feedCount, thresholds, required, counts, rated };
}
