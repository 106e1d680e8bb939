import { useEffect, useState } from 'react';
import type { CaseId, EventId } from '../../../core/model/index.js';
import type { AlertAssessment, ThresholdRule } from '../../../core/model/index.js';
import { call } from '../../client/index.js';
import { useApp } from '../../state/app-store.js';
import { formatTime } from '../common/format.js';

const ROUTING_LABEL = { automatic: 'respond automatically', analyst: 'send to an analyst', discard: 'discard' } as const;

const rule = (r: ThresholdRule) => (r.kind === 'atLeast' ? `${r.n}` : r.kind === 'allBut' ? `all but ${r.n}` : `${Math.round(r.f * 100)}%`);

/**
 * The record's threat-intel assessment, when one is stored: which feeds confirmed it and where that routes it, and
 * whether internal connections to the malicious IP qualify it. Refetched when a rating or validation is journaled
 * (from this window, the CLI or a playbook), so the drawer never shows a stale verdict.
 */
export function AssessmentSection({ caseId, eventId }: { caseId: CaseId; eventId: EventId }) {
  const client = useApp((s) => s.client);
  const [assessment, setAssessment] = useState<AlertAssessment | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!client) return;
    return client.subscribe('journal.appended', (entry) => {
      if (entry.caseId === caseId && (entry.action === 'intel.rated' || entry.action === 'alert.validated')) setVersion((v) => v + 1);
    });
  }, [client, caseId]);

  useEffect(() => {
    if (!client) return;
    let live = true;
    call(client, 'intel.assessment.get', { caseId, eventId })
      .then((a) => live && setAssessment(a))
      .catch(() => live && setAssessment(null));
    return () => {
      live = false;
    };
  }, [client, caseId, eventId, version]);

  const rating = assessment?.rating;
  const validation = assessment?.validation;
  if (!rating && !validation) return null;
  return (
    <section aria-labelledby="assessment-title" className="assessment" data-testid="assessment">
      <h3 id="assessment-title">Threat intel</h3>
      {rating && (
        <p data-testid="assessment-rating">
          <strong className={`routing routing-${rating.routing}`}>{ROUTING_LABEL[rating.routing]}</strong>: confirmed by {rating.confirmations} of{' '}
          {rating.feedCount} feeds
          {rating.feeds.length > 0 && <> ({rating.feeds.map((f) => `${f.name} [${f.reliability}]`).join(', ')})</>}. Thresholds: automatic{' '}
          {rule(rating.thresholds.automatic)} (≥ {rating.required.automatic}), analyst {rule(rating.thresholds.analyst)} (≥ {rating.required.analyst}).
        </p>
      )}
      {validation && (
        <div data-testid="assessment-validation">
          <p>
            <strong className={`validation validation-${validation.status}`}>{validation.status === 'qualified' ? 'Qualified' : 'Not relevant'}</strong>:{' '}
            {validation.reason}
          </p>
          {validation.evidence.length > 0 && (
            <table className="fields" aria-label="Connection evidence">
              <tbody>
                {validation.evidence.map((e) => (
                  <tr key={e.eventId}>
                    <th scope="row">
                      <time dateTime={e.ts}>{formatTime(e.ts)}</time>
                    </th>
                    <td>
                      {e.internalIp}
                      {e.host ? ` (${e.host})` : ''} → {e.maliciousIp}
                      {e.destinationPort !== null ? `:${e.destinationPort}` : ''} · {e.bytes ?? '–'} bytes · {e.format}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
