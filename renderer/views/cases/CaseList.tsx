import { useApp } from '../../state/app-store.js';
import { formatTime } from '../common/format.js';
import { NewCaseForm } from './NewCaseForm.js';

export function CaseList() {
  const cases = useApp((s) => s.cases);
  const loaded = useApp((s) => s.casesLoaded);
  const navigate = useApp((s) => s.navigate);
  return (
    <section aria-labelledby="cases-title">
      <header className="page-header">
        <h1 id="cases-title">Cases</h1>
      </header>
      <NewCaseForm />
      {loaded && cases.length === 0 && <p className="empty">No cases yet. Create the first one above.</p>}
      {cases.length > 0 && (
        <table className="grid" aria-label="Cases">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Opened</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id} data-case-id={c.id}>
                <td>
                  <a
                    href={`#/cases/${c.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ view: 'case', caseId: c.id });
                    }}
                  >
                    {c.name}
                  </a>
                  {c.description && <div className="muted">{c.description}</div>}
                </td>
                <td>
                  <span className={`badge ${c.status}`}>{c.status}</span>
                </td>
                <td>
                  <time dateTime={c.createdAt}>{formatTime(c.createdAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
