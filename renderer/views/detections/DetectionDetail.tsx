import { SigmaDetection } from '../../../core/model/index.js';
import { useSigma } from '../../state/sigma-store.js';
import { formatTime } from '../common/format.js';
import { LevelBadge } from '../common/LevelBadge.js';
import { MatchedFields } from './MatchedFields.js';
import { MatchedRecord } from './MatchedRecord.js';

/** One detection: the rule, where the record came from and how it was read, and the record with the hits marked. */
export function DetectionDetail() {
  const { detectionId, detection } = useSigma();
  if (!detectionId) return <p className="empty">Pick a detection to see the fields that made its rule fire.</p>;
  if (!detection) return <p className="muted">Loading…</p>;
  const parsed = SigmaDetection.safeParse(detection.doc.detection);
  if (!parsed.success) return <p className="empty">This alert carries no Sigma detection detail.</p>;
  const d = parsed.data;
  return (
    <section className="pane detection-detail" aria-labelledby="detection-title">
      <h3 id="detection-title">{d.rule.title}</h3>
      <div className="drawer-meta">
        <LevelBadge level={detection.level} />
        <time dateTime={d.record.ts}>{formatTime(d.record.ts)}</time>
        <code data-testid="detection-source">
          {d.record.file}:{d.record.line}
        </code>
        <span>
          read as <strong data-testid="detection-route">{d.route}</strong>
          {d.mapping !== 'native' && <span className="muted"> ({d.mapping} field names)</span>}
        </span>
      </div>
      <MatchedFields detection={d} />
      <h3>Matching record</h3>
      <MatchedRecord original={detection.original} detection={d} />
    </section>
  );
}
