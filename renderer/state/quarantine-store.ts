import { create } from 'zustand';
import type { CaseId, QuarantinedRecord } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';

const PAGE = 200;

/** What imports of a case could not take: reason counts and the records, a page at a time. */
export interface QuarantineState {
  caseId: CaseId | null;
  records: QuarantinedRecord[];
  total: number | null;
  reasons: Record<string, number>;
  load(caseId: CaseId): Promise<void>;
  loadMore(): Promise<void>;
}

export const useQuarantine = create<QuarantineState>()((set, get) => {
  const fetchPage = async (caseId: CaseId, offset: number) => {
    const client = useApp.getState().client;
    if (!client) return null;
    try {
      return await call(client, 'quarantine.list', { caseId, limit: PAGE, offset });
    } catch (err) {
      useApp.getState().reportError(asApiError(err));
      return null;
    }
  };

  return {
    caseId: null,
    records: [],
    total: null,
    reasons: {},

    async load(caseId) {
      if (get().caseId !== caseId) set({ caseId, records: [], total: null, reasons: {} });
      // Keep as many records as were on screen, so a refresh does not collapse a list the analyst expanded.
      const keep = Math.max(PAGE, get().records.length);
      const pages = await Promise.all(Array.from({ length: Math.ceil(keep / PAGE) }, (_, i) => fetchPage(caseId, i * PAGE)));
      if (get().caseId !== caseId || pages.some((p) => p === null)) return;
      set({ records: pages.flatMap((p) => p!.records), total: pages[0]!.total, reasons: pages[0]!.reasons });
    },

    async loadMore() {
      const { caseId, records } = get();
      if (!caseId) return;
      const page = await fetchPage(caseId, records.length);
      if (page && get().caseId === caseId) set({ records: [...get().records, ...page.records], total: page.total, reasons: page.reasons });
    },
  };
});
