import { create } from 'zustand';
import type { ApiError, CommandOutput } from '../../core/api/index.js';
import type { CaseId, EventDetail, EventRow, SigmaRuleSummary } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';

export type SigmaRunSummary = CommandOutput<'sigma.run'>;
export type SigmaRejection = CommandOutput<'sigma.rules'>['rejected'][number];

/** Detections listed at once; a case with more says how many are not shown. */
export const DETECTION_PAGE = 500;

/**
 * The case's Detections tab: the shipped Sigma rules with what each raised in the case, the detections of the rule
 * picked (or of all rules), and the one detection open with the fields that made it fire.
 */
export interface SigmaState {
  caseId: CaseId | null;
  rules: SigmaRuleSummary[] | null;
  rejected: SigmaRejection[];
  /** Detections stored in the case per rule id. */
  counts: Record<string, number>;
  ruleId: string | null;
  detections: EventRow[] | null;
  total: number;
  detectionId: string | null;
  detection: EventDetail | null;
  running: boolean;
  lastRun: SigmaRunSummary | null;
  runError: ApiError | null;
  load(caseId: CaseId): Promise<void>;
  selectRule(ruleId: string | null): Promise<void>;
  openDetection(eventId: string): Promise<void>;
  run(): Promise<void>;
}

export const useSigma = create<SigmaState>()((set, get) => {
  const client = () => useApp.getState().client;
  const report = (err: unknown) => useApp.getState().reportError(asApiError(err));

  async function loadDetections(caseId: CaseId, ruleId: string | null) {
    const c = client();
    if (!c) return;
    try {
      const list = await call(c, 'event.list', {
        caseId,
        kind: 'alert',
        format: 'sigma',
        ...(ruleId ? { ruleId } : {}),
        sort: 'risk',
        order: 'desc',
        limit: DETECTION_PAGE,
      });
      if (get().caseId === caseId && get().ruleId === ruleId) set({ detections: list.rows, total: list.total });
    } catch (err) {
      report(err);
    }
  }

  async function loadRules(caseId: CaseId) {
    const c = client();
    if (!c) return;
    try {
      const listed = await call(c, 'sigma.rules', { caseId });
      if (get().caseId === caseId) set({ rules: listed.rules, rejected: listed.rejected, counts: listed.detections ?? {} });
    } catch (err) {
      report(err);
    }
  }

  return {
    caseId: null,
    rules: null,
    rejected: [],
    counts: {},
    ruleId: null,
    detections: null,
    total: 0,
    detectionId: null,
    detection: null,
    running: false,
    lastRun: null,
    runError: null,

    async load(caseId) {
      if (get().caseId !== caseId) {
        set({ caseId, rules: null, rejected: [], counts: {}, ruleId: null, detections: null, total: 0, detectionId: null, detection: null, lastRun: null, runError: null });
      }
      await Promise.all([loadRules(caseId), loadDetections(caseId, get().ruleId)]);
    },

    async selectRule(ruleId) {
      const caseId = get().caseId;
      if (!caseId) return;
      set({ ruleId, detections: null, detectionId: null, detection: null });
      await loadDetections(caseId, ruleId);
    },

    async openDetection(eventId) {
      const caseId = get().caseId;
      const c = client();
      if (!caseId || !c) return;
      set({ detectionId: eventId, detection: null });
      try {
        const detection = await call(c, 'event.get', { caseId, eventId });
        if (get().detectionId === eventId) set({ detection });
      } catch (err) {
        report(err);
      }
    },

    async run() {
      const caseId = get().caseId;
      const c = client();
      if (!caseId || !c || get().running) return;
      set({ running: true, runError: null });
      try {
        const lastRun = await call(c, 'sigma.run', { caseId });
        if (get().caseId !== caseId) return;
        set({ lastRun });
        await Promise.all([loadRules(caseId), loadDetections(caseId, get().ruleId)]);
      } catch (err) {
        if (get().caseId === caseId) set({ runError: asApiError(err) });
      } finally {
        if (get().caseId === caseId) set({ running: false });
      }
    },
  };
});
