import { useState, type FormEvent } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { useApp } from '../../state/app-store.js';
import { formatTime } from '../common/format.js';
import { JournalList } from '../journal/JournalList.js';
import { ExportReport } from './ExportReport.js';

/** The case's overview: its notes and its journal, which grows live. */
export function CaseOverview({ caseId }: { caseId: CaseId }) {
  const entries = useApp((s) => s.journal[caseId]);
  const notes = useApp((s) => s.notes[caseId]);
  const addNote = useApp((s) => s.addNote);
  const [note, setNote] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await addNote(caseId, note)) setNote('');
  };

  return (
    <div className="columns scrolls">
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
        <h2>Report</h2>
        <ExportReport caseId={caseId} />
        <h2>Journal</h2>
        <JournalList entries={entries ?? []} />
      </div>
    </div>
  );
}
