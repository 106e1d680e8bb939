import { useApp } from '../state/app-store.js';

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
        <div className="nav-sub" title={route.caseId}>
          {cases.find((c) => c.id === route.caseId)?.name ?? route.caseId}
        </div>
      )}
      <div className="nav-footer">{transport === 'electron' ? 'Desktop' : 'Browser mode'}</div>
    </nav>
  );
}
