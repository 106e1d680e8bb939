import { useEffect, useState } from 'react';
import type { CaseId, QuarantinedRecord } from '../../../core/model/index.js';
import { useQuarantine } from '../../state/quarantine-store.js';
import { countOf, formatNumber } from '../common/format.js';

const SHORT = 200;

/** Records an import could not take, each with where it came from, why, and its bytes: nothing vanishes. */
export function QuarantineList({ caseId }: { caseId: CaseId }) {
  const { caseId: loadedFor, records, total, reasons, load, loadMore } = useQuarantine();
  useEffect(() => void load(caseId), [caseId, load]);
  const ready = loadedFor === caseId && total !== null;

  return (
    <section className="evidence-view scrolls" aria-labelledby="quarantine-title">
      <div className="view-header">
        <h2 id="quarantine-title">Quarantine</h2>
        <div className="total" data-testid="quarantine-count">
          {ready ? countOf(total, 'quarantined record') : 'Loading…'}
        </div>
      </div>
      {ready && total === 0 && <p className="empty">Nothing quarantined: every record read was stored, skipped or a duplicate.</p>}
      {ready && total > 0 && (
        <>
          <ul className="reason-counts" aria-label="Reasons">
            {Object.entries(reasons)
              .sort((a, b) => b[1] - a[1])
              .map(([reason, n]) => (
                <li key={reason}>
                  <span className="reason">{reason}</span> <span className="count">{formatNumber(n)}</span>
                </li>
              ))}
          </ul>
          <table className="grid quarantine" aria-label="Quarantined records">
            <thead>
              <tr>
                <th>File</th>
                <th>Line</th>
                <th>Reason</th>
                <th>Raw</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <QuarantineRow key={r.id} record={r} />
              ))}
            </tbody>
          </table>
          {records.length < total && (
            <button type="button" className="secondary" onClick={() => void loadMore()}>
              Show more ({formatNumber(total - records.length)} left)
            </button>
          )}
        </>
      )}
    </section>
  );
}

function QuarantineRow({ record }: { record: QuarantinedRecord }) {
  const [all, setAll] = useState(false);
  const long = record.raw.length > SHORT;
  return (
    <tr data-line={record.line}>
      <td title={record.file}>{record.file}</td>
      <td className="num">{record.line}</td>
      <td>{record.reason}</td>
      <td className="raw-cell">
        {record.rawEncoding === 'base64' && (
          <span className="badge base64" title="Not valid UTF-8; shown as base64">
            base64
          </span>
        )}
        <code className="raw-text">{all || !long ? record.raw : `${record.raw.slice(0, SHORT)}…`}</code>
        {long && (
          <button type="button" className="link" onClick={() => setAll(!all)}>
            {all ? 'Show less' : `Show all ${formatNumber(record.raw.length)} characters`}
          </button>
        )}
      </td>
    </tr>
  );
}
