import type { Level } from '../model/index.js';

/**
 * Vendor severity scales onto one 0–100 risk and one level. Anchors follow Elastic's defaults (low 21, medium 47,
 * high 73, critical 99) so that Elastic alerts keep their own risk scores.
 */
export interface Severity {
  risk: number;
  level: Level;
  severityOriginal?: string | number;
}

const ANCHOR: Record<Level, number> = { informational: 0, low: 21, medium: 47, high: 73, critical: 99 };

export function levelFromRisk(risk: number): Level {
  if (risk >= 90) return 'critical';
  if (risk >= 70) return 'high';
  if (risk >= 40) return 'medium';
  if (risk >= 20) return 'low';
  return 'informational';
}

const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));

export const informational: Severity = { risk: 0, level: 'informational' };

/** Suricata: 1 is the most severe; 4 and above are informational. */
export function fromSuricata(severity: unknown): Severity {
  const n = Number(severity);
  const level: Level = n === 1 ? 'high' : n === 2 ? 'medium' : n === 3 ? 'low' : 'informational';
  const original = severity === undefined || severity === null ? {} : { severityOriginal: typeof severity === 'number' ? severity : String(severity) };
  return { risk: ANCHOR[level], level, ...original };
}

/**
 * Wazuh rule levels 0–15 scale linearly onto risk, and the level follows from the risk like every other source
 * (0–2 informational, 3–5 low, 6–10 medium, 11–13 high, 14–15 critical), so risk and level never disagree.
 */
export function fromWazuh(level: unknown): Severity {
  const parsed = Number(level);
  const n = Number.isFinite(parsed) ? Math.max(0, Math.min(15, parsed)) : 0;
  const risk = clamp((n / 15) * 100);
  return { risk, level: levelFromRisk(risk), severityOriginal: Number.isFinite(parsed) ? parsed : String(level) };
}

/** Sigma and Elastic level names; unknown names are informational. */
export function fromLevelName(name: unknown): Severity {
  const key = String(name ?? '').toLowerCase() as Level;
  const level: Level = key in ANCHOR ? key : 'informational';
  return { risk: ANCHOR[level], level, severityOriginal: String(name ?? '') };
}

/** Elastic: a risk score (which Attack Discovery lets exceed 100) wins over the severity name. */
export function fromElastic(severity: unknown, riskScore: unknown): Severity {
  // Number(null) and Number('') are 0: an absent score must fall back to the severity name, not mean "no risk".
  const score = riskScore === null || riskScore === undefined || riskScore === '' ? Number.NaN : Number(riskScore);
  if (Number.isFinite(score)) {
    const risk = clamp(score);
    return { risk, level: levelFromRisk(risk), severityOriginal: `${String(severity ?? '')}/${score}`.replace(/^\//, '') };
  }
  return fromLevelName(severity);
}

/** Microsoft Defender severities: Informational, Low, Medium, High. */
export const fromDefender = fromLevelName;
