import { useEffect, useRef } from 'react';
import type { SigmaDetection } from '../../../core/model/index.js';
import { isUnder, matchedColumns, matchedPaths, recordLeaves } from './matched-paths.js';

/** The record the rule matched, every field shown, the ones that made it fire marked. */
export function MatchedRecord({ original, detection }: { original: unknown; detection: SigmaDetection }) {
  const box = useRef<HTMLDivElement>(null);
  // A Windows record has dozens of fields; bring the first one that fired into view rather than the top of the list.
  useEffect(() => {
    const first = box.current?.querySelector('tr[data-matched]');
    if (first && box.current) box.current.scrollTop = (first as HTMLElement).offsetTop - box.current.clientHeight / 3;
  }, [original, detection]);
  if (typeof original === 'string') {
    const marks = matchedColumns(original, detection.matches);
    return (
      <pre className="raw matched-line" aria-label="Matching record">
        {original.split('\t').map((column, i) => (
          <span key={i}>
            {i > 0 && '\t'}
            {marks[i] ? (
              <mark className="hit" data-column={i}>
                {column}
              </mark>
            ) : (
              column
            )}
          </span>
        ))}
      </pre>
    );
  }
  const matched = matchedPaths(detection.matches);
  return (
    <div className="scroll-box matched-box" ref={box}>
      <table className="fields matched-record" aria-label="Matching record">
        <tbody>
          {recordLeaves(original).map(({ path, value }) => {
            const hit = isUnder(path, matched);
            return (
              <tr key={path} className={hit ? 'hit' : undefined} {...(hit ? { 'data-matched': 'true' } : {})}>
                <th scope="row">{path}</th>
                <td>{hit ? <mark>{value}</mark> : value}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
