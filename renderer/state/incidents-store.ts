import { create } from 'zustand';
import type { CaseId, IncidentSummary } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';

export interface IncidentsState {
  caseId: CaseId | null;
  incidents: IncidentSummary[] | null;
  load(caseId: CaseId): Promise<void>;
}

export const useIncidents = create<IncidentsState>()((set, get) => ({
  caseId: null,
  incidents: null,

  async load(caseId) {
    const client = useApp.getState().client;
    if (!client) return;
    if (get().caseId !== caseId) set({ caseId, incidents: null });
    try {
      const { incidents } = await call(client, 'incident.list', { caseId });
      if (get().caseId === caseId) set({ incidents });
    } catch (err) {
      useApp.getState().reportError(asApiError(err));
    }
  },
}));
