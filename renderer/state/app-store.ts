import { create } from 'zustand';
import type { ApiError } from '../../core/api/index.js';
import type { CaseId, CaseSummary, JournalEntry, Note } from '../../core/model/index.js';
import { call, ClientError, type QuellClient } from '../client/index.js';
import { parseRoute, routeHash, type Route } from './route.js';

/** View state and cached query results. The core is the only source of truth; this is refreshed from it. */
export interface AppState {
  client: QuellClient | null;
  route: Route;
  cases: CaseSummary[];
  casesLoaded: boolean;
  journal: Record<string, JournalEntry[]>;
  notes: Record<string, Note[]>;
  error: ApiError | null;
  busy: boolean;

  connect(client: QuellClient): () => void;
  navigate(route: Route): void;
  syncRoute(): void;
  refreshCases(): Promise<void>;
  createCase(name: string, description: string): Promise<CaseSummary | null>;
  loadCase(caseId: CaseId): Promise<void>;
  addNote(caseId: CaseId, body: string): Promise<boolean>;
  /** Shows a failure in the one error banner (used by the evidence slices). */
  reportError(error: ApiError): void;
  dismissError(): void;
}

export const asApiError = (err: unknown): ApiError =>
  err instanceof ClientError ? err.error : { code: 'bug', message: err instanceof Error ? err.message : String(err) };

export const useApp = create<AppState>()((set, get) => {
  const client = () => {
    const c = get().client;
    if (!c) throw new Error('The Quell client is not connected yet');
    return c;
  };
  const attempt = async <T>(work: () => Promise<T>): Promise<T | null> => {
    set({ busy: true });
    try {
      return await work();
    } catch (err) {
      set({ error: asApiError(err) });
      return null;
    } finally {
      set({ busy: false });
    }
  };

  return {
    client: null,
    route: parseRoute(window.location.hash),
    cases: [],
    casesLoaded: false,
    journal: {},
    notes: {},
    error: null,
    busy: false,

    connect(c) {
      set({ client: c });
      return c.subscribe('journal.appended', (entry) => {
        const caseId = entry.caseId;
        if (!caseId) return;
        const { journal } = get();
        const current = journal[caseId];
        // Only cases whose journal is on screen keep a cache; others load fresh when opened.
        if (current && !current.some((e) => e.seq === entry.seq)) {
          set({ journal: { ...journal, [caseId]: [...current, entry] } });
        }
        if (entry.action === 'case.created') void get().refreshCases();
        if (entry.action === 'note.added' && get().notes[caseId]) void get().loadCase(caseId);
      });
    },

    navigate(route) {
      window.location.hash = routeHash(route);
      set({ route });
    },

    syncRoute() {
      set({ route: parseRoute(window.location.hash) });
    },

    async refreshCases() {
      await attempt(async () => {
        const { cases } = await call(client(), 'case.list', {});
        set({ cases, casesLoaded: true });
      });
    },

    async createCase(name, description) {
      return attempt(async () => {
        const created = await call(client(), 'case.create', { name, description });
        await get().refreshCases();
        return created;
      });
    },

    async loadCase(caseId) {
      await attempt(async () => {
        const [journal, notes] = await Promise.all([
          call(client(), 'journal.list', { caseId, limit: 1000 }),
          call(client(), 'note.list', { caseId }),
        ]);
        set({ journal: { ...get().journal, [caseId]: journal.entries }, notes: { ...get().notes, [caseId]: notes.notes } });
      });
    },

    async addNote(caseId, body) {
      const note = await attempt(() => call(client(), 'note.add', { caseId, body }));
      return note !== null;
    },

    reportError(error) {
      set({ error });
    },

    dismissError() {
      set({ error: null });
    },
  };
});
