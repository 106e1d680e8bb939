import { useEffect } from 'react';
import type { CaseId, EventRow } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { useDetail } from '../../state/detail-store.js';
import { useTimeline, type EventFilters as Filters } from '../../state/event-list.js';
import type { EntityFilter } from '../../state/route.js';
import { EventFilters } from '../common/EventFilters.js';
import { EventTable } from '../common/EventTable.js';
import { countOf } from '../common/format.js';
import { EntityFilterBox } from './EntityFilterBox.js';

/**
 * Every record of the case, alerts and events, in time order. The entity filter lives in the address
 * (#/cases/<id>/timeline?entity=ip:10.0.5.13) so that chips elsewhere can link here and the view can be bookmarked.
 */
export function Timeline({ caseId, entity }: { caseId: CaseId; entity: EntityFilter | null }) {
  const list = useTimeline();
  const navigate = useApp((s) => s.navigate);
  const selectedId = useDetail((s) => s.eventId);
  const showDetail = useDetail((s) => s.show);
  useEffect(() => list.open(caseId), [caseId, list.open]);
  useEffect(() => list.setFilters({ entity }), [entity?.type, entity?.canonical, list.setFilters, list.caseId]);
  const ready = list.caseId === caseId;

  const applyEntity = (e: EntityFilter | null) =>
    navigate(e ? { view: 'case', caseId, tab: 'timeline', entity: e } : { view: 'case', caseId, tab: 'timeline' });
  const kind = list.filters.kind ?? '';

  return (
    <section className="evidence-view" aria-labelledby="timeline-title">
      <div className="view-header">
        <h2 id="timeline-title">Timeline</h2>
        <div className="total" aria-live="polite" data-testid="timeline-count">
          {ready && list.total !== null ? countOf(list.total, 'record') : 'Loading…'}
        </div>
      </div>
      <EntityFilterBox active={entity} onApply={applyEntity} />
      {ready && (
        <EventFilters
          key={caseId}
          filters={list.filters}
          onChange={list.setFilters}
          leading={
            <select aria-label="Kind" value={kind} onChange={(e) => list.setFilters({ kind: (e.target.value || null) as Filters['kind'] })}>
              <option value="">Alerts and events</option>
              <option value="alert">Alerts only</option>
              <option value="event">Events only</option>
            </select>
          }
        />
      )}
      <EventTable
        label="Timeline"
        layout="timeline"
        state={list}
        sortable={['ts']}
        selectedId={selectedId}
        onOpen={(row: EventRow) => void showDetail(caseId, row.id)}
      />
      {ready && list.total === 0 && <p className="empty">Nothing in the timeline matches.</p>}
    </section>
  );
}
