import { useState, type DragEvent } from 'react';
import { formatBytes } from '../common/format.js';

/** A file input and a drop zone feeding one list; picking or dropping more adds to it. */
export function FilePicker({ files, onChange, disabled }: { files: File[]; onChange(files: File[]): void; disabled: boolean }) {
  const [over, setOver] = useState(false);
  const add = (more: Iterable<File>) => {
    const known = new Set(files.map((f) => `${f.name}\0${f.size}\0${f.lastModified}`));
    onChange([...files, ...[...more].filter((f) => !known.has(`${f.name}\0${f.size}\0${f.lastModified}`))]);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!disabled) add(e.dataTransfer.files);
  };

  return (
    <div className="file-picker">
      <div
        className={over ? 'dropzone over' : 'dropzone'}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <span>Drop evidence files here, or</span>
        <label className="file-button">
          choose files…
          <input
            type="file"
            multiple
            aria-label="Evidence files"
            disabled={disabled}
            onChange={(e) => {
              add(e.target.files ?? []);
              e.target.value = '';
            }}
          />
        </label>
      </div>
      {files.length > 0 && (
        <ul className="picked" aria-label="Chosen files">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span>{f.name}</span> <span className="muted">{formatBytes(f.size)}</span>
              {!disabled && (
                <button type="button" className="link" aria-label={`Remove ${f.name}`} onClick={() => onChange(files.filter((_, j) => j !== i))}>
                  remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
