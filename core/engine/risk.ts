// The risk of one action: what it does (its declared impact), how much depends on what it acts on (the blast radius
// of its target in the dependency map), and how sure we are that the alert is real (its confidence). Each part is
// reported, so an approval prompt can say why the action waits.
import type { BlastRadius, Impact, RiskAssessment } from '../model/index.js';

const IMPACT_POINTS: Record<Impact, number> = { none: 0, low: 20, medium: 45, high: 70 };
const POINTS_PER_DEPENDENT = 4;
const MAX_BLAST_POINTS = 20;
const MAX_UNCERTAINTY_POINTS = 20;
/** When nothing tells us how sure we are, count half the uncertainty. */
const UNKNOWN_CONFIDENCE_POINTS = 10;

export interface RiskFactors {
  impact: Impact;
  target: string | null;
  blast: BlastRadius | null;
  /** 0–1, or null when nothing rates the alert. */
  confidence: number | null;
  threshold: number;
  /** Whether a risk above the threshold means waiting (auto-with-approvals) or every action waits (suggest). */
  gateWhen: 'above-threshold' | 'always' | 'never';
}

export function assessRisk(f: RiskFactors): RiskAssessment {
  const impact = IMPACT_POINTS[f.impact];
  const affected = f.blast?.dependents.length ?? 0;
  const blastRadius = Math.min(MAX_BLAST_POINTS, affected * POINTS_PER_DEPENDENT);
  const uncertainty =
    f.confidence === null ? UNKNOWN_CONFIDENCE_POINTS : Math.round((1 - Math.min(1, Math.max(0, f.confidence))) * MAX_UNCERTAINTY_POINTS);
  const risk = Math.min(100, impact + blastRadius + uncertainty);
  const gated = f.gateWhen === 'always' || (f.gateWhen === 'above-threshold' && risk > f.threshold);
  const owners = f.blast ? f.blast.owners.map((o) => o.owner) : [];
  const services = f.blast ? f.blast.dependents.map((d) => d.name) : [];
  const why = [
    `impact ${f.impact} (${impact})`,
    f.target === null
      ? 'no target named (0)'
      : f.blast
        ? `${affected} dependent${affected === 1 ? '' : 's'} of ${f.target} (${blastRadius})`
        : `${f.target} is not in the dependency map (0)`,
    f.confidence === null ? `confidence unknown (${uncertainty})` : `confidence ${Math.round(f.confidence * 100)}% (${uncertainty})`,
  ].join(' + ');
  const verdict =
    f.gateWhen === 'always'
      ? 'waits for approval: this playbook only suggests'
      : gated
        ? `above the threshold ${f.threshold}: waits for approval`
        : f.gateWhen === 'never'
          ? 'runs without approval (full auto)'
          : `within the threshold ${f.threshold}: runs without approval`;
  return {
    risk,
    threshold: f.threshold,
    gated,
    impact: f.impact,
    parts: { impact, blastRadius, uncertainty },
    confidence: f.confidence,
    target: f.target,
    blastRadius: f.blast ? { affected, owners, services } : null,
    explanation: `risk ${risk} = ${why}; ${verdict}`,
  };
}
