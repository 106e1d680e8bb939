// Shared by the connector tests: a real core on a temporary SQLite file with the test-only Acme connector (or the
// connectors given: a vendor's end-to-end test under cli/ passes its own), an encrypted-file secret store, and
// waits made instant (retries and polls are counted, not slept).
import assert from 'node:assert/strict';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Connector } from '../../connectors/sdk/index.js';
import { connector as acme } from '../../connectors/sdk/testing/index.js';
import { openCore } from '../app.js';
import type { CommandName, CommandOutput } from '../api/index.js';
import { sequentialIds, systemClock } from '../runtime.js';
import { alice, defer, tempDir } from '../store/journal.test-helpers.js';
import { EncryptedFileSecretStore } from './secrets.js';

export const PASSPHRASE = 'correct horse battery';

export const instant = async () => {};

export function setup(t: TestContext, options: { connectors?: readonly Connector[]; timeoutMs?: number } = {}) {
  const dir = tempDir(t);
  const dbPath = path.join(dir, 'quell.db');
  const secretsFile = path.join(dir, 'secrets.enc');
  const core = openCore({
    dbPath,
    createDir: false,
    clock: systemClock,
    ids: sequentialIds(),
    appVersion: 'test',
    connectors: options.connectors ?? [acme],
    secrets: new EncryptedFileSecretStore(secretsFile, PASSPHRASE),
    connect: { http: { sleep: instant, timeoutMs: options.timeoutMs ?? 2000 }, sleep: instant, pollIntervalMs: 5 },
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
  return { core, call, fail, dbPath, secretsFile, dir };
}

/** The vendor ids of every stored record of the case, from the raw original, and how often each occurs. */
export function storedIds(core: ReturnType<typeof setup>['core'], caseId: string): string[] {
  return (core.store.db.prepare("SELECT json_extract(original, '$.id') AS id FROM events WHERE case_id = ? ORDER BY line").all(caseId) as { id: string }[]).map((r) => r.id);
}

