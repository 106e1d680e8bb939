import type { CaseId } from '../../core/model/index.js';

export type Route = { view: 'cases' } | { view: 'case'; caseId: CaseId };

/** Hash routes (#/cases, #/cases/<id>) work the same from app:// in Electron and from the browser host. */
export function parseRoute(hash: string): Route {
  const match = /^#\/cases\/([A-Za-z0-9_-]+)$/.exec(hash);
  if (match) return { view: 'case', caseId: match[1] as CaseId };
  return { view: 'cases' };
}

export function routeHash(route: Route): string {
  return route.view === 'case' ? `#/cases/${route.caseId}` : '#/cases';
}
