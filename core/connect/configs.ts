// Configured connectors: rows of `connectors` (settings without secrets) and the settings a connector runs with
// (stored settings + secrets from the secret store, validated by the vendor's schema).
import { QuellError, type ApiIssue } from '../api/errors.js';
import type { Connector } from '../../connectors/sdk/index.js';
import type { Store } from '../store/index.js';
import type { ConnectRuntime } from './runtime.js';
import type { SecretStore } from './secrets.js';

export const STORED = '<stored>';
export const MISSING = '<missing>';

export interface ConnectorRow {
  name: string;
  vendor: string;
  settings: Record<string, unknown>;
  enabled: boolean;
  schedule: { caseId: string; everyMinutes: number } | null;
  createdAt: string;
  updatedAt: string;
  lastPull: { at: string | null; status: string | null; summary: Record<string, unknown> | null; error: string | null };
}

interface Raw {
  name: string;
  vendor: string;
  settings: string;
  enabled: number;
  schedule_case_id: string | null;
  schedule_every_minutes: number | null;
  created_at: string;
  updated_at: string;
  last_pull_at: string | null;
  last_pull_status: string | null;
  last_pull_summary: string | null;
  last_error: string | null;
}

const fromRaw = (r: Raw): ConnectorRow => ({
  name: r.name,
  vendor: r.vendor,
  settings: JSON.parse(r.settings) as Record<string, unknown>,
  enabled: r.enabled === 1,
  schedule: r.schedule_case_id && r.schedule_every_minutes ? { caseId: r.schedule_case_id, everyMinutes: r.schedule_every_minutes } : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastPull: {
    at: r.last_pull_at,
    status: r.last_pull_status,
    summary: r.last_pull_summary ? (JSON.parse(r.last_pull_summary) as Record<string, unknown>) : null,
    error: r.last_error,
  },
});

export function listConnectorRows(store: Store): ConnectorRow[] {
  return (store.db.prepare('SELECT * FROM connectors ORDER BY name').all() as Raw[]).map(fromRaw);
}

export function findConnectorRow(store: Store, name: string): ConnectorRow | undefined {
  const r = store.db.prepare('SELECT * FROM connectors WHERE name = ?').get(name) as Raw | undefined;
  return r ? fromRaw(r) : undefined;
}

export function requireConnectorRow(store: Store, name: string): ConnectorRow {
  const row = findConnectorRow(store, name);
  if (!row) {
    const known = listConnectorRows(store).map((r) => r.name);
    throw new QuellError('not_found', `No connector named ${name}${known.length ? ` (configured: ${known.join(', ')})` : ' (none is configured)'}.`, {
      details: { name },
    });
  }
  return row;
}

/** Top-level secret fields of a settings object, split off. */
export function splitSecrets(connector: Connector, settings: Record<string, unknown>): { plain: Record<string, unknown>; secrets: Record<string, string> } {
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  const secretFields = new Set(connector.manifest.secretFields);
  for (const [k, v] of Object.entries(settings)) {
    if (secretFields.has(k)) {
      if (v === STORED) continue; // the list output fed back: keep what is stored
      if (typeof v !== 'string') {
        throw new QuellError('invalid_input', `Invalid settings: ${k} is a secret and must be a string.`, { issues: [{ path: `settings.${k}`, message: 'expected a string' }] });
      }
      secrets[k] = v;
    } else plain[k] = v;
  }
  return { plain, secrets };
}

/** Stored settings with secrets shown as `<stored>` (or `<missing>`): what list and the journal show. */
export function publicSettings(connector: Connector | undefined, name: string, plain: Record<string, unknown>, secrets: SecretStore | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...plain };
  for (const field of connector?.manifest.secretFields ?? []) {
    let present = false;
    try {
      present = secrets?.get(name, field) !== undefined;
    } catch {
      present = false;
    }
    out[field] = present ? STORED : MISSING;
  }
  return out;
}

/** The full settings a connector runs with; validation errors name the field and never echo a secret value. */
export function validateSettings(connector: Connector, name: string, merged: Record<string, unknown>): Record<string, unknown> {
  const parsed = connector.manifest.settings.safeParse(merged);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issues: ApiIssue[] = parsed.error.issues.map((i) => ({ path: ['settings', ...i.path.map(String)].join('.'), message: i.message }));
  throw new QuellError(
    'invalid_input',
    `Invalid settings for ${connector.manifest.id} connector ${name}: ${issues.map((i) => `${i.path.slice('settings.'.length) || 'settings'}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

/** Stored settings + secrets, validated: what `ctx.settings` holds. */
export function runSettings(rt: ConnectRuntime, row: ConnectorRow): { connector: Connector; settings: Record<string, unknown> } {
  const connector = rt.vendor(row.vendor);
  const merged: Record<string, unknown> = { ...row.settings };
  const missing: string[] = [];
  for (const field of connector.manifest.secretFields) {
    const v = rt.secrets().get(row.name, field);
    if (v !== undefined) merged[field] = v;
    else missing.push(field);
  }
  try {
    return { connector, settings: validateSettings(connector, row.name, merged) };
  } catch (e) {
    if (missing.length && e instanceof QuellError) {
      throw new QuellError(
        'invalid_input',
        `Connector ${row.name} has no ${missing.join(', ')} in ${rt.secrets().label}: set it with connector.update (quell connector add/update) or provide it there.`,
        { details: { name: row.name, missing } },
      );
    }
    throw e;
  }
}
