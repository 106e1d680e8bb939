import type { EntityFilter } from '../../state/route.js';

/** An entity as a chip; clicking it shows the timeline of everything that involves it. */
export function EntityChip({ entity, label, count, onOpen }: { entity: EntityFilter; label?: string; count?: number; onOpen(e: EntityFilter): void }) {
  return (
    <button
      type="button"
      className={`chip chip-${entity.type}`}
      title={`Timeline of ${entity.type} ${entity.canonical}`}
      data-entity={`${entity.type}:${entity.canonical}`}
      onClick={() => onOpen({ type: entity.type, canonical: entity.canonical })}
    >
      <span className="chip-type">{entity.type}</span> {label ?? entity.canonical}
      {count !== undefined && <span className="chip-count">{count}</span>}
    </button>
  );
}
