import { useState, type FormEvent } from 'react';
import { useApp } from '../../state/app-store.js';

export function NewCaseForm() {
  const createCase = useApp((s) => s.createCase);
  const navigate = useApp((s) => s.navigate);
  const busy = useApp((s) => s.busy);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await createCase(name, description);
    if (created) {
      setName('');
      setDescription('');
      navigate({ view: 'case', caseId: created.id });
    }
  };

  return (
    <form className="new-case" onSubmit={(e) => void submit(e)} aria-label="New case">
      <input aria-label="Case name" placeholder="New case name" value={name} onChange={(e) => setName(e.target.value)} />
      <input
        aria-label="Description"
        placeholder="Description (optional)"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <button type="submit" disabled={busy}>
        New case
      </button>
    </form>
  );
}
