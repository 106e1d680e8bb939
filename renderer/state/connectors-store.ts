import { create } from 'zustand';
import type { ApiError, CommandOutput, EventPayload } from '../../core/api/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';

export type VendorManifest = CommandOutput<'connector.vendors'>['vendors'][number];
export type ConnectorInfo = CommandOutput<'connector.list'>['connectors'][number];
export type PullResult = CommandOutput<'connector.pull'>;
export type TestOutcome = CommandOutput<'connector.test'>;
export type PullProgress = EventPayload<'connector.progress'>;

/** What happened the last time the responder pressed a button on one connector, kept until the next press. */
export interface ConnectorActivity {
  testing?: boolean;
  test?: TestOutcome | undefined;
  pulling?: boolean;
  progress?: PullProgress | undefined;
  pull?: PullResult | undefined;
  error?: ApiError | undefined;
}

export interface ConnectorsState {
  vendors: VendorManifest[] | null;
  connectors: ConnectorInfo[] | null;
  activity: Record<string, ConnectorActivity>;
  adding: boolean;
  addError: ApiError | null;
  load(): Promise<void>;
  add(input: { vendor: string; name: string; settings: Record<string, unknown>; enabled: boolean }): Promise<boolean>;
  test(name: string): Promise<void>;
  pull(name: string, caseId: string): Promise<void>;
  stop(name: string): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<void>;
  setSchedule(name: string, schedule: { caseId: string; everyMinutes: number } | null): Promise<void>;
  remove(name: string): Promise<void>;
  onProgress(p: PullProgress): void;
  /** Reloads the list shortly (once a burst of journal entries has settled), if the page has loaded it. */
  refreshSoon(): void;
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

export const useConnectors = create<ConnectorsState>()((set, get) => {
  const client = () => useApp.getState().client;
  const patch = (name: string, a: ConnectorActivity) => set({ activity: { ...get().activity, [name]: { ...get().activity[name], ...a } } });
  const refresh = async () => {
    const c = client();
    if (!c) return;
    const { connectors } = await call(c, 'connector.list', {});
    set({ connectors });
  };
  /** Runs one change, then shows the list as the core now has it; a failure is shown on that connector. */
  const change = async (name: string, run: () => Promise<unknown>) => {
    try {
      await run();
      patch(name, { error: undefined });
    } catch (err) {
      patch(name, { error: asApiError(err) });
    }
    await refresh().catch((err) => useApp.getState().reportError(asApiError(err)));
  };

  return {
    vendors: null,
    connectors: null,
    activity: {},
    adding: false,
    addError: null,

    async load() {
      const c = client();
      if (!c) return;
      try {
        const [{ vendors }, { connectors }] = await Promise.all([call(c, 'connector.vendors', {}), call(c, 'connector.list', {})]);
        set({ vendors, connectors });
      } catch (err) {
        useApp.getState().reportError(asApiError(err));
      }
    },

    async add(input) {
      const c = client();
      if (!c) return false;
      set({ adding: true, addError: null });
      try {
        await call(c, 'connector.add', { ...input, schedule: null });
        await refresh();
        return true;
      } catch (err) {
        set({ addError: asApiError(err) });
        return false;
      } finally {
        set({ adding: false });
      }
    },

    async test(name) {
      const c = client();
      if (!c) return;
      patch(name, { testing: true, test: undefined, error: undefined });
      try {
        patch(name, { test: await call(c, 'connector.test', { name }) });
      } catch (err) {
        patch(name, { error: asApiError(err) });
      } finally {
        patch(name, { testing: false });
      }
    },

    async pull(name, caseId) {
      const c = client();
      if (!c) return;
      patch(name, { pulling: true, pull: undefined, progress: undefined, error: undefined });
      try {
        patch(name, { pull: await call(c, 'connector.pull', { name, caseId }) });
      } catch (err) {
        patch(name, { error: asApiError(err) });
      } finally {
        patch(name, { pulling: false });
        await refresh().catch(() => undefined);
      }
    },

    stop: (name) => change(name, async () => call(client()!, 'connector.stop', { name })),
    setEnabled: (name, enabled) => change(name, async () => call(client()!, 'connector.update', { name, enabled })),
    setSchedule: (name, schedule) => change(name, async () => call(client()!, 'connector.update', { name, schedule })),
    remove: (name) => change(name, async () => call(client()!, 'connector.remove', { name })),

    onProgress(p) {
      patch(p.connector, { progress: p });
    },

    refreshSoon() {
      if (get().connectors === null) return;
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void refresh().catch(() => undefined), 200);
    },
  };
});
