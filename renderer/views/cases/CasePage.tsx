import { useEffect, useState, type FormEvent } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { JournalList } from '../journal/JournalList.js';
import { formatTime } from './CaseList.js';

export function CasePage({ caseId }: { caseId: CaseId }) {
  const summary = useApp((s) => s.cases.find((c) => c.id === caseId));
  const casesLoaded = useApp((s) => s.casesLoaded);
  const entries = useApp((s) => s.journal[caseId]);
  const notes = useApp((s) => s.notes[caseId]);
  const loadCase = useApp((s) => s.loadCase);
  const addNote = useApp((s) => s.addNote);
  const [note, setNote] = useState('');
  useEffect(() => void loadCase(caseId), [caseId, loadCase]);

  if (casesLoaded && !summary) return <p className="empty">No case with id {caseId}.</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await addNote(caseId, note)) setNote('');
  };

  return (
    <section aria-labelledby="case-title">
      <header className="page-header">
        <h1 id="case-title">{summary?.name ?? caseId}</h1>
        {summary && (
          <div className="muted">
            <code>{summary.id}</code> · {summary.status} · opened {formatTime(summary.createdAt)}
          </div>
        )}
        {summary?.description && <p>{summary.description}</p>}
      </header>

      <div className="columns">
        <div>
          <h2>Notes</h2>
          <form className="note-form" onSubmit={(e) => void submit(e)} aria-label="Add note">
            <textarea aria-label="Note" placeholder="What did you find?" value={note} onChange={(e) => setNote(e.target.value)} />
            <button type="submit">Add note</button>
          </form>
          <ul className="notes" aria-label="Notes">
            {(notes ?? []).map((n) => (
              <li key={n.id}>
                <div className="muted">
                  {n.author} · {formatTime(n.createdAt)}
                </div>
                <div>{n.body}</div>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h2>Journal</h2>
          <JournalList entries={entries ?? []} />
        </div>
      </div>
    </section>
  );
}
