import { z } from 'zod';
import { AlertAssessment, CaseId, EventId, FeedFormat, FeedRef, FeedSummary, Reliability, Routing, Thresholds, Validation } from '../../model/index.js';
import { defineCommand } from '../contract.js';

const ThresholdsView = z.object({
  thresholds: Thresholds,
  isDefault: z.boolean(),
  feedCount: z.number().int(),
  required: z.object({ automatic: z.number().int(), analyst: z.number().int() }),
});

export const importFeed = defineCommand({
  name: 'intel.feed.import',
  summary: 'Import a threat-intel feed (STIX 2.1 bundle, MISP JSON event, CSV list), replacing the feed of that name',
  mutates: true,
  input: z.object({
    path: z.string().min(1),
    name: z.string().trim().min(1).max(100),
    reliability: Reliability,
    format: FeedFormat.optional(),
  }),
  output: FeedSummary.extend({ replaced: z.boolean() }),
});

export const listFeeds = defineCommand({
  name: 'intel.feed.list',
  summary: 'List the threat-intel feeds with what each import took and left',
  mutates: false,
  input: z.object({}).default({}),
  output: z.object({ feeds: z.array(FeedSummary) }),
});

export const getThresholds = defineCommand({
  name: 'intel.thresholds.get',
  summary: 'The confidence thresholds and what they need with the feeds imported now',
  mutates: false,
  input: z.object({}).default({}),
  output: ThresholdsView,
});

export const setThresholds = defineCommand({
  name: 'intel.thresholds.set',
  summary: 'Set how many confirming feeds route an alert to automatic response or to an analyst',
  mutates: true,
  input: z.object({ thresholds: Thresholds }),
  output: ThresholdsView,
});

export const rateAlerts = defineCommand({
  name: 'intel.rate',
  summary: "Rate a case's alerts (or the records named) by how many feeds confirm their indicators, and store it",
  mutates: true,
  input: z.object({ caseId: CaseId, eventIds: z.array(EventId).min(1).max(1000).optional() }),
  output: z.object({
    feedCount: z.number().int(),
    thresholds: Thresholds,
    required: z.object({ automatic: z.number().int(), analyst: z.number().int() }),
    counts: z.record(Routing, z.number().int()),
    rated: z.array(z.object({ eventId: EventId, routing: Routing, confirmations: z.number().int(), feeds: z.array(FeedRef) })),
  }),
});

export const validateAlerts = defineCommand({
  name: 'alert.validate',
  summary: 'Qualify alerts about a malicious IP by internal connections to it, or mark them not relevant',
  mutates: true,
  input: z.object({
    caseId: CaseId,
    alertId: EventId.optional(),
    ips: z.array(z.string().min(1)).min(1).max(100).optional(),
    windowDays: z.number().positive().max(3650).default(30),
  }),
  output: z.object({
    windowDays: z.number(),
    counts: z.object({ qualified: z.number().int(), not_relevant: z.number().int() }),
    results: z.array(Validation.extend({ eventId: EventId })),
  }),
});

export const getAssessment = defineCommand({
  name: 'intel.assessment.get',
  summary: "A record's stored confidence rating and validation",
  mutates: false,
  input: z.object({ caseId: CaseId, eventId: EventId }),
  output: AlertAssessment,
});
