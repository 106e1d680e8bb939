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
  return { risk: ANCHOR[level], level, severityOriginal: typeof severity === 'number' ? severity : String(severity) };
}

/** Wazuh rule levels 0–15, grouped as Wazuh's dashboard does: 0–6 low, 7–11 medium, 12–14 high, 15 critical. */
export function fromWazuh(level: unknown): Severity {
  const n = Math.max(0, Math.min(15, Number(level) || 0));
  const named: Level = n >= 15 ? 'critical' : n >= 12 ? 'high' : n >= 7 ? 'medium' : n >= 3 ? 'low' : 'informational';
  return { risk: clamp((n / 15) * 100), level: named, severityOriginal: Number(level) };
}

/** Sigma and Elastic level names; unknown names are informational. */
export function fromLevelName(name: unknown): Severity {
  const key = String(name ?? '').toLowerCase() as Level;
  const level: Level = key in ANCHOR ? key : 'informational';
  return { risk: ANCHOR[level], level, severityOriginal: String(name ?? '') };
}

/** Elastic: a risk score (which Attack Discovery lets exceed 100) wins over the severity name. */
export function fromElastic(severity: unknown, riskScore: unknown): Severity {
  const score = Number(riskScore);
  if (Number.isFinite(score)) {
    const risk = clamp(score);
    return { risk, level: levelFromRisk(risk), severityOriginal: `${String(severity ?? '')}/${score}`.replace(/^\//, '') };
  }
  return fromLevelName(severity);
}

/** Microsoft Defender severities: Informational, Low, Medium, High. */
export const fromDefender = fromLevelName;
