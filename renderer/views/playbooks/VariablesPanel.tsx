import { useState } from 'react';
import type { RunView } from '../../../core/model/index.js';
import { useRunner } from '../../state/runner-store.js';
import { parseJson, prettyJson } from './json.js';

/** The run's variables; while it is paused before a step, each is editable as JSON and applies from that step. */
export function VariablesPanel({ run }: { run: RunView }) {
  const setVars = useRunner((s) => s.setVars);
  const busy = useRunner((s) => s.busy);
  const editable = run.wait?.kind === 'step' || run.wait?.kind === 'breakpoint' || run.wait?.kind === 'pause';
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const names = Object.keys(run.vars).sort();
  const changed = Object.keys(draft).filter((n) => draft[n] !== JSON.stringify(run.vars[n]));

  const save = async () => {
    const vars: Record<string, unknown> = {};
    for (const name of changed) {
      const parsed = parseJson(draft[name] ?? '', `Variable "${name}"`);
      if ('error' in parsed) return setProblem(parsed.error);
      vars[name] = parsed.value;
    }
    setProblem(null);
    if (await setVars(vars)) setDraft({});
  };

  return (
    <section className="pane variables" aria-labelledby="variables-title">
      <h3 id="variables-title">Variables</h3>
      {names.length === 0 && <p className="empty">No variables yet.</p>}
      <table className="fields" aria-label="Variables">
        <tbody>
          {names.map((name) => (
            <tr key={name} data-var={name}>
              <th scope="row">
                <label htmlFor={`var-${name}`}>{name}</label>
              </th>
              <td>
                {editable ? (
                  <input
                    id={`var-${name}`}
                    type="text"
                    spellCheck={false}
                    value={draft[name] ?? JSON.stringify(run.vars[name])}
                    onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
                  />
                ) : (
                  <code className="var-value">{prettyJson(run.vars[name])}</code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editable && (
        <>
          <p className="muted">Values are JSON (strings in quotes). Changes apply from the step the run is paused at.</p>
          {problem && (
            <p className="field-problem" role="alert">
              {problem}
            </p>
          )}
          <div className="modal-actions">
            <button type="button" disabled={busy || changed.length === 0} onClick={() => void save()}>
              Save variables
            </button>
          </div>
        </>
      )}
    </section>
  );
}
