import type { JournalEntry } from '../../../core/model/index.js';
import { formatTime } from '../common/format.js';

/** The case's journal, newest last, exactly as stored: sequence, time, actor, action and the start of the hash. */
export function JournalList({ entries }: { entries: JournalEntry[] }) {
  if (entries.length === 0) return <p className="empty">No journal entries yet.</p>;
  return (
    <table className="grid journal" aria-label="Journal">
      <thead>
        <tr>
          <th>#</th>
          <th>Time (UTC)</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Hash</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.seq} data-seq={e.seq}>
            <td>{e.seq}</td>
            <td>
              <time dateTime={e.at}>{formatTime(e.at)}</time>
            </td>
            <td>
              {e.actor.kind}:{e.actor.id}
            </td>
            <td className="action">{e.action}</td>
            <td>
              <code title={e.hash}>{e.hash.slice(0, 12)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
