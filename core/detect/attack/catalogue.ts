import { QuellError } from '../../api/index.js';
import type { AttackLookupResult, AttackTactic, AttackTechnique, AttackTechniqueMatch } from '../../model/index.js';
import type { CatalogueFile } from './catalogue-file.js';

type RawTechnique = CatalogueFile['techniques'][number];

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const TACTIC_ID = /^TA\d{4}$/;
/** Partial name matches are capped: a lookup is for a person reading a terminal or a panel. */
const MAX_PARTIAL = 25;

/**
 * Ids as vendors write them: any case, surrounding space, Sigma's `attack.` prefix (`attack.t1003.001`).
 * Returns the canonical upper-case form, or null when it is not shaped like a technique id.
 */
export function canonicalTechniqueId(text: string): string | null {
  const id = text.trim().replace(/^attack\./i, '').toUpperCase();
  return TECHNIQUE_ID.test(id) ? id : null;
}

/**
 * Tactics arrive as ids (`TA0006`), shortnames (`credential-access`, Sigma's `attack.credential-access`) and display
 * names (`Credential Access`, Elastic and Wazuh); shortnames are the names lower-cased with hyphens, so one key
 * serves both.
 */
const tacticKey = (text: string) =>
  text
    .trim()
    .replace(/^attack\./i, '')
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

/** The ATT&CK Enterprise catalogue, indexed for the lookups the importer, the matrix and the CLI make. */
export class AttackCatalogue {
  readonly version: string;
  readonly copyright: string;
  /** In matrix order, left to right. */
  readonly tactics: readonly AttackTactic[];
  private readonly raw = new Map<string, RawTechnique>();
  private readonly tacticByKey = new Map<string, AttackTactic>();
  private readonly subs = new Map<string, RawTechnique[]>();
  private readonly built = new Map<string, AttackTechnique>();

  constructor(file: CatalogueFile) {
    this.version = file.source.attack_version;
    this.copyright = file.source.copyright;
    this.tactics = file.tactics
      .filter((t) => !t.deprecated && !t.revoked)
      .sort((a, b) => a.order - b.order)
      .map((t) => ({ id: t.id, shortname: t.shortname, name: t.name, order: t.order, url: t.url }));
    for (const t of this.tactics) {
      for (const key of [t.id.toLowerCase(), t.shortname, tacticKey(t.name)]) this.tacticByKey.set(key, t);
    }
    for (const t of file.techniques) {
      this.raw.set(t.id, t);
      if (t.parent && isActive(t)) this.subs.set(t.parent, [...(this.subs.get(t.parent) ?? []), t]);
    }
  }

  /** Every technique and sub-technique id in the file, active or not. */
  ids(): string[] {
    return [...this.raw.keys()];
  }

  /**
   * A technique by id in any case, following revoked ids to their replacement (T1086 → T1059.001; chains such as
   * T1073 → T1574.002 → T1574.001 are followed to the end). Null when the id is unknown or not an id.
   */
  findTechnique(text: string): AttackTechniqueMatch | null {
    const asked = canonicalTechniqueId(text);
    if (!asked) return null;
    const redirectedFrom: string[] = [];
    let current = this.raw.get(asked);
    while (current?.revoked && current.revoked_by && !redirectedFrom.includes(current.id)) {
      redirectedFrom.push(current.id);
      current = this.raw.get(current.revoked_by);
    }
    if (!current) return null;
    return { ...this.build(current), redirectedFrom };
  }

  /** As findTechnique, but an unknown id is a `not_found` error that says so. */
  technique(text: string): AttackTechniqueMatch {
    const found = this.findTechnique(text);
    if (found) return found;
    const id = canonicalTechniqueId(text);
    throw new QuellError(
      'not_found',
      id
        ? `ATT&CK ${this.version} has no technique ${id}.`
        : `${JSON.stringify(text)} is not an ATT&CK technique id (T1234 or T1234.001).`,
      { details: { query: text, version: this.version } },
    );
  }

  /** A tactic by id (TA0006), shortname (credential-access) or display name (Credential Access), in any case. */
  findTactic(text: string): AttackTactic | null {
    return this.tacticByKey.get(tacticKey(text)) ?? null;
  }

