import { useMemo, useState, type FormEvent } from 'react';
import { useConnectors } from '../../state/connectors-store.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { initialDraft, settingsFromDraft, type Draft, type SettingsField } from './settings-form.js';

/** Configure a connector: the vendor's own settings, secrets typed into password fields and sent to the secret store. */
export function AddConnectorForm({ onDone }: { onDone(): void }) {
  const { vendors, add, adding, addError } = useConnectors();
  const [vendorId, setVendorId] = useState(vendors?.[0]?.id ?? '');
  const vendor = vendors?.find((v) => v.id === vendorId);
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const draft = useMemo(() => drafts[vendorId] ?? (vendor ? initialDraft(vendor.settings) : {}), [drafts, vendorId, vendor]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!vendor) return;
    const parsed = settingsFromDraft(vendor.settings, draft);
    if ('error' in parsed) return setFormError(parsed.error);
    setFormError(null);
    if (await add({ vendor: vendor.id, name: name.trim(), settings: parsed.settings, enabled })) onDone();
  };

  return (
    <form className="connector-form" aria-label="Add connector" onSubmit={(e) => void submit(e)}>
      <div className="filter-line">
        <label>
          Vendor{' '}
          <select value={vendorId} onChange={(e) => setVendorId(e.target.value)}>
            {vendors?.map((v) => (
              <option key={v.id} value={v.id}>
                {v.vendor}
              </option>
            ))}
          </select>
        </label>
        <label>
          Connector name <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="prod-elastic" required />
        </label>
        <label className="level-toggle">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> enabled
        </label>
      </div>
      {vendor && (
        <table className="fields settings-fields">
          <tbody>
            {vendor.settings.map((f) => (
              <tr key={f.name}>
                <th scope="row">
                  <label htmlFor={`setting-${f.name}`}>
                    {f.name}
                    {f.required && ' *'}
                  </label>
                </th>
                <td>
                  <FieldInput field={f} value={draft[f.name] ?? ''} onChange={(v) => setDrafts({ ...drafts, [vendorId]: { ...draft, [f.name]: v } })} />
                  {f.description && <div className="muted">{f.description}</div>}
                  {f.secret && <div className="muted">kept in the secret store, never in the case database</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(formError || addError) && (
        <div className="error-banner" role="alert">
          {formError ? <strong>{formError}</strong> : addError && <ApiErrorMessage error={addError} />}
        </div>
      )}
      <div className="modal-actions">
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" disabled={adding || !vendor}>
          {adding ? 'Adding…' : 'Add connector'}
        </button>
      </div>
    </form>
  );
}

function FieldInput({ field, value, onChange }: { field: SettingsField; value: string; onChange(v: string): void }) {
  const id = `setting-${field.name}`;
  if (field.enum?.length) {
    return (
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {!field.required && <option value="">—</option>}
        {field.enum.map((v) => (
          <option key={String(v)} value={String(v)}>
            {String(v)}
          </option>
        ))}
      </select>
    );
  }
  if (field.type === 'boolean') return <input id={id} type="checkbox" checked={value === 'true'} onChange={(e) => onChange(String(e.target.checked))} />;
  if (field.type === 'object' || field.type === 'array') {
    return <textarea id={id} value={value} onChange={(e) => onChange(e.target.value)} rows={3} placeholder={field.type === 'object' ? '{ }' : '[ ]'} spellCheck={false} />;
  }
  return (
    <input
      id={id}
      type={field.secret ? 'password' : field.type === 'integer' || field.type === 'number' ? 'number' : 'text'}
      autoComplete={field.secret ? 'new-password' : 'off'}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
