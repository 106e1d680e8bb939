import { DETECTION_PAGE, useSigma } from '../../state/sigma-store.js';
import { countOf, formatTime } from '../common/format.js';
import { LevelBadge } from '../common/LevelBadge.js';

/** The detections of the rule picked (or of every rule), riskiest first. */
export function DetectionList() {
  const { detections, total, detectionId, openDetection, ruleId, rules } = useSigma();
  const rule = rules?.find((r) => r.id === ruleId);
  return (
    <section className="pane detection-list" aria-labelledby="detections-title">
      <h3 id="detections-title">
        <span data-testid="detection-count">{detections ? countOf(total, 'detection') : 'Loading…'}</span>
        {rule ? ` of ${rule.title}` : ''}
      </h3>
      {detections?.length === 0 && <p className="empty">{ruleId ? 'This rule raised nothing in this case.' : 'No Sigma detections yet: run the rules over the case.'}</p>}
      <ul className="scroll-box detection-rows" aria-label="Detections">
        {detections?.map((row) => (
          <li key={row.id}>
            <button
              type="button"
              className={row.id === detectionId ? 'detection-item active' : 'detection-item'}
              aria-pressed={row.id === detectionId}
              data-event-id={row.id}
              onClick={() => void openDetection(row.id)}
            >
              <LevelBadge level={row.level} />
              <span className="rule-title">{row.title}</span>
              <span className="muted">
                <time dateTime={row.ts}>{formatTime(row.ts)}</time> · {row.host ?? 'no host'} · {row.file}:{row.line}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {detections && total > detections.length && (
        <p className="muted">
          The {DETECTION_PAGE} riskiest are shown; the alert queue lists all {total}.
        </p>
      )}
    </section>
  );
}
