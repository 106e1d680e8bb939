import type { FileProgress } from '../../state/import-store.js';
import { formatNumber } from '../common/format.js';

/** One line per file while the import runs: which file of how many, how far in bytes, and the counts so far. */
export function ImportProgressList({ files }: { files: FileProgress[] }) {
  return (
    <ol className="import-progress" aria-label="Import progress">
      {files.map((f, i) => {
        const percent = f.bytesRead === null || f.size === 0 ? null : Math.min(100, Math.round((f.bytesRead / f.size) * 100));
        return (
          <li key={`${f.name}-${i}`} data-state={f.state}>
            <div className="progress-head">
              <span>
                file {i + 1}/{files.length}: <strong>{f.name}</strong>
              </span>
              <span className="muted">{f.state === 'done' ? 'done' : percent === null ? f.state : `${percent}%`}</span>
            </div>
            <progress
              max={100}
              aria-label={`${f.name} progress`}
              {...(percent !== null ? { value: percent } : f.state === 'waiting' ? { value: 0 } : {})}
            />
            <div className="muted">
              read {formatNumber(f.read)} · stored {formatNumber(f.stored)} · duplicates {formatNumber(f.duplicates)} · quarantined{' '}
              {formatNumber(f.quarantined)}
              {f.skipped > 0 && ` · skipped ${formatNumber(f.skipped)}`}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
