import { useEffect } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { useImport } from '../../state/import-store.js';
import type { CaseTab, EntityFilter, GraphStart } from '../../state/route.js';
import { AlertQueue } from '../alerts/AlertQueue.js';
import { AttackMatrix } from '../attack/AttackMatrix.js';
import { formatTime } from '../common/format.js';
import { DetectionsView } from '../detections/DetectionsView.js';
import { DetailDrawer } from '../evidence/DetailDrawer.js';
import { ImportDialog } from '../evidence/ImportDialog.js';
import { IncidentGraphView } from '../graph/IncidentGraphView.js';
import { QuarantineList } from '../evidence/QuarantineList.js';
import { IncidentList } from '../incidents/IncidentList.js';
import { PlaybooksView } from '../playbooks/PlaybooksView.js';
import { Timeline } from '../timeline/Timeline.js';
import { CaseOverview } from './CaseOverview.js';
import { CaseTabs } from './CaseTabs.js';

export function CasePage({
  caseId,
  tab,
  entity,
  run,
  graphStart = null,
}: {
  caseId: CaseId;
  tab: CaseTab;
  entity: EntityFilter | null;
  run: string | null;
  graphStart?: GraphStart | null;
}) {
  const summary = useApp((s) => s.cases.find((c) => c.id === caseId));
  const casesLoaded = useApp((s) => s.casesLoaded);
  const loadCase = useApp((s) => s.loadCase);
  const showImport = useImport((s) => s.show);
  useEffect(() => void loadCase(caseId), [caseId, loadCase]);

  if (casesLoaded && !summary) return <p className="empty">No case with id {caseId}.</p>;

  return (
    <section className="case-page" aria-labelledby="case-title">
      <header className="page-header case-header">
        <div>
          <h1 id="case-title">{summary?.name ?? caseId}</h1>
          {summary && (
            <div className="muted">
              <code>{summary.id}</code> · {summary.status} · opened {formatTime(summary.createdAt)}
            </div>
          )}
          {summary?.description && <p>{summary.description}</p>}
        </div>
        <button type="button" onClick={() => showImport(caseId)}>
          Import evidence
        </button>
      </header>
      <CaseTabs caseId={caseId} active={tab} />

      {/* The drawer sits beside the list, not over it, so the analyst can step through rows while reading one. */}
      <div className="tab-body">
        <div className="tab-main">
          {tab === 'overview' && <CaseOverview caseId={caseId} />}
          {tab === 'alerts' && <AlertQueue caseId={caseId} />}
          {tab === 'timeline' && <Timeline caseId={caseId} entity={entity} />}
          {tab === 'incidents' && <IncidentList caseId={caseId} />}
          {tab === 'detections' && <DetectionsView caseId={caseId} />}
          {tab === 'attack' && <AttackMatrix caseId={caseId} />}
          {tab === 'quarantine' && <QuarantineList caseId={caseId} />}
          {tab === 'playbooks' && <PlaybooksView caseId={caseId} runId={run} />}
          {tab === 'graph' && <IncidentGraphView caseId={caseId} start={graphStart} />}
        </div>
        {(tab === 'alerts' || tab === 'timeline' || tab === 'graph') && <DetailDrawer caseId={caseId} />}
      </div>
      <ImportDialog caseId={caseId} />
    </section>
  );
}
