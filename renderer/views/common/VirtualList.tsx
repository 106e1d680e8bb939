import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';

export interface VirtualListProps {
  count: number;
  /** Every row has this height in pixels; that is what makes windowing a division. */
  rowHeight: number;
  renderRow(index: number, style: CSSProperties): ReactNode;
  /** Told which rows are on screen (first..last, inclusive), e.g. to fetch the pages they are on. */
  onRange?(first: number, last: number): void;
  /** Scrolls back to the top whenever this changes (a new query). */
  resetKey?: unknown;
  overscan?: number;
  className?: string;
}

/**
 * Fixed-row-height windowing: a spacer as tall as all rows keeps the scrollbar honest, and only the rows in view
 * (plus `overscan` either side) are rendered, absolutely positioned at index × rowHeight.
 */
export function VirtualList({ count, rowHeight, renderRow, onRange, resetKey, overscan = 8, className }: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan);

  useEffect(() => {
    if (count > 0 && last >= first) onRange?.(first, last);
  }, [first, last, count, onRange]);

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    rows.push(renderRow(i, { position: 'absolute', top: i * rowHeight, height: rowHeight, left: 0, right: 0 }));
  }

  return (
    <div ref={ref} role="rowgroup" className={className ? `vlist ${className}` : 'vlist'} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <div className="vlist-spacer" style={{ height: count * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
