import { useEffect } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { useAttack, type AttackMatrixData } from '../../state/attack-store.js';
import { countOf } from '../common/format.js';

type Cell = AttackMatrixData['tactics'][number]['techniques'][number];

/** Shade steps by share of the busiest technique, so one noisy rule does not wash out the rest of the matrix. */
function shade(alerts: number, max: number): number {
  if (!alerts || !max) return 0;
  return Math.min(4, 1 + Math.floor((Math.log1p(alerts) / Math.log1p(max)) * 3.999));
}

/**
 * The case's ATT&CK matrix: tactic columns in ATT&CK order, one cell per technique with alerts (sub-techniques rolled
 * up and listed inside), shaded by alert count. A cell or sub-technique opens the alert queue filtered to it.
 */
export function AttackMatrix({ caseId }: { caseId: CaseId }) {
  const { caseId: loadedFor, matrix, load, openAlerts } = useAttack();
  useEffect(() => void load(caseId), [caseId, load]);
  const ready = loadedFor === caseId && matrix !== null;
  const max = ready ? Math.max(0, ...matrix.tactics.flatMap((t) => t.techniques.map((c) => c.alerts))) : 0;

  return (
    <section className="evidence-view scrolls" aria-labelledby="attack-title">
      <div className="view-header">
        <h2 id="attack-title">ATT&amp;CK matrix</h2>
        <div className="total" data-testid="attack-tagged">
          {ready ? `${countOf(matrix.taggedAlerts, 'alert')} with techniques · ATT&CK ${matrix.version}` : 'Loading…'}
        </div>
      </div>
      {ready && matrix.taggedAlerts === 0 && <p className="empty">No alert in this case carries an ATT&amp;CK technique yet.</p>}
      {ready && (
        <div className="attack-matrix" role="table" aria-label="ATT&CK matrix">
          {matrix.tactics.map((tactic) => (
            <div key={tactic.id} className="attack-column" role="rowgroup" aria-label={tactic.name} data-tactic={tactic.shortname}>
              <div className="attack-tactic" role="columnheader" title={tactic.id}>
                {tactic.name}
                <span className="muted"> {tactic.techniques.length}</span>
              </div>
              {tactic.techniques.map((cell) => (
                <TechniqueCell key={cell.id} cell={cell} level={shade(cell.alerts, max)} onOpen={(id) => openAlerts(caseId, id)} />
              ))}
            </div>
          ))}
        </div>
      )}
      {ready && matrix.unmapped.length > 0 && (
        <p className="muted" data-testid="attack-unmapped">
          Not in ATT&amp;CK {matrix.version}: {matrix.unmapped.map((u) => `${u.id} (${countOf(u.alerts, 'alert')})`).join(', ')}
        </p>
      )}
    </section>
  );
}

function TechniqueCell({ cell, level, onOpen }: { cell: Cell; level: number; onOpen(id: string): void }) {
  return (
    <div className={`attack-cell shade-${level}`} role="row" data-technique={cell.id}>
      <button type="button" className="attack-technique" onClick={() => onOpen(cell.id)} aria-label={`${cell.id} ${cell.name}: ${countOf(cell.alerts, 'alert')}`}>
        <span className="attack-id">{cell.id}</span>
        <span className="attack-name">{cell.name}</span>
        <span className="attack-count" data-testid="attack-count">
          {cell.alerts}
        </span>
      </button>
      {cell.subtechniques.map((s) => (
        <button key={s.id} type="button" className="attack-sub" data-technique={s.id} onClick={() => onOpen(s.id)} aria-label={`${s.id} ${s.name}: ${countOf(s.alerts, 'alert')}`}>
          <span className="attack-id">{s.id.slice(cell.id.length)}</span>
          <span className="attack-name">{s.name}</span>
          <span className="attack-count">{s.alerts}</span>
        </button>
      ))}
    </div>
  );
}
