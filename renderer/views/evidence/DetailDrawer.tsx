import { useEffect } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { useDetail } from '../../state/detail-store.js';
import type { EntityFilter } from '../../state/route.js';
import { EntityChip } from '../common/EntityChip.js';
import { formatTime } from '../common/format.js';
import { LevelBadge } from '../common/LevelBadge.js';
import { DetailAssets } from './DetailAssets.js';
import { AssessmentSection } from './AssessmentSection.js';
import { flatten, showOriginal } from './flatten.js';

/** One record: what Quell made of it beside what the source wrote, and the entities it involves. */
export function DetailDrawer({ caseId }: { caseId: CaseId }) {
  const { caseId: openIn, eventId, detail, error, close } = useDetail();
  const navigate = useApp((s) => s.navigate);
  const open = eventId !== null && openIn === caseId;

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, close]);

  if (!open) return null;
  const openTimeline = (entity: EntityFilter) => {
    close();
    navigate({ view: 'case', caseId, tab: 'timeline', entity });
  };

  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-labelledby="drawer-title">
      <header className="drawer-header">
        <div>
          <h2 id="drawer-title">{detail?.title ?? 'Loading…'}</h2>
          {detail && (
            <div className="drawer-meta">
              <LevelBadge level={detail.level} />
              <span>
                risk <strong data-testid="detail-risk">{detail.risk}</strong>
              </span>
              <span className={`kind kind-${detail.kind}`}>{detail.kind}</span>
              <code>{detail.format}</code>
              <time dateTime={detail.ts}>{formatTime(detail.ts)}</time>
              <code title={detail.file} data-testid="detail-source">
                {detail.file}:{detail.line}
              </code>
            </div>
          )}
        </div>
        <button type="button" className="close" aria-label="Close detail" onClick={close}>
          ×
        </button>
      </header>

      {error && (
        <div className="error-banner" role="alert" data-code={error.code}>
          <strong>{error.message}</strong>
        </div>
      )}

      {detail && (
        <>
          {detail.entities.length > 0 && (
            <div className="chips" aria-label="Entities">
              {detail.entities.map((e) => (
                <EntityChip key={`${e.type}:${e.canonical}`} entity={e} label={e.value} onOpen={openTimeline} />
              ))}
            </div>
          )}
          {eventId && <DetailAssets caseId={caseId} eventId={eventId} />}
          <AssessmentSection caseId={caseId} eventId={detail.id} />
          <div className="side-by-side">
            <section aria-labelledby="normalised-title" className="pane">
              <h3 id="normalised-title">Normalised</h3>
              <div className="scroll-box">
              <table className="fields" aria-label="Normalised fields">
                <tbody>
                  {flatten(detail.doc).map(([key, value]) => (
                    <tr key={key}>
                      <th scope="row">{key}</th>
                      <td>{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            </section>
            <section aria-labelledby="original-title" className="pane">
              <h3 id="original-title">Original</h3>
              <pre className="raw" aria-label="Original record">
                {showOriginal(detail.original)}
              </pre>
            </section>
          </div>
        </>
      )}
    </aside>
  );
}
