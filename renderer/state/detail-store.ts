import { create } from 'zustand';
import type { ApiError } from '../../core/api/index.js';
import type { CaseId, EventDetail, EventId } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';

/** The record open in the detail drawer, whichever list it was opened from. */
export interface DetailState {
  caseId: CaseId | null;
  eventId: EventId | null;
  detail: EventDetail | null;
  error: ApiError | null;
  show(caseId: CaseId, eventId: EventId): Promise<void>;
  close(): void;
}

export const useDetail = create<DetailState>()((set, get) => ({
  caseId: null,
  eventId: null,
  detail: null,
  error: null,

  async show(caseId, eventId) {
    const client = useApp.getState().client;
    if (!client) return;
    set({ caseId, eventId, detail: null, error: null });
    try {
      const detail = await call(client, 'event.get', { caseId, eventId });
      if (get().eventId === eventId) set({ detail });
    } catch (err) {
      if (get().eventId === eventId) set({ error: asApiError(err) });
    }
  },

  close() {
    set({ caseId: null, eventId: null, detail: null, error: null });
  },
}));
