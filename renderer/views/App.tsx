import { useEffect } from 'react';
import { useApp } from '../state/app-store.js';
import { CaseList } from './cases/CaseList.js';
import { CasePage } from './cases/CasePage.js';
import { ConnectorsPage } from './connectors/ConnectorsPage.js';
import { DependencyMapPage } from './dependencies/DependencyMapPage.js';
import { ErrorBanner } from './ErrorBanner.js';
import { Nav } from './Nav.js';

export function App() {
  const route = useApp((s) => s.route);
  const refreshCases = useApp((s) => s.refreshCases);
  useEffect(() => void refreshCases(), [refreshCases]);

  return (
    <div className="shell">
      <Nav />
      <main className="content">
        <ErrorBanner />
        {route.view === 'case' ? (
          <CasePage caseId={route.caseId} tab={route.tab ?? 'overview'} entity={route.entity ?? null} run={route.run ?? null} graphStart={route.graphStart ?? null} />
        ) : route.view === 'connectors' ? (
          <ConnectorsPage />
        ) : route.view === 'dependencies' ? (
          <DependencyMapPage />
        ) : (
          <CaseList />
        )}
      </main>
    </div>
  );
}
