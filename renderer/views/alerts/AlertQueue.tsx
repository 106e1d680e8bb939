import { useEffect } from 'react';
import type { CaseId, EventRow } from '../../../core/model/index.js';
import { useDetail } from '../../state/detail-store.js';
import { useAlerts } from '../../state/event-list.js';
import { EventFilters } from '../common/EventFilters.js';
import { EventTable } from '../common/EventTable.js';
import { countOf } from '../common/format.js';

/** The case's alerts, filtered and sorted by the analyst, a page at a time. */
export function AlertQueue({ caseId }: { caseId: CaseId }) {
  const list = useAlerts();
  const selectedId = useDetail((s) => s.eventId);
  const showDetail = useDetail((s) => s.show);
  useEffect(() => list.open(caseId), [caseId, list.open]);
  const ready = list.caseId === caseId;

  return (
    <section className="evidence-view" aria-labelledby="alerts-title">
      <div className="view-header">
        <h2 id="alerts-title">Alert queue</h2>
        <div className="total" aria-live="polite" data-testid="alert-count">
          {ready && list.total !== null ? countOf(list.total, 'alert') : 'Loading…'}
        </div>
      </div>
      {ready && <EventFilters key={caseId} filters={list.filters} onChange={list.setFilters} />}
      <EventTable
        label="Alerts"
        layout="alerts"
        state={list}
        sortable={['ts', 'risk']}
        selectedId={selectedId}
        onOpen={(row: EventRow) => void showDetail(caseId, row.id)}
      />
      {ready && list.total === 0 && <p className="empty">No alerts match. Import evidence or loosen the filters.</p>}
    </section>
  );
}
