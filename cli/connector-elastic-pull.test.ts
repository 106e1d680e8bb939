// The Elastic connector's full pull under faults on the real core (its own file: the longest test): a real SQLite file, the secret store, real HTTP to the
// loopback Kibana + Elasticsearch emulator. Lives in cli/ because core never imports a vendor; cli composes them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { connector as elastic, emulator } from '../connectors/elastic/index.js';
import { parseFaults, type EmulatorOptions, type RunningEmulator } from '../connectors/sdk/index.js';
import type { CommandName, CommandOutput } from '../core/api/index.js';
import { openCore } from '../core/app.js';
import { EncryptedFileSecretStore } from '../core/connect/secrets.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { alice, defer, tempDir } from '../core/store/journal.test-helpers.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const instant = async () => {};

async function startEmulator(t: TestContext, options: EmulatorOptions): Promise<RunningEmulator> {
  const em = await emulator.start({ contentDir: FIXTURES, ...options });
  defer(t, () => em.close());
  return em;
}

function setup(t: TestContext) {
  const dir = tempDir(t);
  const core = openCore({
    dbPath: path.join(dir, 'quell.db'),
    createDir: false,
    clock: systemClock,
    ids: sequentialIds(),
    appVersion: 'test',
    connectors: [elastic],
    secrets: new EncryptedFileSecretStore(path.join(dir, 'secrets.enc'), 'correct horse battery'),
    connect: { http: { sleep: instant, timeoutMs: 5000 }, sleep: instant, pollIntervalMs: 5 },
  });
  defer(t, () => core.close());
  const call = async <N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>> => {
    const r = await core.router.invoke(name, input, alice);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { api: r.error });
    return r.value as CommandOutput<N>;
  };
  const fail = async (name: CommandName, input: unknown) => {
    const r = await core.router.invoke(name, input, alice);
    assert.equal(r.ok, false, `${name} should fail`);
    return (r as { ok: false; error: { code: string; message: string } }).error;
  };
  /** The `_id` of every stored alert of the case, in line order. */
  const storedIds = (caseId: string) =>
    (core.store.db.prepare("SELECT json_extract(original, '$._id') AS id FROM events WHERE case_id = ? ORDER BY line").all(caseId) as { id: string }[]).map((r) => r.id);
  return { core, call, fail, storedIds };
}

describe('elastic connector through core: volume', () => {
  test('10,002 alerts by PIT + search_after under 429/503/truncate/expire: each stored exactly once', async (t) => {
    const em = await startEmulator(t, { alerts: 10_000, seed: 14, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01') });
    const { call, storedIds } = setup(t);
    const kase = await call('case.create', { name: 'elastic pull' });
    await call('connector.add', { vendor: 'elastic', name: 'soc-elastic', settings: { ...em.settings, pageSize: 250 } });

    const out = await call('connector.pull', { name: 'soc-elastic', caseId: kase.id });

    const ids = storedIds(kase.id);
    assert.equal(ids.length, 10_002);
    assert.deepEqual(ids, em.alertIds(), 'each alert once, in stream order');
    assert.deepEqual([...new Set(em.served())].sort(), [...ids].sort(), 'exactly what the emulator served');
    const injected = em.faultsInjected();
    for (const kind of ['429', '503', 'truncate', 'expire'] as const) assert.ok(injected[kind] > 0, `${kind} injected: ${JSON.stringify(injected)}`);
    assert.deepEqual([out.totals.read, out.totals.stored, out.totals.duplicates, out.caughtUp], [10_002, 10_002, 0, true]);
    assert.equal(out.files[0]?.format, 'elastic-alert');
    assert.equal(out.totals.quarantined ?? 0, 0);

    // Caught up: the next pull opens a new PIT after the last alert and finds nothing.
    const again = await call('connector.pull', { name: 'soc-elastic', caseId: kase.id });
    assert.deepEqual([again.totals.read, again.totals.stored, again.caughtUp], [0, 0, true]);
  });
});
