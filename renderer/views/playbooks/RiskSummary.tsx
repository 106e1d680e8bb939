import type { RiskAssessment } from '../../../core/model/index.js';
import { countOf } from '../common/format.js';

/** Why an action is gated: its risk against the threshold, the three parts, and who and what it would touch. */
export function RiskSummary({ risk }: { risk: RiskAssessment }) {
  return (
    <div className="risk" data-testid="risk">
      <p>
        <strong>
          Risk {risk.risk} / threshold {risk.threshold}
        </strong>{' '}
        <span className="muted">
          impact {risk.impact} ({risk.parts.impact}) + blast radius {risk.parts.blastRadius} + uncertainty {risk.parts.uncertainty}
          {risk.confidence !== null && ` · confidence ${Math.round(risk.confidence * 100)}%`}
        </span>
      </p>
      <p className="muted">{risk.explanation}</p>
      {risk.target && (
        <p>
          Target <code>{risk.target}</code>
        </p>
      )}
      {risk.blastRadius && (
        <p data-testid="blast-radius">
          Blast radius: {countOf(risk.blastRadius.affected, 'dependent')} affected
          {risk.blastRadius.services.length > 0 && ` · services ${risk.blastRadius.services.join(', ')}`}
          {risk.blastRadius.owners.length > 0 && ` · inform ${risk.blastRadius.owners.join(', ')}`}
        </p>
      )}
    </div>
  );
}
