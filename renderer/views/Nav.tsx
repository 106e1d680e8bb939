import { useApp } from '../state/app-store.js';
import { caseTabs } from '../state/route.js';
import { tabLabels } from './cases/CaseTabs.js';

export function Nav() {
  const route = useApp((s) => s.route);
  const cases = useApp((s) => s.cases);
  const navigate = useApp((s) => s.navigate);
  const transport = useApp((s) => s.client?.transport);
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">Quell</div>
      <button
        type="button"
        className={route.view === 'cases' ? 'nav-item active' : 'nav-item'}
        onClick={() => navigate({ view: 'cases' })}
      >
        Cases <span className="count">{cases.length}</span>
      </button>
      {route.view === 'case' && (
        <>
          <div className="nav-sub" title={route.caseId}>
            {cases.find((c) => c.id === route.caseId)?.name ?? route.caseId}
          </div>
          {caseTabs.map((tab) => (
            <button
              key={tab}
              type="button"
              className={(route.tab ?? 'overview') === tab ? 'nav-item nav-case-item active' : 'nav-item nav-case-item'}
              onClick={() => navigate({ view: 'case', caseId: route.caseId, tab })}
            >
              {tabLabels[tab]}
            </button>
          ))}
        </>
      )}
      <button
        type="button"
        className={route.view === 'connectors' ? 'nav-item active' : 'nav-item'}
        onClick={() => navigate({ view: 'connectors' })}
      >
        Connectors
      </button>
      <button
        type="button"
        className={route.view === 'dependencies' ? 'nav-item active' : 'nav-item'}
        onClick={() => navigate({ view: 'dependencies' })}
      >
        Dependencies
      </button>
      <div className="nav-footer">{transport === 'electron' ? 'Desktop' : 'Browser mode'}</div>
    </nav>
  );
}
