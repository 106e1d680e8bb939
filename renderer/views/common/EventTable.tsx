import type { CSSProperties, ReactNode } from 'react';
import type { EventRow } from '../../../core/model/index.js';
import type { EventFilters, EventListState } from '../../state/event-list.js';
import { formatTime } from './format.js';
import { LevelBadge } from './LevelBadge.js';
import { VirtualList } from './VirtualList.js';

export const ROW_HEIGHT = 32;

type Column = { key: string; label: string; sort?: EventFilters['sort']; cell(row: EventRow): ReactNode };

const columns: Record<string, Column> = {
  time: { key: 'time', label: 'Time (UTC)', sort: 'ts', cell: (r) => <time dateTime={r.ts}>{formatTime(r.ts)}</time> },
  kind: { key: 'kind', label: 'Kind', cell: (r) => <span className={`kind kind-${r.kind}`}>{r.kind}</span> },
  level: { key: 'level', label: 'Level', cell: (r) => <LevelBadge level={r.level} /> },
  risk: { key: 'risk', label: 'Risk', sort: 'risk', cell: (r) => <span className="risk">{r.risk}</span> },
  title: { key: 'title', label: 'Title', cell: (r) => <span title={`${r.title}\n${r.file}:${r.line}`}>{r.title}</span> },
  host: { key: 'host', label: 'Host', cell: (r) => r.host ?? <span className="muted">—</span> },
  user: { key: 'user', label: 'User', cell: (r) => r.user ?? <span className="muted">—</span> },
  techniques: {
    key: 'techniques',
    label: 'Techniques',
    cell: (r) => (r.techniques.length ? r.techniques.join(' ') : <span className="muted">unmapped</span>),
  },
  format: { key: 'format', label: 'Format', cell: (r) => <code>{r.format}</code> },
};

export interface EventTableProps {
  label: string;
  layout: 'alerts' | 'timeline';
  state: Pick<EventListState, 'rows' | 'total' | 'generation' | 'filters' | 'ensureRange' | 'setFilters'>;
  sortable: EventFilters['sort'][];
  selectedId: string | null;
  onOpen(row: EventRow): void;
}

const layouts = {
  alerts: ['time', 'level', 'risk', 'title', 'host', 'user', 'techniques', 'format'],
  timeline: ['time', 'kind', 'level', 'risk', 'title', 'host', 'user', 'techniques', 'format'],
} as const;

/** The virtualised grid the alert queue and the timeline share: sortable headers, one fixed-height row per record. */
export function EventTable({ label, layout, state, sortable, selectedId, onOpen }: EventTableProps) {
  const cols = layouts[layout].map((k) => columns[k]!);
  const { rows, total, generation, filters, ensureRange, setFilters } = state;

  const sortBy = (sort: EventFilters['sort']) => {
    // A new column starts with what one usually wants first: the highest risk, the newest time.
    if (filters.sort !== sort) setFilters({ sort, order: 'desc' });
    else setFilters({ order: filters.order === 'asc' ? 'desc' : 'asc' });
  };

  const renderRow = (index: number, style: CSSProperties) => {
    const row = rows[index];
    if (!row) {
      return (
        <div key={`loading-${index}`} role="row" aria-rowindex={index + 2} className="erow loading" style={style}>
          <div role="cell" className="muted">Loading…</div>
        </div>
      );
    }
    return (
      <div
        key={row.id}
        role="row"
        aria-rowindex={index + 2}
        {...(row.id === selectedId ? { 'aria-current': true } : {})}
        tabIndex={0}
        data-event-id={row.id}
        className={`erow ${row.kind}`}
        style={style}
        onClick={() => onOpen(row)}
        onKeyDown={(e) => e.key === 'Enter' && onOpen(row)}
      >
        {cols.map((c) => (
          <div key={c.key} role="cell" className={`cell-${c.key}`}>
            {c.cell(row)}
          </div>
        ))}
      </div>
    );
  };

  return (
    <div role="table" aria-label={label} aria-rowcount={(total ?? 0) + 1} className={`etable etable-${layout}`}>
      <div role="rowgroup" className="ehead">
        <div role="row" aria-rowindex={1} className="erow">
          {cols.map((c) => {
            const active = c.sort !== undefined && filters.sort === c.sort;
            const ariaSort = active ? (filters.order === 'asc' ? 'ascending' : 'descending') : undefined;
            return (
              <div key={c.key} role="columnheader" className={`cell-${c.key}`} {...(ariaSort ? { 'aria-sort': ariaSort } : {})}>
                {c.sort && sortable.includes(c.sort) ? (
                  <button type="button" className="sort" onClick={() => sortBy(c.sort!)}>
                    {c.label}
                    {active && <span aria-hidden="true">{filters.order === 'asc' ? ' ▲' : ' ▼'}</span>}
                  </button>
                ) : (
                  c.label
                )}
              </div>
            );
          })}
        </div>
      </div>
      <VirtualList count={total ?? 0} rowHeight={ROW_HEIGHT} renderRow={renderRow} onRange={ensureRange} resetKey={generation} />
    </div>
  );
}
