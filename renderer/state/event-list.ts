import { create } from 'zustand';
import type { CommandInput } from '../../core/api/index.js';
import type { CaseId, EventRow, Level } from '../../core/model/index.js';
import { call } from '../client/index.js';
import { asApiError, useApp } from './app-store.js';
import type { EntityFilter } from './route.js';

export const PAGE_SIZE = 200;

export interface EventFilters {
  kind: 'alert' | 'event' | null;
  levels: Level[];
  host: string;
  user: string;
  technique: string;
  tag: string;
  text: string;
  entity: EntityFilter | null;
  sort: 'ts' | 'risk';
  order: 'asc' | 'desc';
}

/** One paged, filtered list of a case's records: rows arrive in pages of 200 as the user scrolls to them. */
export interface EventListState {
  caseId: CaseId | null;
  filters: EventFilters;
  /** Sparse: index → row, filled page by page. */
  rows: (EventRow | undefined)[];
  /** null until the first page of the current query has answered. */
  total: number | null;
  /** Bumped on every new query, so a view can scroll back to the top and stale pages are dropped. */
  generation: number;
  open(caseId: CaseId): void;
  setFilters(patch: Partial<EventFilters>): void;
  /** Called by the virtual list with the rows on screen. */
  ensureRange(first: number, last: number): void;
  /** Reloads what is on screen, keeping filters and scroll position (after an import or a regroup). */
  refresh(): void;
}

export function toQuery(caseId: CaseId, f: EventFilters, offset: number): CommandInput<'event.list'> {
  const q: CommandInput<'event.list'> = { caseId, sort: f.sort, order: f.order, limit: PAGE_SIZE, offset };
  if (f.kind) q.kind = f.kind;
  if (f.levels.length) q.levels = f.levels;
  if (f.host.trim()) q.host = f.host.trim();
  if (f.user.trim()) q.user = f.user.trim();
  if (f.technique.trim()) q.technique = f.technique.trim();
  if (f.tag.trim()) q.tag = f.tag.trim();
  if (f.text.trim()) q.text = f.text.trim();
  if (f.entity) q.entity = f.entity;
  return q;
}

export function createEventList(defaults: EventFilters) {
  return create<EventListState>()((set, get) => {
    // `current` identifies the query in flight, so that pages of an older query are dropped when they answer late.
    let current = 0;
    let requested = new Set<number>();
    let replaceOnArrival = -1;
    let lastRange: [number, number] = [0, 0];

    const loadPage = async (page: number, token: number) => {
      const { caseId, filters } = get();
      const client = useApp.getState().client;
      if (!caseId || !client) return;
      requested.add(page);
      try {
        const { rows, total } = await call(client, 'event.list', toQuery(caseId, filters, page * PAGE_SIZE));
        if (token !== current) return;
        // After a refresh the first page to answer replaces the old rows, so none from before it lingers off screen.
        const next = replaceOnArrival === token ? [] : get().rows.slice();
        replaceOnArrival = -1;
        next.length = total;
        rows.forEach((row, i) => (next[page * PAGE_SIZE + i] = row));
        set({ rows: next, total });
      } catch (err) {
        requested.delete(page);
        if (token === current) useApp.getState().reportError(asApiError(err));
      }
    };

    const pagesOf = (first: number, last: number) => {
      const pages: number[] = [];
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(Math.max(first, last) / PAGE_SIZE); p++) pages.push(p);
      return pages;
    };

    const reload = (fresh: boolean) => {
      requested = new Set();
      const token = ++current;
      // A new query starts from the top; a refresh keeps the rows on screen until their replacements arrive.
      if (fresh) {
        lastRange = [0, 0];
        set({ generation: get().generation + 1, rows: [], total: null });
      } else replaceOnArrival = token;
      const pages = pagesOf(...lastRange);
      if (!pages.includes(0)) pages.unshift(0);
      for (const page of pages) void loadPage(page, token);
    };

    return {
      caseId: null,
      filters: defaults,
      rows: [],
      total: null,
      generation: 0,

      open(caseId) {
        if (get().caseId === caseId) return;
        set({ caseId, filters: defaults });
        reload(true);
      },

      setFilters(patch) {
        const filters = { ...get().filters, ...patch };
        if (JSON.stringify(filters) === JSON.stringify(get().filters)) return;
        set({ filters });
        reload(true);
      },

      ensureRange(first, last) {
        lastRange = [first, last];
        for (const page of pagesOf(first, last)) {
          if (!requested.has(page)) void loadPage(page, current);
        }
      },

      refresh() {
        if (get().caseId) reload(false);
      },
    };
  });
}

const base: Omit<EventFilters, 'sort' | 'order' | 'kind'> = { levels: [], host: '', user: '', technique: '', tag: '', text: '', entity: null };

/** The alert queue: alerts only, newest first until the analyst sorts otherwise. */
export const useAlerts = createEventList({ ...base, kind: 'alert', sort: 'ts', order: 'desc' });

/** The timeline: every record, oldest first. */
export const useTimeline = createEventList({ ...base, kind: null, sort: 'ts', order: 'asc' });
