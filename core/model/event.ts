import { z } from 'zod';
import type { SigmaDetection } from './detection.js';
import { CaseId } from './ids.js';

export const EventId = z.string().min(1).max(128).brand<'EventId'>();
export type EventId = z.infer<typeof EventId>;

export const Level = z.enum(['informational', 'low', 'medium', 'high', 'critical']);
export type Level = z.infer<typeof Level>;

/**
 * One normalised record, alert or telemetry event, with ECS field names. Only what every importer must supply is
 * required; the rest is filled where the source has it. `quell.*` holds what ECS has no place for.
 */
export interface NormalizedEvent {
  '@timestamp': string;
  message?: string;
  tags?: string[];
  event: {
    kind: 'alert' | 'event';
    category?: string[];
    type?: string[];
    action?: string;
    code?: string;
    dataset?: string;
    provider?: string;
    module?: string;
    outcome?: string;
    /** The timestamp exactly as the source wrote it, before conversion to UTC. */
    original_time?: string;
    risk_score?: number;
    severity?: number;
  };
  observer?: { vendor?: string; product?: string; name?: string; hostname?: string };
  host?: { name?: string; hostname?: string; domain?: string; ip?: string[]; os?: { name?: string; platform?: string } };
  user?: { name?: string; domain?: string; id?: string; email?: string; target?: { name?: string; domain?: string } };
  source?: { ip?: string; port?: number; domain?: string; user?: { name?: string } };
  destination?: { ip?: string; port?: number; domain?: string };
  network?: { transport?: string; protocol?: string; direction?: string; bytes?: number; packets?: number };
  process?: {
    pid?: number;
    name?: string;
    executable?: string;
    command_line?: string;
    entity_id?: string;
    parent?: { pid?: number; name?: string; executable?: string; command_line?: string; entity_id?: string };
  };
  file?: { path?: string; name?: string; hash?: { md5?: string; sha1?: string; sha256?: string } };
  registry?: { path?: string; value?: string; data?: { strings?: string[] } };
  dns?: { question?: { name?: string; type?: string }; answers?: { data: string }[] };
  url?: { full?: string; domain?: string; path?: string };
  http?: { request?: { method?: string }; response?: { status_code?: number }; user_agent?: string };
  tls?: { server_name?: string; ja3?: string; ja3s?: string };
  rule?: { id?: string; name?: string; description?: string; category?: string; ruleset?: string };
  threat?: { technique?: { id?: string[]; name?: string[] }; tactic?: { id?: string[]; name?: string[] } };
  cloud?: { provider?: string; service?: { name?: string } };
  related?: { ip?: string[]; user?: string[]; hosts?: string[]; hash?: string[] };
  /** On alerts Quell's own detection engines raised (format `sigma`): the rule, the record it matched and why. */
  detection?: SigmaDetection;
  quell: {
    /** The importer that produced this record, e.g. `suricata-eve`. */
    format: string;
    /** 0–100, from whatever scale the vendor uses; the vendor's own value is kept in severityOriginal. */
    risk: number;
    level: Level;
    severityOriginal?: string | number;
    /** Join key of the source when it has one (Zeek `uid`, Suricata `flow_id`, process GUID…). */
    uid?: string;
    /** Why the timestamp was taken from where it was, when it was not the obvious field. */
    timeSource?: string;
    /** ATT&CK ids and tactic names from the source that the catalogue does not know (kept so none vanishes). */
    attackUnresolved?: string[];
  };
}

export const EntityType = z.enum(['host', 'user', 'ip', 'domain', 'url', 'process', 'hash']);
export type EntityType = z.infer<typeof EntityType>;

export const Entity = z.object({ type: EntityType, value: z.string(), canonical: z.string() });
export type Entity = z.infer<typeof Entity>;

/** What the alert queue and timeline show for each row; the full document is fetched for the detail drawer. */
export const EventRow = z.object({
  id: EventId,
  caseId: CaseId,
  kind: z.enum(['alert', 'event']),
  ts: z.string(),
  format: z.string(),
  title: z.string(),
  host: z.string().nullable(),
  user: z.string().nullable(),
  techniques: z.array(z.string()),
  tags: z.array(z.string()),
  risk: z.number().int().min(0).max(100),
  level: Level,
  file: z.string(),
  line: z.number().int(),
});
export type EventRow = z.infer<typeof EventRow>;

export const EventDetail = EventRow.extend({
  doc: z.record(z.string(), z.unknown()),
  original: z.unknown(),
  entities: z.array(Entity),
});
export type EventDetail = z.infer<typeof EventDetail>;

export const QuarantinedRecord = z.object({
  id: z.string(),
  importId: z.string(),
  file: z.string(),
  line: z.number().int(),
  reason: z.string(),
  /** The raw bytes, as text where they decode as UTF-8, else base64. */
  raw: z.string(),
  rawEncoding: z.enum(['utf8', 'base64']),
});
export type QuarantinedRecord = z.infer<typeof QuarantinedRecord>;

export const ImportSummary = z.object({
  importId: z.string(),
  file: z.string(),
  format: z.string(),
  read: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  /** Records skipped on purpose (Suricata `stats`), counted so that nothing vanishes unexplained. */
  skipped: z.number().int(),
  quarantineReasons: z.record(z.string(), z.number().int()),
  skipReasons: z.record(z.string(), z.number().int()),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const IncidentSummary = z.object({
  id: z.string(),
  caseId: CaseId,
  title: z.string(),
  origin: z.enum(['grouped', 'imported']),
  status: z.string(),
  risk: z.number().int(),
  level: Level,
  memberCount: z.number().int(),
  firstTs: z.string().nullable(),
  lastTs: z.string().nullable(),
  summary: z.string(),
  /** Why these records belong together, one sentence per reason. */
  rationale: z.array(z.string()),
  entities: z.array(z.object({ type: z.string(), canonical: z.string(), count: z.number().int() })),
  formats: z.record(z.string(), z.number().int()),
  /** For imported incidents: the vendor's member alert ids (the alerts themselves may not be in the case). */
  externalMemberIds: z.array(z.string()),
});
export type IncidentSummary = z.infer<typeof IncidentSummary>;
