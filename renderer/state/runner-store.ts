import { create } from 'zustand';
import type { ApiError, CommandInput } from '../../core/api/index.js';
import type { RunView } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';
import type { PlaybookDetail } from './playbooks-store.js';

export type ControlCommand = Exclude<CommandInput<'run.control'>['command'], 'override'>;

/** The run open in the runner: the core's view of it, refetched on every `run.updated` for it. */
export interface RunnerState {
  runId: string | null;
  run: RunView | null;
  /** The playbook (the version the run uses) as a graph; null while loading or when it is not in the library. */
  playbook: PlaybookDetail | null;
  playbookError: ApiError | null;
  selectedKey: string | null;
  /** The last command the responder gave that the core refused, shown beside the controls. */
  error: ApiError | null;
  busy: boolean;

  open(runId: string): Promise<void>;
  close(): void;
  refresh(): Promise<void>;
  onRunUpdated(runId: string): void;
  select(key: string | null): void;
  control(command: ControlCommand): Promise<boolean>;
  override(output: unknown): Promise<boolean>;
  toggleBreakpoint(stepId: string): Promise<void>;
  setVars(vars: Record<string, unknown>): Promise<boolean>;
  decide(decision: 'approve' | 'reject', comment: string): Promise<boolean>;
  /** Submits the manual step's form; a refusal (with the fields named) is kept in `error`. */
  submit(values: Record<string, unknown>): Promise<boolean>;
  /** Starts a new run from a step of this finished run; answers the new run's id. */
  replay(fromStep: string): Promise<string | null>;
  resume(): Promise<boolean>;
  dismissError(): void;
}

export const useRunner = create<RunnerState>()((set, get) => {
  const client = () => useApp.getState().client;
  // A run emits an update per step: fetch once at a time and once more if updates came in meanwhile, so the view
  // ends on the newest state without a request per event.
  let inFlight = false;
  let again = false;

  const fetchRun = async (): Promise<void> => {
    const c = client();
    const runId = get().runId;
    if (!c || !runId) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      const run = await call(c, 'run.get', { runId });
      if (get().runId === runId) set({ run });
    } catch (err) {
      if (get().runId === runId) set({ error: asApiError(err) });
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void fetchRun();
      }
    }
  };

  /** Sends one command; a refusal stays on screen, and the run is read again either way. */
  const command = async (work: (c: NonNullable<ReturnType<typeof client>>, runId: string) => Promise<unknown>): Promise<boolean> => {
    const c = client();
    const runId = get().runId;
    if (!c || !runId) return false;
    set({ busy: true, error: null });
    try {
      await work(c, runId);
      return true;
    } catch (err) {
      set({ error: asApiError(err) });
      return false;
    } finally {
      set({ busy: false });
      await fetchRun();
    }
  };

  return {
    runId: null,
    run: null,
    playbook: null,
    playbookError: null,
    selectedKey: null,
    error: null,
    busy: false,

    async open(runId) {
      const c = client();
      if (!c) return;
      if (get().runId === runId && get().run) return fetchRun();
      set({ runId, run: null, playbook: null, playbookError: null, selectedKey: null, error: null });
      await fetchRun();
      const run = get().run;
      if (!run || get().runId !== runId) return;
      try {
        const playbook = await call(c, 'playbook.get', { id: run.playbookId, version: run.playbookVersion });
        if (get().runId === runId) set({ playbook });
      } catch (err) {
        // A run of a playbook given whole (a file from the CLI) has no library entry: its steps still show.
        if (get().runId === runId) set({ playbookError: asApiError(err) });
      }
    },

    close() {
      set({ runId: null, run: null, playbook: null, playbookError: null, selectedKey: null, error: null });
    },

    refresh: fetchRun,

    onRunUpdated(runId) {
      if (runId === get().runId) void fetchRun();
    },

    select(key) {
      set({ selectedKey: key });
    },

    control: (cmd) => command((c, runId) => call(c, 'run.control', { runId, command: cmd })),
    override: (output) => command((c, runId) => call(c, 'run.control', { runId, command: 'override', output })),

    async toggleBreakpoint(stepId) {
      const run = get().run;
      if (!run) return;
      const stepIds = run.breakpoints.includes(stepId) ? run.breakpoints.filter((s) => s !== stepId) : [...run.breakpoints, stepId];
      await command((c, runId) => call(c, 'run.breakpoints', { runId, stepIds }));
    },

    setVars: (vars) => command((c, runId) => call(c, 'run.setVars', { runId, vars })),

    decide(decision, comment) {
      const key = get().run?.wait?.key;
      if (!key) return Promise.resolve(false);
      const trimmed = comment.trim();
      return command((c, runId) => call(c, 'run.approve', { runId, key, decision, ...(trimmed ? { comment: trimmed } : {}) }));
    },

    submit(values) {
      const key = get().run?.wait?.key;
      if (!key) return Promise.resolve(false);
      return command((c, runId) => call(c, 'run.submit', { runId, key, values }));
    },

    async replay(fromStep) {
      const c = client();
      const run = get().run;
      if (!c || !run) return null;
      set({ busy: true, error: null });
      try {
        const next = await call(c, 'run.replay', { runId: run.id, fromStep, mode: 'auto', dryRun: run.dryRun, wait: false });
        return next.id;
      } catch (err) {
        set({ error: asApiError(err) });
        return null;
      } finally {
        set({ busy: false });
      }
    },

    resume: () => command((c, runId) => call(c, 'run.resume', { runId, wait: false })),

    dismissError() {
      set({ error: null });
    },
  };
});
