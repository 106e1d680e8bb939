import { z } from 'zod';

/**
 * Where the Splunk management port is and how to sign in. `token`: an authentication token (Settings → Tokens),
 * sent as `Bearer` (JWT) or `Splunk` (a session key someone copied); `session`: username and password exchanged at
 * `/services/auth/login` for a session key, renewed when it expires (what Splunk's own SDK does); `basic`: username
 * and password on every request.
 */
export const SplunkSettings = z
  .object({
    url: z.string().url().describe('Management port, e.g. https://splunk.example.org:8089'),
    authKind: z.enum(['token', 'session', 'basic']).default('token'),
    token: z.string().min(1).optional().describe('Authentication token (secret)'),
    tokenScheme: z.enum(['Bearer', 'Splunk']).default('Bearer'),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional().describe('Password (secret)'),
    /** The namespace searches run in: `/servicesNS/<owner>/<app>/…`. */
    app: z.string().min(1).default('SplunkEnterpriseSecuritySuite'),
    owner: z.string().min(1).default('nobody'),
    /** The alert search; must start with a command (`search …`, or `| …` for a generating command). */
    query: z
      .string()
      .min(1)
      .default('search `notable`')
      .refine((q) => /^\s*(search\s|\|)/.test(q), { message: 'the query must start with "search " or "|" (Splunk runs it as SPL)' }),
    /** Where the first pull starts: relative (`-24h`, `-7d@d`), epoch seconds or ISO-8601; `0` means all time. */
    earliestTime: z.string().min(1).default('-24h'),
    /**
     * Where each pull's search ends. `now` reads everything indexed so far; `-5m` leaves late-indexed events (a
     * forwarder catching up) for the next pull, since the high-water mark never moves back to fetch them.
     */
    latestTime: z.string().min(1).default('now'),
    /** Result rows per request (`count`); Splunk's maxresultrows is 50,000 by default. */
    pageSize: z.number().int().min(1).max(50_000).default(1000),
    timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
    /** How long a pull waits for its search job to finish before giving up. */
    jobTimeoutMs: z.number().int().min(1000).max(3_600_000).default(300_000),
    allowSelfSigned: z.boolean().default(false),
    caFile: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.authKind === 'token' && !s.token) ctx.addIssue({ code: 'custom', path: ['token'], message: 'authKind "token" needs a token' });
    if (s.authKind !== 'token') {
      if (!s.username) ctx.addIssue({ code: 'custom', path: ['username'], message: `authKind "${s.authKind}" needs a username` });
      if (!s.password) ctx.addIssue({ code: 'custom', path: ['password'], message: `authKind "${s.authKind}" needs a password` });
    }
  });
export type SplunkSettings = z.infer<typeof SplunkSettings>;

export const SPLUNK_SECRET_FIELDS = ['token', 'password'] as const;
