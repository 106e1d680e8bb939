import { z } from 'zod';

/** A Kibana space id: lower-case letters, digits, `_` and `-` (Kibana's own rule for space ids). */
const SpaceId = z.string().regex(/^[a-z0-9_-]+$/, 'a Kibana space id: lower-case letters, digits, _ and -');

/** `30m`, `24h`, `7d`: how far back the first pull reaches (Elasticsearch date math `now-<lookback>`). */
const Lookback = z.string().regex(/^[1-9][0-9]*[smhd]$/, 'a duration such as 30m, 24h or 7d');

/**
 * Elastic Security settings. Kibana is always needed (status, alert status, response actions); with an
 * Elasticsearch URL the pull reads the alerts index directly with a point in time and `search_after`, which is the
 * only cursor Elastic offers (Kibana's signals/search route strips `search_after`, so without it the pull narrows a
 * time range instead). `apiKey` is the `encoded` value Elasticsearch returns when the key is created.
 */
export const ElasticSettings = z
  .object({
    url: z.url({ protocol: /^https?$/ }).describe('Kibana URL, e.g. https://kibana.example:5601'),
    esUrl: z.url({ protocol: /^https?$/ }).optional().describe('Elasticsearch URL, for point-in-time + search_after pulls'),
    space: SpaceId.default('default').describe('Kibana space id; non-default spaces prefix paths with /s/<space>'),
    auth: z.enum(['apiKey', 'basic']).describe('apiKey: Authorization: ApiKey <encoded>; basic: user name and password'),
    apiKey: z.string().min(1).optional().describe('the encoded API key (base64 of id:api_key), as Elasticsearch returns it; secret'),
    username: z.string().min(1).optional().describe('user name for basic auth'),
    password: z.string().min(1).optional().describe('password for basic auth; secret'),
    alertsIndex: z.string().min(1).optional().describe('alerts index or alias; default .alerts-security.alerts-<space>'),
    pageSize: z.number().int().min(1).max(10_000).default(500).describe('alerts per page (at most 10,000, the result window)'),
    lookback: Lookback.default('24h').describe('how far back the first pull reaches: 30m, 24h, 7d'),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000).describe('per request, in milliseconds'),
    tls: z
      .object({
        caFile: z.string().min(1).optional(),
        allowSelfSigned: z.boolean().default(false),
      })
      .default({ allowSelfSigned: false })
      .describe('caFile: a PEM CA to trust; allowSelfSigned: skip certificate checks (lab systems only)'),
    rateLimitPerSecond: z.number().positive().optional().describe('at most this many requests per second'),
  })
  .superRefine((s, ctx) => {
    if (s.auth === 'apiKey' && !s.apiKey) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'auth "apiKey" needs apiKey (the encoded key)' });
    if (s.auth === 'basic' && (!s.username || !s.password)) {
      ctx.addIssue({ code: 'custom', path: [s.username ? 'password' : 'username'], message: 'auth "basic" needs username and password' });
    }
  });

export type ElasticSettings = z.infer<typeof ElasticSettings>;

export const SECRET_FIELDS = ['apiKey', 'password'] as const;

export function authorization(s: ElasticSettings): string {
  if (s.auth === 'apiKey') return `ApiKey ${s.apiKey ?? ''}`;
  return `Basic ${Buffer.from(`${s.username ?? ''}:${s.password ?? ''}`).toString('base64')}`;
}

/** Non-default spaces prefix every Kibana path with `/s/<space>`. */
export const kibanaPath = (s: ElasticSettings, path: string) => (s.space === 'default' ? path : `/s/${s.space}${path}`);

export const alertsIndex = (s: ElasticSettings) => s.alertsIndex ?? `.alerts-security.alerts-${s.space}`;
