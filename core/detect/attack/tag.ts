import type { NormalizedEvent } from '../../model/index.js';
import { canonicalTechniqueId, type AttackCatalogue } from './catalogue.js';

export type Threat = NonNullable<NormalizedEvent['threat']>;

export interface TaggedThreat {
  /** Canonical ATT&CK, or undefined when the source named none. */
  threat: Threat | undefined;
  /** Technique ids and tactic names the catalogue does not know, as the source wrote them (upper-cased ids). */
  unresolved: string[];
}

/**
 * Puts the ATT&CK of one alert in canonical form, the same for every source (importers, Sigma detections):
 *
 * - technique ids upper-cased and revoked ids replaced by their successor (Wazuh's T1574.002 becomes T1574.001);
 *   `technique.name` parallel to the ids, from the catalogue, `Parent: Sub` for sub-techniques as ATT&CK shows them;
 * - sub-techniques are **not** joined by their parent id: the alert queue's technique filter and the matrix already
 *   roll a sub-technique up to its parent (T1003 finds T1003.001), and adding the parent would make it look as if the
 *   source had reported two techniques;
 * - tactics the source names (by id, shortname or display name) kept, as canonical id and name in matrix order —
 *   they say which of a technique's tactics the source meant; when it names none, every tactic of its techniques;
 * - an id or tactic the catalogue does not know (a newer ATT&CK, a typo) stays on the alert, is listed in
 *   `unresolved`, and never stops the import.
 */
export function tagAttack(threat: Threat | undefined, catalogue: AttackCatalogue): TaggedThreat {
  const unresolved: string[] = [];
  const ids: string[] = [];
  const names: string[] = [];
  const add = (id: string, name: string) => {
    if (ids.includes(id)) return;
    ids.push(id);
    names.push(name);
  };

  const givenIds = threat?.technique?.id ?? [];
  const givenNames = threat?.technique?.name ?? [];
  givenIds.forEach((given, i) => {
    const found = catalogue.findTechnique(given);
    if (found) return add(found.id, found.fullName);
    const id = canonicalTechniqueId(given) ?? given.trim();
    if (!id) return;
    unresolved.push(id);
    // Names are parallel to ids only when the source gave one per id.
    add(id, (givenNames.length === givenIds.length ? givenNames[i] : undefined) ?? id);
  });
  if (!givenIds.length) {
    for (const given of givenNames) {
      const named = catalogue.techniquesNamed(given);
      const only = named.exact && named.techniques.length === 1 ? named.techniques[0] : undefined;
      if (only) add(only.id, only.fullName);
      else if (given.trim()) unresolved.push(given.trim());
    }
  }

  const stated = new Set<string>();
  for (const given of [...(threat?.tactic?.id ?? []), ...(threat?.tactic?.name ?? [])]) {
    const tactic = catalogue.findTactic(given);
    if (tactic) stated.add(tactic.id);
    else if (given.trim() && !unresolved.includes(given.trim())) unresolved.push(given.trim());
  }
  const implied = new Set(ids.flatMap((id) => catalogue.tacticsOf(id).map((t) => t.id)));
  const tacticIds = stated.size ? stated : implied;
  const tactics = catalogue.tactics.filter((t) => tacticIds.has(t.id));

  if (!ids.length && !tactics.length) return { threat: undefined, unresolved };
  const out: Threat = {};
  if (ids.length) out.technique = { id: ids, name: names };
  if (tactics.length) out.tactic = { id: tactics.map((t) => t.id), name: tactics.map((t) => t.name) };
  return { threat: out, unresolved };
}

/**
 * Sigma rule tags as a raw threat for tagAttack: `attack.t1003.001` is a technique, `attack.credential-access` a
 * tactic; group (`attack.g0016`) and software (`attack.s0002`) tags and tags outside `attack.` are not ATT&CK
 * techniques or tactics and are left out.
 */
export function threatFromSigmaTags(tags: readonly string[]): Threat | undefined {
  const techniques: string[] = [];
  const tactics: string[] = [];
  for (const tag of tags) {
    const m = /^attack\.(.+)$/i.exec(tag.trim());
    if (!m?.[1]) continue;
    if (canonicalTechniqueId(m[1])) techniques.push(m[1]);
    else if (!/^[gs]\d{4}$/i.test(m[1])) tactics.push(m[1]);
  }
  if (!techniques.length && !tactics.length) return undefined;
  return { technique: { id: techniques }, tactic: { name: tactics } };
}
