import type { SigmaDetection } from '../../../core/model/index.js';

const show = (v: SigmaDetection['matches'][number]['value']) => (v === null ? 'absent' : typeof v === 'string' ? v : String(v));

/** Why the rule fired: each field it tested that held, with the rule's patterns beside the value it met. */
export function MatchedFields({ detection }: { detection: SigmaDetection }) {
  return (
    <table className="fields matched-fields" aria-label="Matched fields">
      <thead>
        <tr>
          <th scope="col">Selection</th>
          <th scope="col">Field</th>
          <th scope="col">Rule pattern</th>
          <th scope="col">Value in the record</th>
        </tr>
      </thead>
      <tbody>
        {detection.matches.map((m, i) => (
          <tr key={i} data-field={m.field}>
            <td>
              <code>{m.selection}</code>
            </td>
            <td>
              <code>{m.field || '(keyword)'}</code>
              {m.modifiers.length > 0 && <span className="muted">|{m.modifiers.join('|')}</span>}
            </td>
            <td>
              {m.patterns.map((p, j) => (
                <code key={j} className="pattern">
                  {p}
                </code>
              ))}
            </td>
            <td className="matched-value">{show(m.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
