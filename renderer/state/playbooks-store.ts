import { create } from 'zustand';
import type { ApiError, CommandInput, CommandOutput } from '../../core/api/index.js';
import type { CaseId, RunSummary } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';

export type PlaybookInfo = CommandOutput<'playbook.list'>['playbooks'][number];
export type PlaybookDetail = CommandOutput<'playbook.get'>;
export type StartRequest = Omit<CommandInput<'run.start'>, 'caseId' | 'playbookId' | 'playbook' | 'file' | 'wait' | 'breakpoints'>;

/** The Playbooks tab of a case: the library, the case's runs, the playbook picked and the start form's breakpoints. */
export interface PlaybooksState {
  caseId: CaseId | null;
  playbooks: PlaybookInfo[] | null;
  runs: RunSummary[] | null;
  picked: PlaybookDetail | null;
  /** Steps the next run of the picked playbook pauses before, chosen on its graph or in its step list. */
  startBreakpoints: string[];
  importing: boolean;
  importError: ApiError | null;
  /** What the last import said: the playbook added and how many notes its conversion left. */
  imported: { id: string; version: number; notes: number } | null;
  starting: boolean;
  startError: ApiError | null;

  load(caseId: CaseId): Promise<void>;
  refreshRuns(): Promise<void>;
  pick(id: string): Promise<void>;
  toggleStartBreakpoint(stepId: string): void;
  importFile(file: File): Promise<void>;
  /** Starts a run of the picked playbook; answers its id, or null when refused (the reason is in startError). */
  start(request: StartRequest): Promise<string | null>;
  clearStartError(): void;
}

let runsTimer: ReturnType<typeof setTimeout> | undefined;

export const usePlaybooks = create<PlaybooksState>()((set, get) => {
  const client = () => useApp.getState().client;

  return {
    caseId: null,
    playbooks: null,
    runs: null,
    picked: null,
    startBreakpoints: [],
    importing: false,
    importError: null,
    imported: null,
    starting: false,
    startError: null,

    async load(caseId) {
      const c = client();
      if (!c) return;
      if (get().caseId !== caseId) set({ caseId, runs: null, startError: null, importError: null, imported: null });
      try {
        const [{ playbooks }, { runs }] = await Promise.all([call(c, 'playbook.list', {}), call(c, 'run.list', { caseId, limit: 100 })]);
        if (get().caseId === caseId) set({ playbooks, runs });
      } catch (err) {
        useApp.getState().reportError(asApiError(err));
      }
    },

    async refreshRuns() {
      const c = client();
      const caseId = get().caseId;
      if (!c || !caseId || get().runs === null) return;
      // Runs report every step; one reload once a burst has settled is enough for a list of statuses.
      clearTimeout(runsTimer);
      runsTimer = setTimeout(() => {
        void call(c, 'run.list', { caseId, limit: 100 })
          .then(({ runs }) => {
            if (get().caseId === caseId) set({ runs });
          })
          .catch(() => undefined);
      }, 150);
    },

    async pick(id) {
      const c = client();
      if (!c) return;
      if (get().picked?.info.id === id) return;
      try {
        const detail = await call(c, 'playbook.get', { id });
        set({ picked: detail, startBreakpoints: [], startError: null });
      } catch (err) {
        useApp.getState().reportError(asApiError(err));
      }
    },

    toggleStartBreakpoint(stepId) {
      const now = get().startBreakpoints;
      set({ startBreakpoints: now.includes(stepId) ? now.filter((s) => s !== stepId) : [...now, stepId] });
    },

    async importFile(file) {
      const c = client();
      if (!c) return;
      set({ importing: true, importError: null, imported: null });
      try {
        const text = await file.text();
        const { info, notes } = await call(c, 'playbook.import', { text, file: file.name });
        const { playbooks } = await call(c, 'playbook.list', {});
        set({ playbooks, imported: { id: info.id, version: info.version, notes: notes.length }, picked: null });
        await get().pick(info.id);
      } catch (err) {
        set({ importError: asApiError(err) });
      } finally {
        set({ importing: false });
      }
    },

    async start(request) {
      const c = client();
      const { caseId, picked, startBreakpoints } = get();
      if (!c || !caseId || !picked) return null;
      set({ starting: true, startError: null });
      try {
        const run = await call(c, 'run.start', { ...request, caseId, playbookId: picked.info.id, breakpoints: startBreakpoints, wait: false });
        void get().refreshRuns();
        return run.id;
      } catch (err) {
        set({ startError: asApiError(err) });
        return null;
      } finally {
        set({ starting: false });
      }
    },

    clearStartError() {
      set({ startError: null });
    },
  };
});
