import { z } from 'zod';

/**
 * Two services: the Wazuh server API (`:55000`, username/password exchanged for a JWT that lives 900 s by default)
 * for the manager's version and the actions, and the Wazuh indexer (OpenSearch, `:9200`, HTTP basic auth against
 * its security plugin) where the alerts are.
 */
export const WazuhSettings = z.object({
  url: z.string().url().describe('Wazuh server API, e.g. https://wazuh.example.org:55000'),
  username: z.string().min(1).default('wazuh-wui'),
  password: z.string().min(1).describe('Server API password (secret)'),
  indexerUrl: z.string().url().describe('Wazuh indexer, e.g. https://wazuh-indexer.example.org:9200'),
  indexerUsername: z.string().min(1).default('admin'),
  indexerPassword: z.string().min(1).describe('Indexer password (secret)'),
  indexPattern: z
    .string()
    .min(1)
    .default('wazuh-alerts-*')
    .refine((p) => !/[\s/?#]/.test(p), { message: 'an index pattern has no spaces, slashes, ? or #' }),
  /** Alerts per search request; the indexer refuses more than 10,000 (index.max_result_window). */
  pageSize: z.number().int().min(1).max(10_000).default(500),
  /** How far back the first pull reaches, as OpenSearch date math: `24h`, `7d`. */
  lookback: z
    .string()
    .regex(/^\d+[smhdwMy]$/, 'a number and a unit, e.g. 24h or 7d')
    .default('24h'),
  /**
   * Alerts newer than this are left for the next pull (`0s`: none). Filebeat ships alerts.json to the indexer a few
   * seconds late, and search_after never goes back for an alert that arrives behind the cursor.
   */
  settle: z
    .string()
    .regex(/^\d+[smh]$/, 'a number and a unit, e.g. 30s or 1m')
    .default('0s'),
  timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
  allowSelfSigned: z.boolean().default(false),
  caFile: z.string().min(1).optional(),
});
export type WazuhSettings = z.infer<typeof WazuhSettings>;

export const WAZUH_SECRET_FIELDS = ['password', 'indexerPassword'] as const;
