import { z } from 'zod';
import { CaseId, EventDetail, EventId, EventRow, ImportSummary, IncidentSummary, Level, QuarantinedRecord } from '../../model/index.js';
import { defineCommand } from '../contract.js';

export const ImportTotals = z.object({
  read: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  skipped: z.number().int(),
  incidents: z.number().int(),
  /** Records read per detected format. */
  byFormat: z.record(z.string(), z.number().int()),
});

export const importEvidence = defineCommand({
  name: 'evidence.import',
  summary: 'Import evidence files into a case, then regroup its incidents',
  mutates: 'batched',
  input: z.object({
    caseId: CaseId,
    paths: z.array(z.string().min(1)).min(1, 'name at least one file').max(1000),
    format: z.string().min(1).optional(),
  }),
  output: z.object({ files: z.array(ImportSummary), totals: ImportTotals }),
});

export const listEvents = defineCommand({
  name: 'event.list',
  summary: "List a case's alerts or events, filtered and sorted",
  mutates: false,
  input: z.object({
    caseId: CaseId,
    kind: z.enum(['alert', 'event']).optional(),
    levels: z.array(Level).optional(),
    host: z.string().optional(),
    user: z.string().optional(),
    technique: z.string().optional(),
    /** One source format, exactly (`sigma` for the detections Sigma rules raised). */
    format: z.string().min(1).max(100).optional(),
    /** The id of the rule that raised the alert (`rule.id`: a Sigma rule's UUID, a vendor's rule id). */
    ruleId: z.string().min(1).max(200).optional(),
    /** One tag, matched whole (case-insensitive). */
    tag: z.string().min(1).max(200).optional(),
    text: z.string().max(500).optional(),
    entity: z.object({ type: z.string(), canonical: z.string() }).optional(),
    sort: z.enum(['ts', 'risk']).default('ts'),
    order: z.enum(['asc', 'desc']).default('asc'),
    limit: z.number().int().min(1).max(1000).default(200),
    offset: z.number().int().min(0).default(0),
  }),
  output: z.object({ rows: z.array(EventRow), total: z.number().int() }),
});

export const getEvent = defineCommand({
  name: 'event.get',
  summary: 'One record: its normalised fields beside the raw original, and its entities',
  mutates: false,
  input: z.object({ caseId: CaseId, eventId: EventId }),
  output: EventDetail,
});

export const listQuarantine = defineCommand({
  name: 'quarantine.list',
  summary: 'Records an import could not take, with file, line, reason and raw bytes',
  mutates: false,
  input: z.object({ caseId: CaseId, limit: z.number().int().min(1).max(1000).default(200), offset: z.number().int().min(0).default(0) }),
  output: z.object({ records: z.array(QuarantinedRecord), total: z.number().int(), reasons: z.record(z.string(), z.number().int()) }),
});

export const listIncidents = defineCommand({
  name: 'incident.list',
  summary: "List a case's incidents with their members, span, entities and why they were grouped",
  mutates: false,
  input: z.object({ caseId: CaseId }),
  output: z.object({ incidents: z.array(IncidentSummary) }),
});

export const regroupIncidents = defineCommand({
  name: 'incident.regroup',
  summary: 'Regroup the records of a case into incidents',
  mutates: 'batched',
  input: z.object({ caseId: CaseId, windowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60) }),
  output: z.object({ incidents: z.number().int(), members: z.number().int() }),
});
