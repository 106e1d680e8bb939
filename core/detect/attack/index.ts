import type { NormalizedEvent } from '../../model/index.js';
import { AttackCatalogue } from './catalogue.js';
import { readCatalogueFile } from './catalogue-file.js';
import { tagAttack, threatFromSigmaTags, type TaggedThreat } from './tag.js';

export { AttackCatalogue, canonicalTechniqueId } from './catalogue.js';
export { readCatalogueFile, CatalogueFile } from './catalogue-file.js';
export { tagAttack, threatFromSigmaTags, type Threat, type TaggedThreat } from './tag.js';
export { buildMatrix, type TechniqueGroup } from './matrix.js';

let shared: AttackCatalogue | undefined;

/**
 * The shipped catalogue, read on first use and kept for the life of the process (or import worker): about 10 ms
 * once, then map lookups. Throws `unavailable` when content/ is missing or damaged.
 */
export function attackCatalogue(): AttackCatalogue {
  shared ??= new AttackCatalogue(readCatalogueFile());
  return shared;
}

/**
 * An imported record with its ATT&CK in canonical form (see tagAttack). Records without ATT&CK are returned as they
 * are, without loading the catalogue, so imports of telemetry never pay for it.
 */
export function withAttack(event: NormalizedEvent, catalogue: () => AttackCatalogue = attackCatalogue): NormalizedEvent {
  if (!event.threat) return event;
  const { threat, unresolved } = tagAttack(event.threat, catalogue());
  const next: NormalizedEvent = { ...event, quell: { ...event.quell } };
  if (threat) next.threat = threat;
  else delete next.threat;
  if (unresolved.length) next.quell.attackUnresolved = unresolved;
  return next;
}

/** A Sigma rule's `attack.*` tags as canonical ATT&CK: the same form importers give vendor alerts. */
export function sigmaAttack(tags: readonly string[], catalogue: () => AttackCatalogue = attackCatalogue): TaggedThreat {
  const threat = threatFromSigmaTags(tags);
  return threat ? tagAttack(threat, catalogue()) : { threat: undefined, unresolved: [] };
}
