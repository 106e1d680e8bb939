import { useEffect } from 'react';
import { SigmaDetection, type CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { useDetail } from '../../state/detail-store.js';
import type { EntityFilter } from '../../state/route.js';
import { EntityChip } from '../common/EntityChip.js';
import { formatTime } from '../common/format.js';
import { LevelBadge } from '../common/LevelBadge.js';
import { DetailAssets } from './DetailAssets.js';
import { AssessmentSection } from './AssessmentSection.js';
import { flatten, showOriginal } from './flatten.js';
import { MatchedFields } from '../detections/MatchedFields.js';

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
  const isSigma = detail !== null && SigmaDetection.safeParse(detail.doc.detection).success;
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
        {eventId && (
          <button
            type="button"
            onClick={() => {
              close();
              navigate({ view: 'case', caseId, tab: 'graph', graphStart: { event: eventId } });
            }}
          >
            Show in graph
          </button>
        )}
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
          <SigmaSection doc={detail.doc} />
          <div className="side-by-side">
            <section aria-labelledby="normalised-title" className="pane">
              <h3 id="normalised-title">Normalised</h3>
              <div className="scroll-box">
              <table className="fields" aria-label="Normalised fields">
                <tbody>
                  {/* A Sigma detection's own detail is shown above, as a table of matched fields. */}
                  {flatten(detail.doc)
                    .filter(([key]) => !(isSigma && key.startsWith('detection.')))
                    .map(([key, value]) => (
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

/** A Sigma detection says why it fired: the rule and the fields of the record that met it. */
function SigmaSection({ doc }: { doc: Record<string, unknown> }) {
  const parsed = SigmaDetection.safeParse(doc.detection);
  if (!parsed.success) return null;
  const d = parsed.data;
  return (
    <section className="pane sigma-section" aria-labelledby="sigma-section-title">
      <h3 id="sigma-section-title">Why the Sigma rule fired</h3>
      <p className="muted" data-testid="sigma-rule">
        {d.rule.title} · <code>{d.rule.file}</code> · record read as {d.route}
      </p>
      <MatchedFields detection={d} />
    </section>
  );
}
