import type { CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { caseTabs, routeHash, type CaseTab } from '../../state/route.js';

export const tabLabels: Record<CaseTab, string> = {
  overview: 'Overview',
  alerts: 'Alerts',
  timeline: 'Timeline',
  incidents: 'Incidents',
  detections: 'Detections',
  attack: 'ATT&CK',
  quarantine: 'Quarantine',
  playbooks: 'Playbooks',
  graph: 'Graph',
};

/** The case's sections as links, so each can be opened in place, bookmarked or reached with the back button. */
export function CaseTabs({ caseId, active }: { caseId: CaseId; active: CaseTab }) {
  const navigate = useApp((s) => s.navigate);
  return (
    <nav className="tabs" aria-label="Case sections">
      {caseTabs.map((tab) => (
        <a
          key={tab}
          href={routeHash({ view: 'case', caseId, tab })}
          className={tab === active ? 'tab active' : 'tab'}
          {...(tab === active ? { 'aria-current': 'page' as const } : {})}
          onClick={(e) => {
            e.preventDefault();
            navigate({ view: 'case', caseId, tab });
          }}
        >
          {tabLabels[tab]}
        </a>
      ))}
    </nav>
  );
}
