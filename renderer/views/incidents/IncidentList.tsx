import { useEffect } from 'react';
import type { CaseId, IncidentSummary } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { useIncidents } from '../../state/incidents-store.js';
import type { EntityFilter } from '../../state/route.js';
import { EntityChip } from '../common/EntityChip.js';
import { countOf, formatTime } from '../common/format.js';
import { LevelBadge } from '../common/LevelBadge.js';

/** The case's incidents, riskiest first, each saying why its records were put together. */
export function IncidentList({ caseId }: { caseId: CaseId }) {
  const { caseId: loadedFor, incidents, load } = useIncidents();
  const navigate = useApp((s) => s.navigate);
  useEffect(() => void load(caseId), [caseId, load]);
  const ready = loadedFor === caseId && incidents !== null;
  const openTimeline = (entity: EntityFilter) => navigate({ view: 'case', caseId, tab: 'timeline', entity });

  return (
    <section className="evidence-view scrolls" aria-labelledby="incidents-title">
      <div className="view-header">
        <h2 id="incidents-title">Incidents</h2>
        <div className="total" data-testid="incident-count">
          {ready ? countOf(incidents.length, 'incident') : 'Loading…'}
        </div>
      </div>
      {ready && incidents.length === 0 && <p className="empty">No incidents yet: they are grouped after each import.</p>}
      <ul className="incident-cards" aria-label="Incidents">
        {(ready ? incidents : []).map((i) => (
          <IncidentCard key={i.id} incident={i} onEntity={openTimeline} />
        ))}
      </ul>
    </section>
  );
}

function IncidentCard({ incident: i, onEntity }: { incident: IncidentSummary; onEntity(e: EntityFilter): void }) {
  return (
    <li className="card incident" data-incident-id={i.id} aria-labelledby={`incident-${i.id}`}>
      <header className="card-header">
        <h3 id={`incident-${i.id}`}>{i.title}</h3>
        <div className="card-meta">
          <LevelBadge level={i.level} />
          <span>
            risk <strong>{i.risk}</strong>
          </span>
          <span>{countOf(i.memberCount, 'record')}</span>
          <span className={`badge origin-${i.origin}`}>{i.origin}</span>
        </div>
      </header>
      <div className="muted">
        {i.firstTs ? <time dateTime={i.firstTs}>{formatTime(i.firstTs)}</time> : 'no start'}
        {' → '}
        {i.lastTs ? <time dateTime={i.lastTs}>{formatTime(i.lastTs)}</time> : 'no end'}
        {Object.keys(i.formats).length > 0 && ` · ${Object.keys(i.formats).join(', ')}`}
      </div>
      {i.summary && <p>{i.summary}</p>}
      {i.rationale.length > 0 && (
        <ul className="rationale" aria-label="Why these belong together">
          {i.rationale.map((r) => (
            <li key={r}>because {r.replace(/^because\s+/i, '')}</li>
          ))}
        </ul>
      )}
      {i.entities.length > 0 && (
        <div className="chips" aria-label="Entities">
          {i.entities.map((e) => (
            <EntityChip key={`${e.type}:${e.canonical}`} entity={e} count={e.count} onOpen={onEntity} />
          ))}
        </div>
      )}
    </li>
  );
}
