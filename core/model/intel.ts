import { z } from 'zod';
import { CaseId } from './ids.js';
import { EventId } from './event.js';

/** The entity types an indicator can name; the same words and canonical forms as case entities, so they join. */
export const IndicatorType = z.enum(['ip', 'domain', 'url', 'hash']);
export type IndicatorType = z.infer<typeof IndicatorType>;

export const FeedFormat = z.enum(['stix', 'misp', 'csv']);
export type FeedFormat = z.infer<typeof FeedFormat>;

/**
 * Source reliability on the Admiralty scale (NATO AJP-2.1): A completely reliable, B usually reliable, C fairly
 * reliable, D not usually reliable, E unreliable, F reliability cannot be judged. A grade of the source, not of any
 * one indicator: it is shown beside each confirmation so the analyst can weigh it.
 */
export const Reliability = z.enum(['A', 'B', 'C', 'D', 'E', 'F']);
export type Reliability = z.infer<typeof Reliability>;

/** What an import read and did not take, so that nothing in a feed vanishes unexplained. */
export const FeedReport = z.object({
  /** Indicators stored (after dropping repeats of the same type and canonical value). */
  indicators: z.number().int(),
  byType: z.record(z.string(), z.number().int()),
  duplicates: z.number().int(),
  /** STIX patterns Quell cannot turn into indicators (AND, FOLLOWEDBY, CIDR ranges…), each with where and why. */
  unsupported: z.array(z.object({ ref: z.string(), reason: z.string() })),
  /** Records that carry no indicator Quell uses (STIX identity, MISP `comment`, to_ids false…), counted by reason. */
  skipped: z.record(z.string(), z.number().int()),
});
export type FeedReport = z.infer<typeof FeedReport>;

export const FeedSummary = z.object({
  id: z.string(),
  name: z.string(),
  format: FeedFormat,
  reliability: Reliability,
  file: z.string(),
  sha256: z.string(),
  importedAt: z.string(),
  report: FeedReport,
});
export type FeedSummary = z.infer<typeof FeedSummary>;

/**
 * How many confirming feeds a routing needs, in terms that survive adding or removing feeds: an absolute count
 * (`atLeast`), all feeds but n (`allBut`), or a share of the feeds (`fraction`, rounded up).
 */
export const ThresholdRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('atLeast'), n: z.number().int().min(1) }),
  z.object({ kind: z.literal('allBut'), n: z.number().int().min(0) }),
  z.object({ kind: z.literal('fraction'), f: z.number().gt(0).max(1) }),
]);
export type ThresholdRule = z.infer<typeof ThresholdRule>;

export const Thresholds = z.object({ automatic: ThresholdRule, analyst: ThresholdRule });
export type Thresholds = z.infer<typeof Thresholds>;

export const Routing = z.enum(['automatic', 'analyst', 'discard']);
export type Routing = z.infer<typeof Routing>;

export const FeedRef = z.object({ name: z.string(), reliability: Reliability });
export type FeedRef = z.infer<typeof FeedRef>;

export const IntelRating = z.object({
  routing: Routing,
  /** Feeds confirming the best-confirmed indicator of the record. */
  confirmations: z.number().int(),
  feedCount: z.number().int(),
  /** Every feed that confirmed any indicator of the record. */
  feeds: z.array(FeedRef),
  indicators: z.array(z.object({ type: IndicatorType, canonical: z.string(), feeds: z.array(FeedRef) })),
  thresholds: Thresholds,
  /** The thresholds resolved against feedCount: the confirmations each routing needed. */
  required: z.object({ automatic: z.number().int(), analyst: z.number().int() }),
  ratedAt: z.string(),
});
export type IntelRating = z.infer<typeof IntelRating>;

export const ConnectionEvidence = z.object({
  eventId: EventId,
  format: z.string(),
  ts: z.string(),
  internalIp: z.string(),
  host: z.string().nullable(),
  maliciousIp: z.string(),
  destinationPort: z.number().int().nullable(),
  bytes: z.number().int().nullable(),
});
export type ConnectionEvidence = z.infer<typeof ConnectionEvidence>;

export const Validation = z.object({
  status: z.enum(['qualified', 'not_relevant']),
  reason: z.string(),
  ips: z.array(z.string()),
  /** Where the IPs came from: confirmed by a feed, or named by the analyst. */
  ipSource: z.enum(['feeds', 'explicit']),
  windowDays: z.number(),
  from: z.string(),
  to: z.string(),
  evidence: z.array(ConnectionEvidence),
  validatedAt: z.string(),
});
export type Validation = z.infer<typeof Validation>;

export const AlertAssessment = z.object({
  eventId: EventId,
  caseId: CaseId,
  rating: IntelRating.nullable(),
  validation: Validation.nullable(),
});
export type AlertAssessment = z.infer<typeof AlertAssessment>;
