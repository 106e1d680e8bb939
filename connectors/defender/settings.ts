import { z } from 'zod';

/**
 * What a responder configures to reach Defender for Endpoint: an Entra ID app registration (tenant, client id and
 * secret) with the Alert.Read.All, Machine.Isolate, Machine.Scan, Machine.CollectForensics and Machine.Read.All
 * application roles. The account actions (disable a user, revoke sessions, remove an app credential) go to Microsoft
 * Graph with the same app: they need the Graph application permissions User.EnableDisableAccount.All + User.Read.All,
 * User.RevokeSessions.All and Application.ReadWrite.OwnedBy (or .All).
 */
export const DefenderSettings = z.object({
  /** API base; geo hosts (`https://eu.api.security.microsoft.com`) are faster and equivalent. */
  url: z.string().url().default('https://api.security.microsoft.com'),
  /** Entra ID sign-in host; the token endpoint is `<loginUrl>/<tenantId>/oauth2/v2.0/token`. */
  loginUrl: z.string().url().default('https://login.microsoftonline.com'),
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scope: z.string().min(1).default('https://api.securitycenter.microsoft.com/.default'),
  /** Microsoft Graph base, for the Entra ID account actions (national clouds have their own host). */
  graphUrl: z.string().url().default('https://graph.microsoft.com'),
  /** A token is for one resource: Graph calls get their own, for this scope. */
  graphScope: z.string().min(1).default('https://graph.microsoft.com/.default'),
  /** `$top` of each alerts page; the API caps it at 10,000. */
  pageSize: z.number().int().min(1).max(10_000).default(500),
  /** Where a first pull starts, in hours before now (`alertCreationTime ge …`). */
  lookbackHours: z.number().int().min(1).max(24 * 365 * 10).default(24),
  timeoutMs: z.number().int().min(1_000).max(600_000).default(30_000),
  /** PEM file of a CA to trust besides the system's (a TLS-inspecting proxy). */
  caFile: z.string().min(1).optional(),
  /** Skip certificate verification: lab systems only. */
  allowSelfSigned: z.boolean().default(false),
});
export type DefenderSettings = z.infer<typeof DefenderSettings>;

export const SECRET_FIELDS = ['clientSecret'] as const;
