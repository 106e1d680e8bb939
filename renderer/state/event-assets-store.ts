import { create } from 'zustand';
import type { ApiError } from '../../core/api/index.js';
import type { AssetResolution, CaseId, EventId } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';

/** The inventory's view of the hosts and addresses of the record open in the detail drawer. */
export interface EventAssetsState {
  eventId: EventId | null;
  resolutions: AssetResolution[] | null;
  error: ApiError | null;
  load(caseId: CaseId, eventId: EventId): Promise<void>;
}

export const useEventAssets = create<EventAssetsState>()((set, get) => ({
  eventId: null,
  resolutions: null,
  error: null,

  async load(caseId, eventId) {
    const client = useApp.getState().client;
    if (!client) return;
    set({ eventId, resolutions: null, error: null });
    try {
      const { resolutions } = await call(client, 'asset.resolve', { caseId, eventId });
      if (get().eventId === eventId) set({ resolutions });
    } catch (err) {
      if (get().eventId === eventId) set({ error: asApiError(err) });
    }
  },
}));
