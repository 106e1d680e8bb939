import { useState, type FormEvent } from 'react';
import { EntityType } from '../../../core/model/index.js';
import { formatEntityFilter, parseEntityFilter, type EntityFilter } from '../../state/route.js';

/**
 * `ip:10.0.5.13`, `host:prd01.pandalab.com`, `user:pandalab\pupy.godoy`. The core keeps canonical values in lower
 * case for every type but URLs, so typed values are lowered the same way and match.
 */
export function EntityFilterBox({ active, onApply }: { active: EntityFilter | null; onApply(e: EntityFilter | null): void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseEntityFilter(text);
    if (!parsed || !EntityType.safeParse(parsed.type).success) {
      setProblem(`Write type:value, with type one of ${EntityType.options.join(', ')}.`);
      return;
    }
    setProblem(null);
    setText('');
    onApply(parsed.type === 'url' ? parsed : { ...parsed, canonical: parsed.canonical.toLowerCase() });
  };

  return (
    <div className="entity-filter">
      <form onSubmit={submit} aria-label="Entity filter">
        <input
          aria-label="Entity"
          placeholder="Entity, e.g. ip:10.0.5.13 or host:prd01.pandalab.com"
          value={text}
          onChange={(e) => setText(e.target.value)}
          {...(problem ? { 'aria-invalid': true, 'aria-describedby': 'entity-problem' } : {})}
        />
        <button type="submit">Filter</button>
      </form>
      {problem && (
        <div id="entity-problem" className="field-problem">
          {problem}
        </div>
      )}
      {active && (
        <div className="active-filter" aria-label="Active entity filter">
          <span className="chip active">
            <span className="chip-type">{active.type}</span> {active.canonical}
            <button type="button" className="chip-remove" aria-label={`Remove filter ${formatEntityFilter(active)}`} onClick={() => onApply(null)}>
              ×
            </button>
          </span>
        </div>
      )}
    </div>
  );
}
