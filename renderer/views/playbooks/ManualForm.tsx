import { useState, type FormEvent } from 'react';
import type { FormField, RunWait } from '../../../core/model/index.js';
import { useRunner } from '../../state/runner-store.js';
import { formatTime } from '../common/format.js';

/**
 * A manual step's form, as the playbook declares it. Values go to the core as typed (numbers as numbers); the core
 * checks them and its refusal names the fields, shown beside each. An empty field is sent as absent.
 */
export function ManualForm({ wait }: { wait: RunWait }) {
  const submit = useRunner((s) => s.submit);
  const busy = useRunner((s) => s.busy);
  const error = useRunner((s) => s.error);
  const form = wait.form ?? {};
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(Object.entries(form).map(([name, f]) => [name, f.type === 'boolean' ? f.default === true : f.default === undefined ? '' : String(f.default)])),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const fieldErrors = new Map((error?.code === 'invalid_input' ? (error.issues ?? []) : []).map((i) => [i.path.replace(/^input\.values\./, ''), i.message]));

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const out: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(form)) {
      const v = values[name];
      if (f.type === 'boolean') out[name] = v === true;
      else if (typeof v === 'string' && v !== '') {
        if (f.type === 'number') {
          const n = Number(v);
          if (!Number.isFinite(n)) return setProblem(`${f.label ?? name} must be a number, not "${v}".`);
          out[name] = n;
        } else out[name] = v;
      }
    }
    setProblem(null);
    await submit(out);
  };

  return (
    <form className="card manual-form" aria-label="Manual step" onSubmit={(e) => void send(e)} noValidate>
      <h3 data-testid="manual-title">{wait.prompt}</h3>
      <p className="muted">
        Step <code>{wait.key}</code>
        {wait.assignee && ` · assigned to ${wait.assignee}`}
        {wait.deadline ? ` · due ${formatTime(wait.deadline)}` : ' · no deadline'}
      </p>
      {Object.entries(form).map(([name, f]) => (
        <Field key={name} name={name} field={f} value={values[name] ?? ''} problem={fieldErrors.get(name) ?? null} onChange={(v) => setValues({ ...values, [name]: v })} />
      ))}
      {problem && (
        <p className="field-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="modal-actions">
        <button type="submit" disabled={busy}>
          Submit
        </button>
      </div>
    </form>
  );
}

function Field({ name, field, value, problem, onChange }: { name: string; field: FormField; value: string | boolean; problem: string | null; onChange(v: string | boolean): void }) {
  const id = `manual-${name}`;
  const label = field.label ?? name;
  const control = (() => {
    switch (field.type) {
      case 'boolean':
        return <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
      case 'choice':
        return (
          <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} aria-invalid={problem !== null}>
            <option value="">—</option>
            {(field.choices ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        );
      case 'text':
        return <textarea id={id} rows={3} value={String(value)} onChange={(e) => onChange(e.target.value)} aria-invalid={problem !== null} />;
      case 'number':
      case 'string':
        return <input id={id} type={field.type === 'number' ? 'number' : 'text'} value={String(value)} onChange={(e) => onChange(e.target.value)} aria-invalid={problem !== null} />;
    }
  })();
  return (
    <div className="manual-field" data-field={name}>
      <label htmlFor={id}>
        {label}
        {field.required && <span className="required" aria-label="required"> *</span>}
      </label>
      {control}
      {problem && (
        <p className="field-problem" data-testid={`field-error-${name}`}>
          {problem}
        </p>
      )}
    </div>
  );
}
