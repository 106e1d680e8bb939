import { z } from 'zod';
import { QuellError } from '../api/index.js';
import type { Connector } from '../../connectors/sdk/index.js';
import { openConnectorContext } from '../../connectors/sdk/index.js';
import { runConnectorAction, listActions as listActionRows } from '../connect/action.js';
import {
  findConnectorRow,
  listConnectorRows,
  publicSettings,
  requireConnectorRow,
  runSettings,
  splitSecrets,
  validateSettings,
  type ConnectorRow,
} from '../connect/configs.js';
import { connectorFailure } from '../connect/failure.js';
import { pullConnector, stopPull } from '../connect/pull.js';
import { CallLog } from '../connect/request-log.js';
import type { ConnectRuntime } from '../connect/runtime.js';
import type { Handler, Handlers, HandlerContext } from '../router.js';
import type { Store } from '../store/index.js';

type ConnectorHandlers = Pick<
  Handlers,
  | 'connector.vendors'
  | 'connector.add'
  | 'connector.list'
  | 'connector.update'
  | 'connector.remove'
  | 'connector.test'
  | 'connector.pull'
  | 'connector.stop'
  | 'connector.action'
  | 'connector.actions'
>;

export function connectorHandlers(rt: ConnectRuntime): ConnectorHandlers {
  const info = (store: Store, row: ConnectorRow) => {
    const connector = rt.connectors.get(row.vendor);
    const cursors = store.db
      .prepare('SELECT case_id AS caseId, pages, records, updated_at AS updatedAt FROM connector_cursors WHERE connector = ? ORDER BY case_id')
      .all(row.name) as { caseId: string; pages: number; records: number; updatedAt: string }[];
    return {
      name: row.name,
      vendor: row.vendor,
      known: connector !== undefined,
      enabled: row.enabled,
      settings: publicSettings(connector, row.name, row.settings, rt.options.secrets),
      schedule: row.schedule,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      running: rt.running.has(row.name),
      lastPull: row.lastPull,
      cursors,
    };
  };

  /** Secrets to the secret store (validated first, with the full settings), plain settings returned for the row. */
  const acceptSettings = (connector: Connector, name: string, plainBefore: Record<string, unknown>, given: Record<string, unknown>) => {
    const { plain: plainGiven, secrets } = splitSecrets(connector, given);
    const plain = { ...plainBefore };
    for (const [k, v] of Object.entries(plainGiven)) {
      if (v === null) delete plain[k];
      else plain[k] = v;
    }
    const merged: Record<string, unknown> = { ...plain };
    for (const field of connector.manifest.secretFields) {
      const v = secrets[field] ?? safeGet(rt, name, field);
      if (v !== undefined) merged[field] = v;
    }
    validateSettings(connector, name, merged);
    for (const [field, value] of Object.entries(secrets)) rt.secrets().set(name, field, value);
    return { plain, changed: [...Object.keys(plainGiven), ...Object.keys(secrets)] };
  };

  const add: Handler<'connector.add'> = (input, ctx) => {
    const connector = rt.vendor(input.vendor);
    if (findConnectorRow(ctx.store, input.name)) throw new QuellError('conflict', `A connector named ${input.name} already exists.`, { details: { name: input.name } });
    if (input.schedule) requireCase(ctx, input.schedule.caseId);
    const { plain } = acceptSettings(connector, input.name, {}, input.settings);
    const at = ctx.now();
    ctx.store.db
      .prepare(
        `INSERT INTO connectors (name, vendor, settings, enabled, schedule_case_id, schedule_every_minutes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.name, input.vendor, JSON.stringify(plain), input.enabled ? 1 : 0, input.schedule?.caseId ?? null, input.schedule?.everyMinutes ?? null, at, at);
    const out = info(ctx.store, requireConnectorRow(ctx.store, input.name));
    ctx.journal(null, 'connector.added', { name: input.name, vendor: input.vendor, settings: out.settings, enabled: out.enabled, schedule: out.schedule });
    return out;
  };

  const update: Handler<'connector.update'> = (input, ctx) => {
    const row = requireConnectorRow(ctx.store, input.name);
    const changes: Record<string, unknown> = {};
    let plain = row.settings;
    if (input.settings) {
      const accepted = acceptSettings(rt.vendor(row.vendor), row.name, row.settings, input.settings);
      plain = accepted.plain;
      changes.settings = accepted.changed;
    }
    if (input.enabled !== undefined) changes.enabled = input.enabled;
    if (input.schedule !== undefined) {
      if (input.schedule) requireCase(ctx, input.schedule.caseId);
      changes.schedule = input.schedule;
    }
    ctx.store.db
      .prepare('UPDATE connectors SET settings = ?, enabled = ?, schedule_case_id = ?, schedule_every_minutes = ?, updated_at = ? WHERE name = ?')
      .run(
        JSON.stringify(plain),
        (input.enabled ?? row.enabled) ? 1 : 0,
        input.schedule === undefined ? (row.schedule?.caseId ?? null) : (input.schedule?.caseId ?? null),
        input.schedule === undefined ? (row.schedule?.everyMinutes ?? null) : (input.schedule?.everyMinutes ?? null),
        ctx.now(),
        row.name,
      );
    const out = info(ctx.store, requireConnectorRow(ctx.store, input.name));
    // Which settings changed, by name only: a changed secret is named, never shown.
    ctx.journal(null, 'connector.updated', { name: row.name, vendor: row.vendor, ...changes });
    return out;
  };

  const remove: Handler<'connector.remove'> = (input, ctx) => {
    const row = requireConnectorRow(ctx.store, input.name);
    if (rt.running.has(row.name)) throw new QuellError('conflict', `Connector ${row.name} is pulling; stop it first (connector.stop).`);
    ctx.store.db.prepare('DELETE FROM connectors WHERE name = ?').run(row.name);
    rt.options.secrets?.deleteAll(row.name);
    rt.sessions.delete(row.name);
    ctx.journal(null, 'connector.removed', { name: row.name, vendor: row.vendor });
    return { removed: row.name };
  };

  const test: Handler<'connector.test'> = async (input, ctx) => {
    const row = requireConnectorRow(ctx.store, input.name);
    const started = ctx.clock.now().getTime();
    const calls = new CallLog();
    let result: { ok: boolean; message: string };
    try {
      const { connector, settings } = runSettings(rt, row);
      const opened = openConnectorContext(connector, settings, {
        name: row.name,
        onRequest: calls.onRequest,
        session: rt.session(row.name),
        ...(rt.options.http ? { http: rt.options.http } : {}),
      });
      try {
        result = await connector.test(opened.ctx);
      } finally {
        opened.close();
      }
    } catch (err) {
      const failure = connectorFailure(err, row.name);
      if (failure.code === 'bug') throw failure;
      result = { ok: false, message: failure.message };
    }
    const durationMs = Math.max(0, ctx.clock.now().getTime() - started);
    ctx.store.write(() => ctx.journal(null, 'connector.tested', { name: row.name, vendor: row.vendor, ...result, durationMs, calls: calls.take() }));
    return { name: row.name, ...result, durationMs, requests: calls.totalCalls };
  };

  return {
    'connector.vendors': () => ({ vendors: [...rt.connectors.values()].map(describeVendor) }),
    'connector.add': add,
    'connector.list': (_input, ctx) => ({ connectors: ctx.store.read(() => listConnectorRows(ctx.store).map((r) => info(ctx.store, r))) }),
    'connector.update': update,
    'connector.remove': remove,
    'connector.test': test,
    'connector.pull': (input, ctx) =>
      pullConnector(
        { store: ctx.store, rt, clock: ctx.clock, ids: ctx.ids, actor: ctx.actor, onProgress: (p) => ctx.emit('connector.progress', p) },
        input,
      ),
    'connector.stop': (input, ctx) => {
      requireConnectorRow(ctx.store, input.name);
      return { stopped: stopPull(rt, input.name) };
    },
    'connector.action': (input, ctx) => runConnectorAction({ store: ctx.store, rt, clock: ctx.clock, ids: ctx.ids, actor: ctx.actor }, input),
    'connector.actions': (input, ctx) => ctx.store.read(() => listActionRows(ctx.store, input)),
  };
}

function requireCase(ctx: HandlerContext, caseId: string): void {
  if (!ctx.store.cases.get(caseId)) throw new QuellError('not_found', `No case with id ${caseId}.`, { details: { caseId } });
}

function safeGet(rt: ConnectRuntime, name: string, field: string): string | undefined {
  return rt.options.secrets?.get(name, field);
}

/** A manifest as plain data: settings fields from the zod schema (as JSON Schema), actions with their impact. */
export function describeVendor(c: Connector) {
  const m = c.manifest;
  const schema = jsonSchema(m.settings);
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required ?? []) as string[]);
  const secret = new Set(m.secretFields);
  return {
    id: m.id,
    vendor: m.vendor,
    format: m.format,
    capabilities: { pullAlerts: m.capabilities.pullAlerts, queryEvents: m.capabilities.queryEvents, actions: [...m.capabilities.actions] },
    settings: Object.entries(props).map(([name, p]) => ({
      name,
      type: typeof p.type === 'string' ? p.type : Array.isArray(p.anyOf) ? 'union' : 'unknown',
      required: required.has(name) && p.default === undefined,
      secret: secret.has(name),
      ...(typeof p.description === 'string' ? { description: p.description } : {}),
      ...(p.default !== undefined && !secret.has(name) ? { default: p.default } : {}),
      ...(Array.isArray(p.enum) ? { enum: p.enum as unknown[] } : {}),
    })),
    settingsSchema: schema,
    actions: Object.values(m.actions).map((a) => ({ name: a.name, summary: a.summary, impact: { ...a.impact }, input: jsonSchema(a.input) })),
  };
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return {};
  }
}
