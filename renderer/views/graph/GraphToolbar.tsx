import { useEffect, useState } from 'react';
import { GraphNodeType, type CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { useGraph } from '../../state/graph-store.js';

const TYPES = GraphNodeType.options;

/** `2023-08-18T16:00` or `…Z` read as UTC; empty is no bound; anything else is refused. */
function toIso(text: string): string | null {
  const t = text.trim();
  if (!t) return '';
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Where to start (a search, the whole case, a saved view) and what to show (types, a time range). */
export function GraphToolbar({ caseId, initialQuery }: { caseId: CaseId; initialQuery: string }) {
  const navigate = useApp((s) => s.navigate);
  const { types, from, to, views, view, loading, setTypes, setRange, wholeCase, saveView, openView } = useGraph();
  const [query, setQuery] = useState(initialQuery);
  const [fromText, setFromText] = useState(from);
  const [toText, setToText] = useState(to);
  const [rangeError, setRangeError] = useState('');
  const [viewName, setViewName] = useState(view ?? '');
  useEffect(() => setQuery(initialQuery), [initialQuery]);
  useEffect(() => (setFromText(from), setToText(to)), [from, to]);
  useEffect(() => setViewName(view ?? ''), [view]);

  const toggle = (t: GraphNodeType) => setTypes(types.includes(t) ? types.filter((x) => x !== t) : [...types, t]);
  const applyRange = () => {
    const f = toIso(fromText);
    const t = toIso(toText);
    if (f === null || t === null) return setRangeError('Write a time as 2023-08-18T16:00:00Z');
    setRangeError('');
    setRange(f, t);
  };

  return (
    <div className="graph-toolbar">
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) navigate({ view: 'case', caseId, tab: 'graph', graphStart: { query: query.trim() } });
        }}
      >
        <input type="search" aria-label="Graph search" placeholder="Start from a search: lsass, 10.0.5.13, pupy.godoy" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="submit" disabled={loading || !query.trim()}>
          Search
        </button>
        <button
          type="button"
          disabled={loading}
          onClick={() => {
            navigate({ view: 'case', caseId, tab: 'graph' });
            void wholeCase();
          }}
        >
          Whole case
        </button>
      </form>
      <div className="chips" role="group" aria-label="Node types">
        {TYPES.map((t) => (
          <button
            key={t}
            type="button"
            className={`chip type-chip${types.includes(t) ? ' active' : ''}`}
            aria-pressed={types.includes(t)}
            data-type={t}
            onClick={() => toggle(t)}
          >
            <span className={`swatch swatch-${t}`} aria-hidden="true" />
            {t}
          </button>
        ))}
        {types.length > 0 && (
          <button type="button" className="link" onClick={() => setTypes([])}>
            all types
          </button>
        )}
      </div>
      <form
        className="row"
        aria-label="Time range"
        onSubmit={(e) => {
          e.preventDefault();
          applyRange();
        }}
      >
        <label>
          From (UTC) <input aria-label="From" value={fromText} placeholder="2023-08-18T16:00:00Z" onChange={(e) => setFromText(e.target.value)} />
        </label>
        <label>
          To (UTC) <input aria-label="To" value={toText} placeholder="2023-08-18T16:10:00Z" onChange={(e) => setToText(e.target.value)} />
        </label>
        <button type="submit">Apply range</button>
        {rangeError && <span className="error-text" role="alert">{rangeError}</span>}
      </form>
      <form
        className="row"
        aria-label="Saved views"
        onSubmit={(e) => {
          e.preventDefault();
          if (viewName.trim()) void saveView(viewName.trim());
        }}
      >
        <input aria-label="View name" placeholder="View name" value={viewName} onChange={(e) => setViewName(e.target.value)} />
        <button type="submit" disabled={!viewName.trim()}>
          Save view
        </button>
        <select aria-label="Open saved view" value="" onChange={(e) => e.target.value && void openView(e.target.value)}>
          <option value="">Saved views ({views.length})</option>
          {views.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
        </select>
      </form>
    </div>
  );
}
