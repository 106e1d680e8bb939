// Shared by the Splunk and Wazuh end-to-end tests: a real core on a temporary SQLite file with the vendor
// connectors built in and an encrypted secret file, called through the router as the CLI and the app call it.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Connector } from '../connectors/sdk/index.js';
import { openCore } from '../core/app.js';
import type { CommandName, CommandOutput } from '../core/api/index.js';
import { EncryptedFileSecretStore } from '../core/connect/secrets.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { alice, defer, tempDir } from '../core/store/journal.test-helpers.js';

const instant = async () => {};

export function openTestCore(t: TestContext, connectors: Connector[]) {
  const dir = tempDir(t);
  const dbPath = path.join(dir, 'quell.db');
  const core = openCore({
    dbPath,
    createDir: false,
    clock: systemClock,
    ids: sequentialIds(),
    appVersion: 'test',
    connectors,
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
    return (r as { ok: false; error: { code: string; message: string; issues?: unknown } }).error;
  };
  /** The raw original of every stored record of the case, in line order. */
  const originals = (caseId: string) =>
    (core.store.db.prepare('SELECT original FROM events WHERE case_id = ? ORDER BY line').all(caseId) as { original: string }[]).map((r) => JSON.parse(r.original) as Record<string, unknown>);
  return { core, call, fail, originals, dbPath, dir };
}
