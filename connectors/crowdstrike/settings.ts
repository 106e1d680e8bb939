import { z } from 'zod';

/**
 * What a responder configures to reach CrowdStrike Falcon: an API client (client id and secret) with the scopes
 * Alerts: Read, Hosts: Read/Write (containment) and Real Time Response: Read/Write (memory dump).
 */
export const CrowdStrikeSettings = z.object({
  /** The cloud: US-1 `https://api.crowdstrike.com`, US-2 `https://api.us-2.crowdstrike.com`, EU-1 `https://api.eu-1.crowdstrike.com`. */
  url: z.string().url().default('https://api.crowdstrike.com'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** MSSP (Flight Control): the child CID the token is for. */
  memberCid: z.string().regex(/^[0-9a-fA-F]{32}(-[0-9a-fA-F]{2})?$/, 'a CID is 32 hex characters').optional(),
  /** An extra FQL filter ANDed to the time window, e.g. `product:'epp'+severity:>=50`. */
  filter: z.string().min(1).optional(),
  /** Alert ids per page; the entities call takes at most 1,000. */
  pageSize: z.number().int().min(1).max(1_000).default(500),
  /** Where a first pull starts, in hours before now (`created_timestamp:>=…`). */
  lookbackHours: z.number().int().min(1).max(24 * 365 * 10).default(24),
  timeoutMs: z.number().int().min(1_000).max(600_000).default(30_000),
  /** PEM file of a CA to trust besides the system's (a TLS-inspecting proxy). */
  caFile: z.string().min(1).optional(),
  /** Skip certificate verification: lab systems only. */
  allowSelfSigned: z.boolean().default(false),
});
export type CrowdStrikeSettings = z.infer<typeof CrowdStrikeSettings>;

export const SECRET_FIELDS = ['clientSecret'] as const;
