import { useState, type FormEvent } from 'react';
import type { CaseId, EventId, RunMode } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { usePlaybooks } from '../../state/playbooks-store.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { inputsFromDraft, type InputSpec } from './input-fields.js';
import { PlaybookGraph } from './PlaybookGraph.js';
import { StepBreakpoints } from './StepBreakpoints.js';

const NO_STATUSES = new Map<string, never>();

/** Run the picked playbook on the case: auto or step by step, a dry run unless unticked, its inputs, breakpoints. */
export function StartRunForm({ caseId }: { caseId: CaseId }) {
  const { picked, startBreakpoints, toggleStartBreakpoint, start, starting, startError } = usePlaybooks();
  const navigate = useApp((s) => s.navigate);
  const [mode, setMode] = useState<RunMode>('step');
  const [dryRun, setDryRun] = useState(true);
  const [alertId, setAlertId] = useState('');
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  if (!picked) return null;
  const { info, graph } = picked;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = inputsFromDraft(info.inputs, draft);
    if ('error' in parsed) return setFormError(parsed.error);
    setFormError(null);
    const runId = await start({ mode, dryRun, inputs: parsed.inputs, ...(alertId.trim() ? { alertId: alertId.trim() as EventId } : {}) });
    if (runId) navigate({ view: 'case', caseId, tab: 'playbooks', run: runId });
  };

  return (
    <section className="start-run" aria-labelledby="start-title">
      <header className="view-header">
        <h3 id="start-title">
          {info.name} <span className="muted">v{info.version}</span>
        </h3>
        <span className="muted">
          autonomy {info.autonomy} · risk threshold {info.riskThreshold}
        </span>
      </header>
      {info.description && <p>{info.description}</p>}
      <div className="runner-layout">
        <PlaybookGraph graph={graph} statuses={NO_STATUSES} current={null} breakpoints={startBreakpoints} onToggleBreakpoint={toggleStartBreakpoint} />
        <form className="run-form" aria-label="Run playbook" onSubmit={(e) => void submit(e)}>
          <div className="filter-line">
            <label>
              Mode{' '}
              <select value={mode} onChange={(e) => setMode(e.target.value as RunMode)}>
                <option value="auto">auto</option>
                <option value="step">step</option>
              </select>
            </label>
            <label className="level-toggle">
              <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} /> Dry run
            </label>
          </div>
          <label>
            Alert id <span className="muted">(optional: the alert the run is about)</span>
            <input type="text" value={alertId} onChange={(e) => setAlertId(e.target.value)} />
          </label>
          {Object.entries(info.inputs).map(([name, spec]) => (
            <InputField key={name} name={name} spec={spec} value={draft[name] ?? ''} onChange={(v) => setDraft({ ...draft, [name]: v })} />
          ))}
          <h4>Breakpoints</h4>
          <StepBreakpoints graph={graph} breakpoints={startBreakpoints} onToggle={toggleStartBreakpoint} />
          {(formError || startError) && (
            <div className="error-banner" role="alert" data-code={startError?.code ?? 'invalid_input'}>
              {formError ? <strong>{formError}</strong> : startError && <ApiErrorMessage error={startError} />}
            </div>
          )}
          <div className="modal-actions">
            <button type="submit" disabled={starting}>
              {starting ? 'Starting…' : 'Start'}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}

function InputField({ name, spec, value, onChange }: { name: string; spec: InputSpec; value: string; onChange(v: string): void }) {
  const label = (
    <>
      {name}
      {spec.required && ' *'} <span className="muted">{spec.type}</span>
    </>
  );
  if (spec.type === 'boolean') {
    return (
      <label className="level-toggle">
        <input type="checkbox" aria-label={name} checked={value === 'true'} onChange={(e) => onChange(String(e.target.checked))} /> {label}
      </label>
    );
  }
  const json = spec.type !== 'string' && spec.type !== 'number';
  return (
    <label>
      {label}
      {json ? (
        <textarea aria-label={name} value={value} rows={3} spellCheck={false} placeholder="JSON" onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input aria-label={name} type={spec.type === 'number' ? 'number' : 'text'} value={value} onChange={(e) => onChange(e.target.value)} />
      )}
      {spec.description && <span className="muted">{spec.description}</span>}
    </label>
  );
}
