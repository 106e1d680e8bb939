import type { AttackMatrix, AttackMatrixCell } from '../../model/index.js';
import type { AttackCatalogue } from './catalogue.js';

/** Alerts that share one exact technique list (the `events.techniques` column), and how many there are. */
export interface TechniqueGroup {
  techniques: string[];
  alerts: number;
}

/**
 * The case's ATT&CK matrix: every tactic in order, each with the techniques that have alerts. A sub-technique is
 * rolled up to its parent, whose count is of alerts with the parent or any of its sub-techniques (each alert once),
 * with the sub-technique counts beside it. A technique under several tactics shows in each of their columns with the
 * same count, as ATT&CK's own matrix repeats it, so a cell's count is always what the alert queue shows for its id.
 */
export function buildMatrix(catalogue: AttackCatalogue, groups: readonly TechniqueGroup[]): AttackMatrix {
  const perParent = new Map<string, number>();
  const perSub = new Map<string, number>();
  const unmapped = new Map<string, number>();
  let tagged = 0;
  for (const group of groups) {
    if (!group.techniques.length) continue;
    tagged += group.alerts;
    const parents = new Set<string>();
    const subs = new Set<string>();
    for (const id of group.techniques) {
      // Stored ids are already canonical; lookups here only find the parent.
      const found = catalogue.findTechnique(id);
      if (!found) {
        unmapped.set(id, (unmapped.get(id) ?? 0) + group.alerts);
        continue;
      }
      parents.add(found.parent?.id ?? found.id);
      if (found.parent) subs.add(found.id);
    }
    for (const p of parents) perParent.set(p, (perParent.get(p) ?? 0) + group.alerts);
    for (const s of subs) perSub.set(s, (perSub.get(s) ?? 0) + group.alerts);
  }

  const cells = new Map<string, AttackMatrixCell>();
  for (const [id, alerts] of perParent) {
    const t = catalogue.technique(id);
    const subtechniques = [...perSub]
      .filter(([sub]) => sub.startsWith(`${id}.`))
      .map(([sub, n]) => ({ id: sub, name: catalogue.technique(sub).name, alerts: n }))
      .sort(byCount);
    cells.set(id, { id, name: t.name, alerts, subtechniques });
  }
  return {
    version: catalogue.version,
    tactics: catalogue.tactics.map((tactic) => ({
      ...tactic,
      techniques: [...cells.values()].filter((c) => catalogue.tacticsOf(c.id).some((t) => t.id === tactic.id)).sort(byCount),
    })),
    taggedAlerts: tagged,
    unmapped: [...unmapped].map(([id, alerts]) => ({ id, alerts })).sort(byCount),
  };
}

const byCount = (a: { id: string; alerts: number }, b: { id: string; alerts: number }) => b.alerts - a.alerts || a.id.localeCompare(b.id);
