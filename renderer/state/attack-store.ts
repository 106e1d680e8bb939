import { create } from 'zustand';
import type { CommandOutput } from '../../core/api/index.js';
import type { CaseId } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';
import { useAlerts } from './event-list.js';

export type AttackMatrixData = CommandOutput<'attack.matrix'>;

export interface AttackState {
  caseId: CaseId | null;
  matrix: AttackMatrixData | null;
  load(caseId: CaseId): Promise<void>;
  /** Opens the alert queue showing exactly the alerts of one technique (a parent finds its sub-techniques too). */
  openAlerts(caseId: CaseId, techniqueId: string): void;
}

export const useAttack = create<AttackState>()((set, get) => ({
  caseId: null,
  matrix: null,

  async load(caseId) {
    const client = useApp.getState().client;
    if (!client) return;
    if (get().caseId !== caseId) set({ caseId, matrix: null });
    try {
      const matrix = await call(client, 'attack.matrix', { caseId });
      if (get().caseId === caseId) set({ matrix });
    } catch (err) {
      useApp.getState().reportError(asApiError(err));
    }
  },

  openAlerts(caseId, techniqueId) {
    const alerts = useAlerts.getState();
    alerts.open(caseId);
    // Other filters are cleared, so the queue's count is the cell's count.
    alerts.setFilters({ technique: techniqueId, levels: [], host: '', user: '', tag: '', text: '', entity: null });
    useApp.getState().navigate({ view: 'case', caseId, tab: 'alerts' });
  },
}));
