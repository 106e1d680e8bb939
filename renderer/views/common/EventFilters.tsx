import { useEffect, useState, type ReactNode } from 'react';
import { Level } from '../../../core/model/index.js';
import type { EventFilters as Filters } from '../../state/event-list.js';
import { useDebounced } from './useDebounced.js';

const levels = Level.options;

type TextKey = 'host' | 'user' | 'technique' | 'tag' | 'text';

/**
 * Level checkboxes apply at once; the text fields apply once typing pauses for 250 ms, so a query is not sent per
 * keystroke. Mount with a `key` per case: the fields start from the slice's filters.
 */
export function EventFilters({ filters, onChange, leading }: { filters: Filters; onChange(patch: Partial<Filters>): void; leading?: ReactNode }) {
  const [text, setText] = useState<Record<TextKey, string>>({
    host: filters.host,
    user: filters.user,
    technique: filters.technique,
    tag: filters.tag,
    text: filters.text,
  });
  const settled = useDebounced(text, 250);
  useEffect(() => onChange(settled), [settled, onChange]);

  const toggle = (level: Level, on: boolean) =>
    onChange({ levels: on ? levels.filter((l) => l === level || filters.levels.includes(l)) : filters.levels.filter((l) => l !== level) });

  const field = (key: TextKey, label: string, placeholder: string, type: 'search' | 'text' = 'text') => (
    <input
      type={type}
      aria-label={label}
      placeholder={placeholder}
      value={text[key]}
      onChange={(e) => setText({ ...text, [key]: e.target.value })}
    />
  );

  return (
    <div className="filters" role="search" aria-label="Filters">
      <div className="filter-line">
        {field('text', 'Search', 'Search titles and raw records…', 'search')}
        <fieldset className="levels">
          <legend className="sr-only">Level</legend>
          {levels.map((level) => (
            <label key={level} className={`level-toggle level-${level}`}>
              <input type="checkbox" checked={filters.levels.includes(level)} onChange={(e) => toggle(level, e.target.checked)} />
              {level}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="filter-line">
        {leading}
        {field('host', 'Host', 'Host')}
        {field('user', 'User', 'User')}
        {field('technique', 'Technique', 'Technique (T1059)')}
        {field('tag', 'Tag', 'Tag')}
      </div>
    </div>
  );
}
