import type { ApiError } from '../../../core/api/index.js';
import type { BlastRadius } from '../../../core/model/index.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';

/** The selected service's blast radius: who to inform (with the affected nodes each owns), then every dependent. */
export function BlastRadiusPanel({ blast, error, loading, onPick }: { blast: BlastRadius | null; error: ApiError | null; loading: boolean; onPick: (id: string) => void }) {
  if (error) return <div className="blast-panel error" role="alert"><ApiErrorMessage error={error} /></div>;
  if (loading) return <p className="muted">Finding what depends on it…</p>;
  if (!blast) return <p className="muted">Pick a service (click it, or find it above) to see what depends on it and whom to inform.</p>;
  const affected = blast.dependents.length;
  return (
    <section className="blast-panel" aria-label="Blast radius" data-target={blast.target.id} data-dependents={affected}>
      <h2>{blast.target.name}</h2>
      <p className="muted">
        {blast.target.id} · owner {blast.target.owner ?? 'unknown'}
      </p>
      <p data-testid="blast-summary">
        {affected === 0 ? 'Nothing depends on it.' : `${affected} dependent${affected === 1 ? '' : 's'}, ${blast.maxDepth} hop${blast.maxDepth === 1 ? '' : 's'} deep`}
      </p>
      <h3>Owners to inform</h3>
      {blast.owners.length === 0 ? (
        <p className="muted">The inventory names no owner of anything affected.</p>
      ) : (
        <ul className="blast-owners" aria-label="Owners to inform">
          {blast.owners.map((o) => (
            <li key={o.owner} data-owner={o.owner}>
              <strong>{o.owner}</strong>: <span className="blast-nodes">{o.nodes.join(', ')}</span>
            </li>
          ))}
        </ul>
      )}
      {blast.unknownOwner.length > 0 && (
        <>
          <h3>Owner unknown</h3>
          <p className="blast-unknown" aria-label="Owner unknown">{blast.unknownOwner.join(', ')}</p>
        </>
      )}
      {affected > 0 && (
        <>
          <h3>Dependents</h3>
          <ol className="blast-dependents" aria-label="Dependents">
            {blast.dependents.map((d) => (
              <li key={d.id} className={`depth-${Math.min(d.depth, 3)}`}>
                <button type="button" className="link" onClick={() => onPick(d.id)}>
                  {d.id}
                </button>
                <span className="muted">
                  {' '}
                  {d.depth} hop{d.depth === 1 ? '' : 's'} · via {d.via.join(', ')}
                  {d.owner ? ` · ${d.owner}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
