import { useMemo, useState } from 'react';
import type { DepNode } from '../../../core/model/index.js';
import type { NodeAsset } from '../../state/deps-store.js';

const MAX_RESULTS = 20;

/** Finds services by name or id (case-insensitive); picking one, or Enter on the first, shows its blast radius. */
export function ServiceSearch({
  nodes,
  assets,
  selected,
  onPick,
}: {
  nodes: readonly DepNode[];
  assets: ReadonlyMap<string, NodeAsset>;
  selected: string | null;
  onPick: (id: string) => void;
}) {
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const results = useMemo(
    // By name; by id only once a `/` is typed (every instance id contains its service's, `us-east-1/api/i-3`).
    () => (q ? nodes.filter((n) => n.kind !== 'region' && (n.name.toLowerCase().includes(q) || (q.includes('/') && n.id.toLowerCase().includes(q)))) : []),
    [nodes, q],
  );
  return (
    <div className="service-search">
      <input
        type="search"
        aria-label="Find a service"
        placeholder="Find a service…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && results[0]) onPick(results[0].id);
        }}
      />
      {q && (
        <ul className="service-results" aria-label="Services found">
          {results.slice(0, MAX_RESULTS).map((n) => {
            const a = assets.get(n.name);
            return (
              <li key={n.id}>
                <button type="button" className={n.id === selected ? 'link active' : 'link'} data-node-id={n.id} onClick={() => onPick(n.id)}>
                  {n.id}
                </button>
                <span className="muted"> {a?.owner ?? 'owner unknown'}{a?.criticality ? ` · ${a.criticality}` : ''}</span>
              </li>
            );
          })}
          {results.length === 0 && <li className="muted">No service matches “{query.trim()}”.</li>}
          {results.length > MAX_RESULTS && <li className="muted">{results.length - MAX_RESULTS} more: type more of the name.</li>}
        </ul>
      )}
    </div>
  );
}
