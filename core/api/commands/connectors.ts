import { z } from 'zod';
import { CaseId, ImportSummary } from '../../model/index.js';
import { defineCommand } from '../contract.js';
import { ImportTotals } from './evidence.js';

/** A configured connector's name: what the CLI and the journal call it. */
export const ConnectorName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1–64 letters, digits, dot, dash or underscore, starting with a letter or digit');

export const ActionImpact = z.object({
  changes: z.string(),
  reversible: z.boolean(),
  undo: z.string().optional(),
  risk: z.enum(['low', 'medium', 'high']),
});

export const SettingsField = z.object({
  name: z.string(),
  /** JSON Schema type of the field (`string`, `integer`, `boolean`, `object`, …) or `unknown`. */
  type: z.string(),
  required: z.boolean(),
  /** Kept in the secret store, never in the database; shown as `<stored>`. */
  secret: z.boolean(),
  description: z.string().optional(),
  default: z.unknown().optional(),
  enum: z.array(z.unknown()).optional(),
});

export const VendorManifest = z.object({
  id: z.string(),
  vendor: z.string(),
  format: z.string(),
  capabilities: z.object({ pullAlerts: z.boolean(), queryEvents: z.boolean(), actions: z.array(z.string()) }),
  settings: z.array(SettingsField),
  /** The whole settings schema as JSON Schema, for forms. */
  settingsSchema: z.record(z.string(), z.unknown()),
  actions: z.array(z.object({ name: z.string(), summary: z.string(), impact: ActionImpact, input: z.record(z.string(), z.unknown()) })),
});

export const Schedule = z.object({ caseId: CaseId, everyMinutes: z.number().int().min(1).max(7 * 24 * 60) });

export const ConnectorInfo = z.object({
  name: z.string(),
  vendor: z.string(),
  /** False when the vendor is not built into this Quell (a database from a build with more connectors). */
  known: z.boolean(),
  enabled: z.boolean(),
  /** Secret fields show as `<stored>` or `<missing>`, never their values. */
  settings: z.record(z.string(), z.unknown()),
  schedule: z.object({ caseId: z.string(), everyMinutes: z.number().int() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  running: z.boolean(),
  lastPull: z.object({
    at: z.string().nullable(),
    status: z.string().nullable(),
    summary: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
  }),
  cursors: z.array(z.object({ caseId: z.string(), pages: z.number().int(), records: z.number().int(), updatedAt: z.string() })),
});

export const PullOutput = z.object({
  connector: z.string(),
  caseId: z.string(),
  files: z.array(ImportSummary),
  totals: ImportTotals,
  pages: z.number().int(),
  /** HTTP calls made (a call retried three times counts once) and the retries among them. */
  requests: z.number().int(),
  retries: z.number().int(),
  /** The connector said there is nothing more right now. */
  caughtUp: z.boolean(),
  /** Stopped by connector.stop (or the app quitting); run it again to resume. */
  stopped: z.boolean(),
});

export const ActionStatus = z.enum(['running', 'pending', 'done', 'failed']);

export const listVendors = defineCommand({
  name: 'connector.vendors',
  summary: 'The connector vendors this Quell knows: settings (which are secret), capabilities, actions and their impact',
  mutates: false,
  input: z.object({}),
  output: z.object({ vendors: z.array(VendorManifest) }),
});

export const addConnector = defineCommand({
  name: 'connector.add',
  summary: "Configure a connector: settings checked by the vendor's schema, secrets to the secret store",
  mutates: true,
  input: z.object({
    vendor: z.string().min(1),
    name: ConnectorName,
    settings: z.record(z.string(), z.unknown()),
    enabled: z.boolean().default(true),
    schedule: Schedule.nullable().default(null),
  }),
  output: ConnectorInfo,
});

export const listConnectors = defineCommand({
  name: 'connector.list',
  summary: 'Configured connectors with their settings (secrets as <stored>), schedule, cursors and last pull',
  mutates: false,
  input: z.object({}),
  output: z.object({ connectors: z.array(ConnectorInfo) }),
});

export const updateConnector = defineCommand({
  name: 'connector.update',
  summary: 'Enable or disable a connector, set or clear its schedule, change settings (given keys replace, null removes)',
  mutates: true,
  input: z.object({
    name: z.string().min(1),
    enabled: z.boolean().optional(),
    schedule: Schedule.nullable().optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  }),
  output: ConnectorInfo,
});

export const removeConnector = defineCommand({
  name: 'connector.remove',
  summary: 'Remove a connector, its cursors and its stored secrets (pulled records and action history stay)',
  mutates: true,
  input: z.object({ name: z.string().min(1) }),
  output: z.object({ removed: z.string() }),
});

export const testConnector = defineCommand({
  name: 'connector.test',
  summary: 'Check a connector reaches its system and authenticates, changing nothing there',
  mutates: 'batched',
  input: z.object({ name: z.string().min(1) }),
  output: z.object({ name: z.string(), ok: z.boolean(), message: z.string(), durationMs: z.number().int(), requests: z.number().int() }),
});

export const pullConnector = defineCommand({
  name: 'connector.pull',
  summary: "Pull a connector's new alerts into a case (resumes from its cursor), then regroup incidents",
  mutates: 'batched',
  input: z.object({ name: z.string().min(1), caseId: CaseId, maxPages: z.number().int().min(1).optional() }),
  output: PullOutput,
});

export const stopConnector = defineCommand({
  name: 'connector.stop',
  summary: "Stop a connector's running pull after the page in flight (committed pages stay; pull again to resume)",
  mutates: false,
  input: z.object({ name: z.string().min(1) }),
  output: z.object({ stopped: z.boolean() }),
});

export const runAction = defineCommand({
  name: 'connector.action',
  summary: 'Run a response action once per idempotency key; poll a pending one to completion',
  mutates: 'batched',
  input: z.object({
    name: z.string().min(1),
    action: z.string().min(1),
    input: z.unknown(),
    /** Same key, same intent: a key already done returns its stored outcome. Default: derived from name, action and input. */
    key: z.string().min(1).max(200).optional(),
    caseId: CaseId.optional(),
    /** How long to poll a pending action before answering `pending` (default 60). */
    waitSeconds: z.number().min(0).max(3600).optional(),
  }),
  output: z.object({
    connector: z.string(),
    vendor: z.string(),
    action: z.string(),
    key: z.string(),
    status: ActionStatus,
    outcome: z.record(z.string(), z.unknown()),
    replayed: z.boolean(),
    polls: z.number().int(),
    requestedAt: z.string(),
    finishedAt: z.string().nullable(),
    durationMs: z.number(),
    impact: ActionImpact,
  }),
});

export const listActions = defineCommand({
  name: 'connector.actions',
  summary: 'Action calls made through connectors, newest first',
  mutates: false,
  input: z.object({ name: z.string().min(1).optional(), limit: z.number().int().min(1).max(1000).default(100) }),
  output: z.object({
    actions: z.array(
      z.object({
        connector: z.string(),
        vendor: z.string(),
        action: z.string(),
        key: z.string(),
        caseId: z.string().nullable(),
        input: z.unknown(),
        status: ActionStatus,
        poll: z.record(z.string(), z.unknown()).nullable(),
        outcome: z.record(z.string(), z.unknown()).nullable(),
        lastError: z.string().nullable(),
        polls: z.number().int(),
        requestedAt: z.string(),
        updatedAt: z.string(),
        finishedAt: z.string().nullable(),
      }),
    ),
  }),
});
