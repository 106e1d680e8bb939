// Shared by the playbook library tests: a real core (temporary SQLite file, encrypted secret file, every built-in
// vendor connector from cli/connector-registry.ts) whose playbook library is the repository's playbooks/ folder,
// the vendor emulators a playbook acts through on loopback, a local webhook as the notification target, and the
// LSASS campaign case (Sysmon + Zeek conn of PRD01, four threat-intel feeds, the asset inventory and a dependency
// map in which services run on PRD01 and ADFS01). Lives in cli/ because only a composition root may import both
// core and the vendor connectors.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from '../connectors/sdk/index.js';
import { openCore, type Core } from '../core/app.js';
import type { CommandName, CommandOutput } from '../core/api/index.js';
import { EncryptedFileSecretStore } from '../core/connect/secrets.js';
import type { RiskAssessment, RunView } from '../core/model/index.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { alice, defer, tempDir } from '../core/store/journal.test-helpers.js';
import { builtInVendors } from './connector-registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PLAYBOOKS_DIR = path.join(root, 'playbooks');
export const fixture = (rel: string) => path.join(root, 'fixtures', rel);

/** The Sysmon connection the LSASS campaign's payload made to its C2 (the alert of most playbooks here). */
export const C2_ALERT_TITLE = 'Network connection: winx64_payload.exe 192.168.1.42:60352 -> 10.0.5.13:5678';
export const C2 = '10.0.5.13';
export const HOST = 'PRD01.pandalab.com';

export const FEEDS = [
  ['intel/stix-c2-bundle.json', 'cti-stix', 'B'],
  ['intel/misp-event.json', 'misp-community', 'C'],
  ['intel/blocklist.csv', 'blocklist', 'A'],
  ['intel/watchlist.csv', 'watchlist', 'D'],
] as const;

export type Vendor = 'elastic' | 'splunk' | 'wazuh' | 'defender' | 'crowdstrike';

export interface Webhook {
  url: string;
  /** Every request received: its idempotency key and JSON body, in order. */
  received: { key: string; body: { message: string; data: unknown; caseId: string; runId: string; step: string } }[];
}

