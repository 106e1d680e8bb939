// What the Elastic tests through core share: the emulator on the repository's fixtures (closed with the test) and a
// core on a fresh SQLite file with the Elastic connector, an encrypted secret store and no real waits.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { connector as elastic, emulator } from '../connectors/elastic/index.js';
import type { EmulatorOptions, RunningEmulator } from '../connectors/sdk/index.js';
import type { CommandName, CommandOutput } from '../core/api/index.js';
import { openCore } from '../core/app.js';
import { EncryptedFileSecretStore } from '../core/connect/secrets.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { alice, defer, tempDir } from '../core/store/journal.test-helpers.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const instant = async () => {};

export async function startEmulator(t: TestContext, options: EmulatorOptions): Promise<RunningEmulator> {
  const em = await emulator.start({ contentDir: FIXTURES, ...options });
  defer(t, () => em.close());
  return em;
}

export function setup(t: TestContext) {
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