  /** Tactics of a technique in matrix order (a technique can sit under several). */
  tacticsOf(id: string): AttackTactic[] {
    const t = this.raw.get(id);
    if (!t) return [];
    return this.tactics.filter((tactic) => t.tactics.includes(tactic.shortname));
  }

  /**
   * Active techniques whose name or `Parent: Sub` name equals the text (case-insensitive); when none does, those
   * whose names contain it. Names repeat across parents (`DNS` is T1071.004 and T1590.002), so this is a list.
   */
  techniquesNamed(text: string): { exact: boolean; techniques: AttackTechnique[] } {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return { exact: true, techniques: [] };
    const active = [...this.raw.values()].filter(isActive).map((t) => this.build(t));
    const exact = active.filter((t) => t.name.toLowerCase() === wanted || t.fullName.toLowerCase() === wanted);
    if (exact.length) return { exact: true, techniques: exact };
    return { exact: false, techniques: active.filter((t) => t.fullName.toLowerCase().includes(wanted)).slice(0, MAX_PARTIAL) };
  }

  /** What `attack lookup` answers: a technique or tactic by id, a tactic by name, else techniques by name. */
  lookup(query: string): AttackLookupResult {
    const base = { query, version: this.version, tactics: [] as AttackTactic[], techniques: [] as AttackTechniqueMatch[] };
    const text = query.trim();
    if (canonicalTechniqueId(text)) return { ...base, matchedBy: 'technique-id', techniques: [this.technique(text)] };
    const tactic = this.findTactic(text);
    if (TACTIC_ID.test(text.toUpperCase())) {
      if (!tactic) throw new QuellError('not_found', `ATT&CK ${this.version} has no tactic ${text.toUpperCase()}.`, { details: { query, version: this.version } });
      return { ...base, matchedBy: 'tactic-id', tactics: [tactic] };
    }
    if (tactic) return { ...base, matchedBy: 'tactic-name', tactics: [tactic] };
    const named = this.techniquesNamed(text);
    if (!named.techniques.length) {
      throw new QuellError('not_found', `No ATT&CK ${this.version} technique or tactic matches ${JSON.stringify(text)}.`, {
        details: { query, version: this.version },
      });
    }
    return {
      ...base,
      matchedBy: named.exact ? 'technique-name' : 'technique-name-partial',
      techniques: named.techniques.map((t) => ({ ...t, redirectedFrom: [] })),
    };
  }

  /** Counts by status, as the catalogue's own `counts` states them (tests and `system` views). */
  counts(): { tactics: number; techniques: number; subtechniques: number; deprecated: number; revoked: number } {
    const all = [...this.raw.values()];
    return {
      tactics: this.tactics.length,
      techniques: all.filter((t) => isActive(t) && !t.is_subtechnique).length,
      subtechniques: all.filter((t) => isActive(t) && t.is_subtechnique).length,
      deprecated: all.filter((t) => t.deprecated).length,
      revoked: all.filter((t) => t.revoked).length,
    };
  }

  private build(t: RawTechnique): AttackTechnique {
    const cached = this.built.get(t.id);
    if (cached) return cached;
    const parent = t.parent ? this.raw.get(t.parent) : undefined;
    const built: AttackTechnique = {
      id: t.id,
      name: t.name,
      fullName: parent ? `${parent.name}: ${t.name}` : t.name,
      tactics: this.tacticsOf(t.id).map((x) => ({ id: x.id, shortname: x.shortname, name: x.name })),
      platforms: t.platforms,
      isSubtechnique: t.is_subtechnique,
      parent: parent ? { id: parent.id, name: parent.name } : null,
      subtechniques: (this.subs.get(t.id) ?? []).map((s) => ({ id: s.id, name: s.name })),
      deprecated: t.deprecated,
      revoked: t.revoked,
      revokedBy: t.revoked_by ?? null,
      url: t.url,
    };
    this.built.set(t.id, built);
    return built;
  }
}

const isActive = (t: RawTechnique) => !t.revoked && !t.deprecated;
