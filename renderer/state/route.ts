import type { CaseId } from '../../core/model/index.js';

export const caseTabs = ['overview', 'alerts', 'timeline', 'incidents', 'detections', 'attack', 'quarantine', 'playbooks', 'graph'] as const;
export type CaseTab = (typeof caseTabs)[number];

/** What the timeline is narrowed to: one entity, as the core stores it (type + canonical value). */
export interface EntityFilter {
  type: string;
  canonical: string;
}

export type Route =
  | { view: 'cases' }
  | { view: 'connectors' }
  | { view: 'dependencies' }
  | { view: 'case'; caseId: CaseId; tab?: CaseTab; entity?: EntityFilter; run?: string; graphStart?: GraphStart };

/** Where the incident graph starts: around one record (an alert) or around what a search names. */
export type GraphStart = { event: string } | { query: string };

/**
 * Hash routes work the same from app:// in Electron and from the browser host:
 * #/cases, #/cases/<id> (overview), #/cases/<id>/<tab>, #/cases/<id>/timeline?entity=<type>:<canonical>,
 * #/cases/<id>/playbooks?run=<runId> (the runner of one run), #/cases/<id>/graph?event=<eventId> or ?q=<search>,
 * #/connectors, #/dependencies (the organisation's dependency map).
 */
export function parseRoute(hash: string): Route {
  if (hash === '#/connectors') return { view: 'connectors' };
  if (hash === '#/dependencies') return { view: 'dependencies' };
  const match = /^#\/cases\/([A-Za-z0-9_-]+)(?:\/([a-z]+))?(?:\?(.*))?$/.exec(hash);
  if (!match) return { view: 'cases' };
  const route: Route = { view: 'case', caseId: match[1] as CaseId };
  const tab = caseTabs.find((t) => t === match[2]);
  if (tab && tab !== 'overview') route.tab = tab;
  const query = new URLSearchParams(match[3] ?? '');
  const entity = parseEntityFilter(query.get('entity') ?? '');
  if (tab === 'timeline' && entity) route.entity = entity;
  const run = query.get('run');
  if (tab === 'playbooks' && run && /^[A-Za-z0-9_-]{1,128}$/.test(run)) route.run = run;
  if (tab === 'graph') {
    const event = query.get('event');
    const q = query.get('q')?.trim();
    if (event && /^[A-Za-z0-9_-]{1,128}$/.test(event)) route.graphStart = { event };
    else if (q) route.graphStart = { query: q.slice(0, 500) };
  }
  return route;
}

export function routeHash(route: Route): string {
  if (route.view === 'cases') return '#/cases';
  if (route.view === 'connectors') return '#/connectors';
  if (route.view === 'dependencies') return '#/dependencies';
  const base = `#/cases/${route.caseId}`;
  if (!route.tab || route.tab === 'overview') return base;
  const query =
    route.tab === 'timeline' && route.entity
      ? `?entity=${encodeURIComponent(formatEntityFilter(route.entity))}`
      : route.tab === 'playbooks' && route.run
        ? `?run=${encodeURIComponent(route.run)}`
        : route.tab === 'graph' && route.graphStart
          ? 'event' in route.graphStart
            ? `?event=${encodeURIComponent(route.graphStart.event)}`
            : `?q=${encodeURIComponent(route.graphStart.query)}`
          : '';
  return `${base}/${route.tab}${query}`;
}

/** `ip:10.0.5.13`, `host:prd01.pandalab.com`: the type is everything before the first colon (IPv6 values keep theirs). */
export function parseEntityFilter(text: string): EntityFilter | null {
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  const type = text.slice(0, colon).trim().toLowerCase();
  const canonical = text.slice(colon + 1).trim();
  if (!/^[a-z]+$/.test(type) || !canonical) return null;
  return { type, canonical };
}

export const formatEntityFilter = (e: EntityFilter): string => `${e.type}:${e.canonical}`;
