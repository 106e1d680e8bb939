// The runs alive in this process. Starting, resuming and replaying runs; passing the responder's commands (step,
// skip, override, approve, submit, pause, cancel) to the run that waits for them; resuming runs a crash or a quit
// left unfinished when a host starts; leaving them resumable when it closes.
import { QuellError, type CommandInput, type CommandName, type CommandOutput } from '../api/index.js';
import type { Actor, Playbook, RunMode, RunView, StepRecord } from '../model/index.js';
import type { Router } from '../router.js';
import type { Clock, IdSource } from '../runtime.js';
import type { Store } from '../store/index.js';
import type { Release } from './control.js';
import { bindInputs, RunDriver } from './driver.js';
import type { EngineHost } from './host.js';
import { PlaybookLibrary, findPlaybooksDir } from './library.js';
import { FINISHED, parseWait, RunStore, toSummary, type RunDefinition, type RunRow } from './run-store.js';
import { InterruptSignal, StepFailure } from './signals.js';
import { walkSteps } from './walk.js';

export interface EngineOptions {
  /** Waits (retry backoff, wait steps); tests pass one that does not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  fetch?: typeof fetch;
  playbooksDir?: string | null;
}

export interface StartRun {
  caseId: string;
  playbook: Playbook;
  /** Playbooks given with the run (an inline playbook's sub-playbooks that are not in the library). */
  extra?: readonly Playbook[];
  mode: RunMode;
  dryRun: boolean;
  alertId: string | null;
  inputs: Record<string, unknown>;
  breakpoints: string[];
}

const realSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(t), reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
  });

export class EngineRuntime {
  readonly drivers = new Map<string, RunDriver>();
  private bound: { router: Router; store: Store; clock: Clock; ids: IdSource; runs: RunStore; library: PlaybookLibrary; host: EngineHost } | null = null;
  private readonly settledWaiters = new Map<string, Set<() => void>>();

  constructor(readonly options: EngineOptions = {}) {}

