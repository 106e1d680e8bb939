import { useEffect } from 'react';
import type { AssetResolution, CaseId, EventId } from '../../../core/model/index.js';
import { useEventAssets } from '../../state/event-assets-store.js';

const dash = (v: string | null) => v ?? '—';

function label(r: AssetResolution): string {
  if (r.asset) return r.asset.name;
  if (r.status === 'ambiguous') return `ambiguous: ${r.candidates.join(', ')}`;
  return 'unknown asset';
}

/** Hosts and addresses of one record as the asset inventory knows them; never a guess. */
export function DetailAssets({ caseId, eventId }: { caseId: CaseId; eventId: EventId }) {
  const { eventId: loaded, resolutions, error, load } = useEventAssets();
  useEffect(() => {
    void load(caseId, eventId);
  }, [caseId, eventId, load]);
  if (loaded !== eventId || (!resolutions && !error)) return null;

  return (
    <section aria-labelledby="assets-title" className="assets">
      <h3 id="assets-title">Assets</h3>
      {error && <p role="alert">{error.message}</p>}
      {resolutions && resolutions.length === 0 && <p className="muted">No host or IP entity in this record.</p>}
      {resolutions && resolutions.length > 0 && (
        <table className="fields" aria-label="Assets">
          <thead>
            <tr>
              <th scope="col">Entity</th>
              <th scope="col">Asset</th>
              <th scope="col">Site</th>
              <th scope="col">Tenant</th>
              <th scope="col">Owner</th>
              <th scope="col">Criticality</th>
            </tr>
          </thead>
          <tbody>
            {resolutions.map((r) => (
              <tr key={`${r.query.type}:${r.query.value}`} data-status={r.status} title={r.reason}>
                <th scope="row">{r.query.value}</th>
                <td>{label(r)}</td>
                <td>{dash(r.site)}</td>
                <td>{dash(r.tenant)}</td>
                <td>{dash(r.owner)}</td>
                <td>{dash(r.criticality)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