async function startWebhook(t: TestContext): Promise<Webhook> {
  const received: Webhook['received'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Webhook['received'][number]['body'] });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  defer(t, () => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

export interface LibraryCore {
  core: Core;
  caseId: string;
  emulators: Partial<Record<Vendor, RunningEmulator & { api?: unknown }>>;
  webhook: Webhook;
  call<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>>;
  /** The id of the case's record with this title. */
  eventId(title: string): Promise<string>;
}

/** A core with one case, the LSASS campaign evidence and enrichment data, and the given vendors' emulators configured. */
export async function openLibraryCore(t: TestContext, vendors: readonly Vendor[], extraEvidence: readonly string[] = []): Promise<LibraryCore> {
  const dir = tempDir(t);
  const core = openCore({
    dbPath: path.join(dir, 'quell.db'),
    createDir: false,
    clock: systemClock,
    ids: sequentialIds(),
    appVersion: 'test',
    connectors: builtInVendors.map((v) => v.connector),
    secrets: new EncryptedFileSecretStore(path.join(dir, 'secrets.enc'), 'correct horse battery'),
    connect: { http: { sleep: async () => {}, timeoutMs: 5000 }, sleep: async () => {}, pollIntervalMs: 5 },
    // Retry backoff is not waited for; approval and manual deadlines are real timers (what the timeout test uses).
    engine: {
      playbooksDir: PLAYBOOKS_DIR,
      sleep: async (_ms, signal) => {
        if (signal.aborted) throw signal.reason;
      },
    },
  });
  defer(t, () => core.close());
  const call = async <N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>> => {
    const r = await core.router.invoke(name, input, alice);
    if (!r.ok) throw new Error(`${name}: ${r.error.message} ${JSON.stringify(r.error.issues ?? [])}`);
    return r.value as CommandOutput<N>;
  };

  const emulators: LibraryCore['emulators'] = {};
  for (const vendor of vendors) {
    const def = builtInVendors.find((v) => v.emulator.vendor === vendor)!;
    const emu = (await def.emulator.start({ alerts: 0, seed: 7 })) as RunningEmulator & { api?: unknown };
    defer(t, () => emu.close());
    emulators[vendor] = emu;
    await call('connector.add', { vendor, name: vendor, settings: emu.settings });
  }
  const webhook = await startWebhook(t);
  await call('notify.target.set', { name: 'soc', url: webhook.url });

  const kase = await call('case.create', { name: 'Playbook library' });
  await call('evidence.import', {
    caseId: kase.id,
    paths: [fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson'), fixture('zeek/lsass-campaign-03/conn.log'), ...extraEvidence.map(fixture)],
  });
  for (const [file, name, reliability] of FEEDS) await call('intel.feed.import', { path: fixture(file), name, reliability });
  await call('asset.import', { path: fixture('inventory/quell-demo-assets.synthetic.csv') });
  await call('deps.import', { path: fixture('dependency/quell-playbooks-deps.synthetic.yaml') });

  const eventId = async (title: string) => {
    const found: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await call('event.list', { caseId: kase.id, limit: 1000, offset });
      found.push(...page.rows.filter((r) => r.title === title).map((r) => r.id as string));
      if (page.rows.length < 1000) break;
    }
    assert.equal(found.length, 1, `one record titled ${title}`);
    return found[0]!;
  };
  return { core, caseId: kase.id, emulators, webhook, call, eventId };
}

export interface Drive {
  run: RunView;
  /** Every wait the run stopped at, in order: what it waited for, at which step, with which risk. */
  waits: { kind: string; key: string; risk: RiskAssessment | null; prompt: string | null }[];
}

/**
 * Runs a playbook to its end as a responder would: approves every approval it waits for (unless its step id is in
 * `leave`, which is left to time out), submits the forms given by step id, and records each wait.
 */
export async function runPlaybook(
  lib: LibraryCore,
  start: { playbookId?: string; playbook?: string; dryRun: boolean; alertId: string; inputs: Record<string, unknown> },
  answers: { submit?: Record<string, Record<string, unknown>>; leave?: readonly string[] } = {},
): Promise<Drive> {
  let run = await lib.call('run.start', { caseId: lib.caseId, wait: true, ...start });
  const waits: Drive['waits'] = [];
  for (let guard = 0; guard < 50; guard++) {
    const w = run.wait;
    if (!w || (run.status !== 'waiting' && run.status !== 'paused')) break;
    if (waits.at(-1)?.key !== w.key) waits.push({ kind: w.kind, key: w.key, risk: w.risk, prompt: w.prompt });
    if (answers.leave?.includes(w.stepId)) {
      // Left to its deadline: once the run has moved on, wait for it to stop again.
      while ((await lib.call('run.get', { runId: run.id })).wait?.key === w.key) await new Promise((r) => setTimeout(r, 25));
      await lib.core.engine.settled(run.id);
      run = await lib.call('run.get', { runId: run.id });
      continue;
    }
    if (w.kind === 'approval') await lib.call('run.approve', { runId: run.id, key: w.key, decision: 'approve', comment: 'go ahead' });
    else if (w.kind === 'manual') {
      const values = answers.submit?.[w.stepId];
      assert.ok(values, `the test gives no answer for manual step ${w.stepId}`);
      await lib.call('run.submit', { runId: run.id, key: w.key, values });
    } else assert.fail(`unexpected wait ${w.kind} at ${w.key}`);
    await lib.core.engine.settled(run.id);
    run = await lib.call('run.get', { runId: run.id });
  }
  return { run, waits };
}

/** `key:status` of every step record, in order (sub-playbook steps as `call/step`). */
export const trail = (run: RunView): string[] => run.steps.map((s) => `${s.key}:${s.status}`);

/** The journal's `playbook.step` entries of a run. */
export async function stepEntries(lib: LibraryCore, runId: string) {
  const out: { key: string; status: string; simulated: boolean; action: string | null }[] = [];
  for (let after = 0; ; ) {
    const page = await lib.call('journal.list', { caseId: lib.caseId, afterSeq: after, limit: 1000 });
    for (const e of page.entries) {
      const p = e.payload as { runId?: string; key: string; status: string; simulated: boolean; action?: string };
      if (e.action === 'playbook.step' && p.runId === runId) out.push({ key: p.key, status: p.status, simulated: p.simulated, action: p.action ?? null });
    }
    if (page.entries.length < 1000) return out;
    after = page.entries.at(-1)!.seq;
  }
}

/** Every action each emulator recorded, as [action, method, path, body]. */
export function recorded(lib: LibraryCore): Partial<Record<Vendor, [string, string, string, unknown][]>> {
  const out: Partial<Record<Vendor, [string, string, string, unknown][]>> = {};
  for (const [vendor, emu] of Object.entries(lib.emulators) as [Vendor, RunningEmulator][]) out[vendor] = emu.actions().map((a) => [a.action, a.method, a.path, a.body]);
  return out;
}

/** Asserts a dry run touched nothing outside: no emulator recorded an action and the webhook got no request. */
export async function assertTouchedNothing(lib: LibraryCore, run: RunView): Promise<void> {
  const none = Object.fromEntries(Object.keys(lib.emulators).map((v) => [v, []]));
  assert.deepEqual(recorded(lib), none);
  assert.deepEqual(lib.webhook.received, []);
  const entries = await stepEntries(lib, run.id);
  const simulated = entries.filter((e) => e.status === 'simulated');
  assert.ok(simulated.length > 0, 'a dry run simulates its side effects');
  assert.deepEqual(simulated.map((e) => e.simulated), simulated.map(() => true));
  // One journal entry per step record, with the same status.
  assert.deepEqual(entries.map((e) => `${e.key}:${e.status}`), trail(run));
}

export async function assertAuditOk(lib: LibraryCore): Promise<void> {
  const report = await lib.call('audit.verify', {});
  assert.equal(report.ok, true, JSON.stringify(report.firstBad));
}

/** What blocking the C2 from PRD01 weighs once 3 of 4 feeds confirm it: the approval both IP playbooks wait for. */
export const C2_BLOCK_RISK = {
  risk: 87,
  threshold: 60,
  gated: true,
  impact: 'high',
  parts: { impact: 70, blastRadius: 12, uncertainty: 5 },
  confidence: 0.75,
  target: HOST,
  blastRadius: { affected: 3, owners: ['finance-it', 'payments-team'], services: ['accounts', 'payroll-batch', 'finance-reports'] },
  explanation: `risk 87 = impact high (70) + 3 dependents of ${HOST} (12) + confidence 75% (5); above the threshold 60: waits for approval`,
};