  /** Called once the router exists: runs call core commands through it, as the playbook. */
  bind(router: Router, store: Store, clock: Clock, ids: IdSource): void {
    const runs = new RunStore(store);
    const library = new PlaybookLibrary(store, this.options.playbooksDir === undefined ? findPlaybooksDir() : this.options.playbooksDir);
    const doFetch = this.options.fetch ?? fetch;
    const host: EngineHost = {
      now: () => clock.now().toISOString(),
      clockMs: () => clock.now().getTime(),
      write: (fn) => store.write(fn),
      journal: (caseId, actor, action, payload) => void store.journal.append({ at: clock.now().toISOString(), caseId, actor, action, payload }),
      invoke: async <N extends CommandName>(actor: Actor, name: N, input: CommandInput<N>): Promise<CommandOutput<N>> => {
        const r = await router.invoke(name, input, actor);
        if (!r.ok) throw new QuellError(r.error.code, r.error.message, { ...(r.error.issues ? { issues: r.error.issues } : {}), ...(r.error.details ? { details: r.error.details } : {}) });
        return r.value as CommandOutput<N>;
      },
      notify: async (target, body, idempotencyKey, signal) => {
        const row = store.db.prepare('SELECT url FROM notify_targets WHERE name = ?').get(target) as { url: string } | undefined;
        if (!row) {
          const names = (store.db.prepare('SELECT name FROM notify_targets ORDER BY name').all() as { name: string }[]).map((r) => r.name);
          throw new Error(`no notification target "${target}" (configured: ${names.join(', ') || 'none'})`);
        }
        const res = await doFetch(row.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, 'user-agent': 'Quell' },
          body: JSON.stringify(body),
          signal,
        });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) throw new Error(`notification target "${target}" answered HTTP ${res.status}`);
        return { target, status: res.status };
      },
      sleep: this.options.sleep ?? realSleep,
      emitRun: (runId, caseId, status, key, waitKind) => {
        router.emitEvent('run.updated', { runId, caseId, status, key: key ?? null });
        if (FINISHED.includes(status) || status === 'paused' || (status === 'waiting' && waitKind !== 'timer') || status === 'interrupted') {
          for (const fn of this.settledWaiters.get(runId) ?? []) fn();
        }
      },
    };
    this.bound = { router, store, clock, ids, runs, library, host };
  }

  private get b() {
    if (!this.bound) throw new Error('the playbook engine is not bound to a core');
    return this.bound;
  }

  get library(): PlaybookLibrary {
    return this.b.library;
  }

  get runs(): RunStore {
    return this.b.runs;
  }

  /** Creates the run (journaled) and starts it; returns its id. Call inside no transaction: the run writes its own. */
  start(req: StartRun, by: Actor, replay?: { of: string; fromStep: string; records: StepRecord[] }): string {
    const { store, ids, runs, library, host } = this.b;
    if (!store.cases.get(req.caseId)) throw new QuellError('not_found', `No case with id ${req.caseId}.`, { details: { caseId: req.caseId } });
    let inputs: Record<string, unknown>;
    try {
      inputs = bindInputs(req.playbook, req.inputs, req.playbook.id);
    } catch (err) {
      throw new QuellError('invalid_input', err instanceof StepFailure ? err.message : String(err));
    }
    const unknownBreakpoints = req.breakpoints.filter((id) => !stepIds(req.playbook).has(id));
    if (unknownBreakpoints.length) {
      throw new QuellError('invalid_input', `Breakpoints name steps that are not in playbook "${req.playbook.id}": ${unknownBreakpoints.join(', ')}.`);
    }
    const def: RunDefinition = { playbook: req.playbook, subs: library.resolveSubs(req.playbook, req.extra ?? []) };
    const id = ids.next('run');
    const now = host.now();
    const row: RunRow = {
      id,
      case_id: req.caseId,
      playbook_id: req.playbook.id,
      playbook_name: req.playbook.name,
      playbook_version: req.playbook.version,
      definition: JSON.stringify(def),
      mode: req.mode,
      dry_run: req.dryRun || req.playbook.autonomy === 'shadow' ? 1 : 0,
      autonomy: req.playbook.autonomy,
      status: 'running',
      outcome: null,
      error: null,
      alert_id: req.alertId,
      inputs: JSON.stringify(inputs),
      vars: JSON.stringify(req.playbook.variables),
      outputs: '{}',
      breakpoints: JSON.stringify(req.breakpoints),
      wait: null,
      replay_of: replay?.of ?? null,
      replay_from: replay?.fromStep ?? null,
      started_at: now,
      finished_at: null,
      updated_at: now,
    };
    store.write(() => {
      runs.insertRun(row);
      for (const [i, r] of (replay?.records ?? []).entries()) runs.insertStep(id, i + 1, { ...r, parent: (r as { parent?: string | null }).parent ?? null });
      store.journal.append({
        at: now,
        caseId: req.caseId,
        actor: by,
        action: replay ? 'playbook.run.replayed' : 'playbook.run.started',
        payload: {
          runId: id,
          playbook: req.playbook.id,
          version: req.playbook.version,
          mode: req.mode,
          dryRun: row.dry_run === 1,
          autonomy: req.playbook.autonomy,
          alertId: req.alertId,
          inputs,
          ...(replay ? { replayOf: replay.of, fromStep: replay.fromStep, reused: replay.records.length } : {}),
        },
      });
    });
    const driver = new RunDriver(host, runs, id, req.caseId, def, {
      mode: req.mode,
      dryRun: row.dry_run === 1,
      alertId: req.alertId,
      inputs,
      breakpoints: req.breakpoints,
      replayRecords: replay?.records ?? [],
      resumeVars: null,
    });
    this.launch(driver);
    return id;
  }

  private launch(driver: RunDriver): void {
    this.drivers.set(driver.runId, driver);
    driver.start();
    void driver.finished.finally(() => {
      this.drivers.delete(driver.runId);
      for (const fn of this.settledWaiters.get(driver.runId) ?? []) fn();
    });
  }

  /** Resolves when the run finishes or stops to wait for someone. */
  settled(runId: string): Promise<void> {
    const row = this.b.runs.row(runId);
    const waiting = this.drivers.get(runId)?.waiter.wait;
    if (!row || !this.drivers.has(runId) || FINISHED.includes(row.status) || ((row.status === 'paused' || row.status === 'waiting') && waiting && waiting.kind !== 'timer')) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let set = this.settledWaiters.get(runId);
      if (!set) this.settledWaiters.set(runId, (set = new Set()));
      const fn = () => {
        set.delete(fn);
        resolve();
      };
      set.add(fn);
    });
  }

  /** Picks up a run that a crash or a quit left unfinished: finished steps are taken from its log, not run again. */
  resume(runId: string, by: Actor): void {
    const { store, runs, host } = this.b;
    const row = runs.row(runId);
    if (!row) throw new QuellError('not_found', `No run ${runId}.`);
    if (FINISHED.includes(row.status)) throw new QuellError('conflict', `Run ${runId} has ${row.status}; replay it to run it again.`);
    if (this.drivers.has(runId)) throw new QuellError('conflict', `Run ${runId} is already running in this Quell.`);
    const def = JSON.parse(row.definition) as RunDefinition;
    const records = runs.steps(runId);
    store.write(() => {
      runs.updateRun(runId, { status: 'running', updated_at: host.now() });
      store.journal.append({ at: host.now(), caseId: row.case_id, actor: by, action: 'playbook.run.resumed', payload: { runId, finishedSteps: records.length, wait: parseWait(row.wait)?.key ?? null } });
    });
    const driver = new RunDriver(host, runs, runId, row.case_id, def, {
      mode: row.mode,
      dryRun: row.dry_run === 1,
      alertId: row.alert_id,
      inputs: JSON.parse(row.inputs) as Record<string, unknown>,
      breakpoints: JSON.parse(row.breakpoints) as string[],
      replayRecords: records,
      resumeVars: JSON.parse(row.vars) as Record<string, unknown>,
    });
    this.launch(driver);
  }

  /** Every unfinished run of this database (host start-up). Returns their ids. */
  resumeAll(by: Actor): string[] {
    const ids: string[] = [];
    for (const row of this.b.runs.unfinished()) {
      if (this.drivers.has(row.id)) continue;
      this.resume(row.id, by);
      ids.push(row.id);
    }
    return ids;
  }

  /** A new run from a step of a finished one, reusing everything recorded before that step. */
  replay(runId: string, fromStep: string, mode: RunMode, dryRun: boolean, by: Actor): string {
    const { runs } = this.b;
    const row = runs.row(runId);
    if (!row) throw new QuellError('not_found', `No run ${runId}.`);
    if (!FINISHED.includes(row.status)) throw new QuellError('conflict', `Run ${runId} is ${row.status}; replay starts from a finished run.`);
    const def = JSON.parse(row.definition) as RunDefinition;
    const records = runs.steps(runId);
    const first = records.find((r) => r.stepId === fromStep || r.key === fromStep);
    if (!first) {
      const known = [...new Set(records.map((r) => r.stepId))];
      throw new QuellError('invalid_input', `Run ${runId} never reached step "${fromStep}" (its steps: ${known.join(', ')}).`);
    }
    // Everything recorded before the step is reused. The steps that hold it (an `if`, a loop) are recorded only when
    // they finish, so they come later and are walked again: their branch is recomputed from the same variables.
    const reused = records.filter((r) => r.seq < first.seq);
    return this.start(
      {
        caseId: row.case_id,
        playbook: def.playbook,
        extra: Object.values(def.subs),
        mode,
        dryRun,
        alertId: row.alert_id,
        inputs: JSON.parse(row.inputs) as Record<string, unknown>,
        breakpoints: JSON.parse(row.breakpoints) as string[],
      },
      by,
      { of: runId, fromStep, records: reused },
    );
  }

  driver(runId: string): RunDriver {
    const d = this.drivers.get(runId);
    if (d) return d;
    const row = this.b.runs.row(runId);
    if (!row) throw new QuellError('not_found', `No run ${runId}.`);
    if (FINISHED.includes(row.status)) throw new QuellError('conflict', `Run ${runId} has ${row.status}.`);
    throw new QuellError('conflict', `Run ${runId} is not running in this Quell (status ${row.status}); resume it first.`);
  }

  /** Checks that the waiting run accepts this command; the handler journals, then calls release. */
  check(runId: string, release: Release, key?: string): RunDriver {
    const d = this.driver(runId);
    d.waiter.check(release, key);
    return d;
  }

  view(runId: string, withSteps = true): RunView {
    const { runs } = this.b;
    const row = runs.row(runId);
    if (!row) throw new QuellError('not_found', `No run ${runId}.`, { details: { runId } });
    const d = this.drivers.get(runId);
    return {
      ...toSummary(row),
      mode: d?.mode ?? row.mode,
      inputs: JSON.parse(row.inputs) as Record<string, unknown>,
      vars: JSON.parse(row.vars) as Record<string, unknown>,
      outputs: JSON.parse(row.outputs) as Record<string, unknown>,
      breakpoints: d ? [...d.breakpoints] : (JSON.parse(row.breakpoints) as string[]),
      wait: d?.waiter.wait ?? parseWait(row.wait),
      steps: withSteps ? runs.steps(runId).map(({ parent, ...r }) => (void parent, r)) : [],
    };
  }

  definition(runId: string): RunDefinition {
    const row = this.b.runs.row(runId);
    if (!row) throw new QuellError('not_found', `No run ${runId}.`);
    return JSON.parse(row.definition) as RunDefinition;
  }

  /** The host is closing: stop every run where it is; they resume at the next start. */
  close(): void {
    const { store, runs, host } = this.bound ?? {};
    for (const d of this.drivers.values()) {
      d.abort.abort(new InterruptSignal());
      try {
        store?.write(() => runs?.updateRun(d.runId, { status: 'interrupted', updated_at: host!.now() }));
      } catch {
        // the database may already be closed; the run still shows its last committed state
      }
    }
    this.drivers.clear();
  }
}

function stepIds(pb: Playbook): Set<string> {
  return new Set([...walkSteps(pb.steps)].map((v) => v.step.id));
}
