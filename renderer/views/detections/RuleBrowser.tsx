import { useMemo, useState } from 'react';
import type { SigmaRuleSummary } from '../../../core/model/index.js';
import { useSigma } from '../../state/sigma-store.js';
import { countOf } from '../common/format.js';
import { LevelBadge } from '../common/LevelBadge.js';

const levelOrder = ['critical', 'high', 'medium', 'low', 'informational'];

/** Words of the filter must each appear in the rule's title, id, tags, techniques, log source or file. */
function matchesFilter(rule: SigmaRuleSummary, words: string[]): boolean {
  if (!words.length) return true;
  const text = [rule.title, rule.id, rule.file, ...rule.tags, ...rule.techniques, ...Object.values(rule.logsource)].join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}

/** The loaded rules, the ones that fired in this case first; picking one narrows the detections to it. */
export function RuleBrowser() {
  const { rules, counts, ruleId, rejected, selectRule } = useSigma();
  const [filter, setFilter] = useState('');
  const [firedOnly, setFiredOnly] = useState(false);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return (rules ?? [])
      .filter((r) => matchesFilter(r, words) && (!firedOnly || (counts[r.id] ?? 0) > 0))
      .sort((a, b) => (counts[b.id] ?? 0) - (counts[a.id] ?? 0) || levelOrder.indexOf(a.level) - levelOrder.indexOf(b.level) || a.title.localeCompare(b.title));
  }, [rules, counts, filter, firedOnly]);
  const selected = rules?.find((r) => r.id === ruleId) ?? null;

  return (
    <section className="pane rule-browser" aria-labelledby="rules-title">
      <h3 id="rules-title">Rules {rules && <span data-testid="rule-count">{`${shown.length} of ${rules.length}`}</span>}</h3>
      <div className="filter-line">
        <input type="search" aria-label="Filter rules" placeholder="title, technique, tag, log source…" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <label className="level-toggle">
          <input type="checkbox" checked={firedOnly} onChange={(e) => setFiredOnly(e.target.checked)} /> fired in this case
        </label>
      </div>
      {rules === null && <p className="muted">Loading rules…</p>}
      <ul className="rule-list scroll-box" aria-label="Sigma rules">
        {shown.map((rule) => {
          const count = counts[rule.id] ?? 0;
          return (
            <li key={rule.id}>
              <button
                type="button"
                className={rule.id === ruleId ? 'rule-item active' : 'rule-item'}
                aria-pressed={rule.id === ruleId}
                data-rule-id={rule.id}
                onClick={() => void selectRule(rule.id === ruleId ? null : rule.id)}
              >
                <LevelBadge level={rule.level} />
                <span className="rule-title">{rule.title}</span>
                <span className={count ? 'rule-count fired' : 'rule-count'} data-testid="rule-detections">
                  {count}
                </span>
                <span className="muted rule-sub">
                  {[rule.logsource.product, rule.logsource.category ?? rule.logsource.service].filter(Boolean).join(' / ')}
                  {rule.techniques.length > 0 && ` · ${rule.techniques.join(' ')}`}
                  {rule.formats.length === 0 && ' · no source Quell reads'}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {rejected.length > 0 && (
        <details className="rejected" data-testid="rules-rejected">
          <summary>{countOf(rejected.length, 'rule')} rejected</summary>
          <ul>
            {rejected.map((r) => (
              <li key={r.file}>
                <code>{r.file}</code>: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {selected && <RuleCard rule={selected} />}
    </section>
  );
}

/** A rule as its author wrote it, with the attribution the Detection Rule License asks for. */
function RuleCard({ rule }: { rule: SigmaRuleSummary }) {
  return (
    <article className="rule-card" aria-label={`Rule ${rule.title}`}>
      <h4>{rule.title}</h4>
      <p>{rule.description}</p>
      <table className="fields">
        <tbody>
          <tr>
            <th scope="row">id</th>
            <td>
              <code>{rule.id}</code>
            </td>
          </tr>
          <tr>
            <th scope="row">level</th>
            <td>
              {rule.level}
              {rule.levelAssumed && <span className="muted"> (the rule gives none; medium assumed)</span>}
            </td>
          </tr>
          <tr>
            <th scope="row">condition</th>
            <td>
              <code data-testid="rule-condition">{rule.condition}</code>
            </td>
          </tr>
          <tr>
            <th scope="row">log source</th>
            <td>{Object.entries(rule.logsource).map(([k, v]) => `${k}: ${v}`).join(', ')}</td>
          </tr>
          <tr>
            <th scope="row">reads</th>
            <td>{rule.formats.length ? rule.formats.join(', ') : 'nothing Quell imports carries this log source'}</td>
          </tr>
          <tr>
            <th scope="row">ATT&amp;CK</th>
            <td>{[...rule.techniques, ...rule.tactics].join(', ') || '—'}</td>
          </tr>
          <tr>
            <th scope="row">false positives</th>
            <td>{rule.falsepositives.join('; ') || '—'}</td>
          </tr>
          <tr>
            <th scope="row">file</th>
            <td>
              <code>{rule.file}</code>
            </td>
          </tr>
          {rule.references.map((ref, i) => (
            <tr key={ref}>
              <th scope="row">{i === 0 ? 'references' : ''}</th>
              <td className="muted">{ref}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" data-testid="rule-attribution">
        By {rule.author}
        {rule.status ? ` · status ${rule.status}` : ''}
        {rule.modified ?? rule.date ? ` · ${rule.modified ?? rule.date}` : ''}. Sigma rule, Detection Rule License 1.1.
      </p>
    </article>
  );
}
