import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import { openCore, type Core } from '../app.js';
import type { Actor, PlaybookSource, RunView } from '../model/index.js';
import { sequentialIds, steppingClock, type Clock } from '../runtime.js';
import { START, defer, tempDir } from '../store/journal.test-helpers.js';

export const analyst: Actor = { kind: 'analyst', id: 'alice' };

export interface EngineTestCore extends Core {
  dir: string;
  dbPath: string;
  caseId: string;
  /** Sleeps the engine asked for (retry backoff), in ms; none of them waited. */
  sleeps: number[];
  call<T = unknown>(command: string, input: unknown, actor?: Actor): Promise<T>;
  fail(command: string, input: unknown, actor?: Actor): Promise<{ code: string; message: string; issues?: { path: string; message: string }[] | undefined }>;
  run(playbook: PlaybookSource, options?: Record<string, unknown>): Promise<RunView>;
  /** Waits until the run stops to wait for someone or finishes, and returns it. */
  settle(runId: string): Promise<RunView>;
}

/** A core with one case, a playbook library in a temp folder (playbooks given by the test) and no real waiting. */
export async function openEngineCore(t: TestContext, options: { library?: PlaybookSource[]; clock?: Clock; dir?: string; fetch?: typeof fetch } = {}): Promise<EngineTestCore> {
  const dir = options.dir ?? tempDir(t);
  const libDir = path.join(dir, 'playbooks');
  fs.mkdirSync(libDir, { recursive: true });
  for (const pb of options.library ?? []) fs.writeFileSync(path.join(libDir, `${pb.id}.yaml`), stringify(pb));
  const dbPath = path.join(dir, 'quell.db');
  const sleeps: number[] = [];
  const core = openCore({
    dbPath,
    createDir: true,
    clock: options.clock ?? steppingClock(START, 10),
    ids: sequentialIds(),
    appVersion: 'test',
    engine: {
      playbooksDir: libDir,
      sleep: async (ms, signal) => {
        sleeps.push(ms);
        if (signal.aborted) throw signal.reason;
      },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  });
  defer(t, () => core.close());
  const call = async <T,>(command: string, input: unknown, actor: Actor = analyst): Promise<T> => {
    const r = await core.router.invoke(command, input, actor);
    if (!r.ok) throw new Error(`${command}: ${r.error.message} ${JSON.stringify(r.error.issues ?? [])}`);
    return r.value as T;
  };
  const fail = async (command: string, input: unknown, actor: Actor = analyst) => {
    const r = await core.router.invoke(command, input, actor);
    if (r.ok) throw new Error(`${command} should have failed`);
    return r.error;
  };
  let caseId = '';
  const existing = await call<{ cases: { id: string }[] }>('case.list', {});
  if (existing.cases[0]) caseId = existing.cases[0].id;
  else caseId = (await call<{ id: string }>('case.create', { name: 'Engine test' })).id;
  const settle = async (runId: string) => {
    await core.engine.settled(runId);
    return call<RunView>('run.get', { runId });
  };
  return Object.assign(core, {
    dir,
    dbPath,
    caseId,
    sleeps,
    call,
    fail,
    run: (playbook: PlaybookSource, opts: Record<string, unknown> = {}) => call<RunView>('run.start', { caseId, playbook, wait: true, ...opts }),
    settle,
  });
}

/** Step statuses in order, as `id:status` (loop iterations keep their key suffix). */
export const trail = (run: RunView): string[] => run.steps.map((s) => `${s.key}:${s.status}`);
