import type { FileProgress, ImportResult } from '../../state/import-store.js';
import { formatNumber } from '../common/format.js';

const reasons = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([reason, n]) => `${reason} (${formatNumber(n)})`)
    .join('; ');

/** What each file gave, and the totals: read = stored + duplicates + quarantined + skipped, for every file. */
export function ImportSummaryTable({ result, files }: { result: ImportResult; files: FileProgress[] }) {
  const { totals } = result;
  return (
    <div className="import-summary">
      <table className="grid" aria-label="Import summary">
        <thead>
          <tr>
            <th>File</th>
            <th>Format</th>
            <th className="num">Read</th>
            <th className="num">Stored</th>
            <th className="num">Duplicates</th>
            <th className="num">Quarantined</th>
            <th className="num">Skipped</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {result.files.map((f, i) => (
            <tr key={f.importId} data-file={files[i]?.name ?? f.file}>
              <td title={f.file}>{files[i]?.name ?? f.file}</td>
              <td>
                <code>{f.format}</code>
              </td>
              <td className="num" data-col="read">{formatNumber(f.read)}</td>
              <td className="num" data-col="stored">{formatNumber(f.stored)}</td>
              <td className="num" data-col="duplicates">{formatNumber(f.duplicates)}</td>
              <td className="num" data-col="quarantined">{formatNumber(f.quarantined)}</td>
              <td className="num" data-col="skipped">{formatNumber(f.skipped)}</td>
              <td className="reasons">
                {Object.keys(f.quarantineReasons).length > 0 && <div>quarantined: {reasons(f.quarantineReasons)}</div>}
                {Object.keys(f.skipReasons).length > 0 && <div>skipped: {reasons(f.skipReasons)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="totals" data-testid="import-totals">
        Totals: {formatNumber(totals.read)} read, {formatNumber(totals.stored)} stored, {formatNumber(totals.duplicates)} duplicates,{' '}
        {formatNumber(totals.quarantined)} quarantined, {formatNumber(totals.skipped)} skipped · {formatNumber(totals.incidents)}{' '}
        {totals.incidents === 1 ? 'incident' : 'incidents'} in the case
        {Object.keys(totals.byFormat).length > 0 &&
          ` · ${Object.entries(totals.byFormat)
            .map(([format, n]) => `${format}: ${formatNumber(n)}`)
            .join(', ')}`}
      </p>
    </div>
  );
}
