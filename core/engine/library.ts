// Where playbooks come from: the library Quell ships (playbooks/*.yaml next to the app) and the ones a responder
// imported into the case database (YAML, JSON or CACAO). An imported playbook with a library id and a higher
// version wins; otherwise the library's.
import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../api/index.js';
import { findShippedDir } from '../content-dir.js';
import { Playbook } from '../model/index.js';
import type { Store } from '../store/index.js';
import { parseQuellPlaybook, readDocument, type PlaybookFormat } from './load.js';
import { walkSteps } from './walk.js';

export interface LibraryEntry {
  playbook: Playbook;
  source: 'library' | 'imported';
  format: PlaybookFormat;
  file: string | null;
}

/** playbooks/ of the checkout or installed app, found from this module (source or bundle); QUELL_PLAYBOOKS_DIR overrides. */
export function findPlaybooksDir(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  return findShippedDir('playbooks', 'README.md', env.QUELL_PLAYBOOKS_DIR);
}

export class PlaybookLibrary {
  private cache: LibraryEntry[] | null = null;

  constructor(
    private readonly store: Store,
    private readonly dir: string | null,
  ) {}

  /** The shipped playbooks; a broken file is a bug in Quell and fails loudly, naming the file. */
  private shipped(): LibraryEntry[] {
    if (this.cache) return this.cache;
    const out: LibraryEntry[] = [];
    if (this.dir && fs.existsSync(this.dir)) {
      for (const name of fs.readdirSync(this.dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        const file = path.join(this.dir, name);
        const doc = readDocument(fs.readFileSync(file, 'utf8'), `playbooks/${name}`);
        out.push({ playbook: parseQuellPlaybook(doc, `playbooks/${name}`), source: 'library', format: 'yaml', file });
      }
    }
    this.cache = out;
    return out;
  }

  private imported(): LibraryEntry[] {
    const rows = this.store.db.prepare('SELECT id, version, format, definition FROM playbooks ORDER BY id, version').all() as {
      id: string;
      version: number;
      format: PlaybookFormat;
      definition: string;
    }[];
    return rows.map((r) => ({ playbook: Playbook.parse(JSON.parse(r.definition)), source: 'imported' as const, format: r.format, file: null }));
  }

  /** Every playbook, newest version of each id. */
  list(): LibraryEntry[] {
    const best = new Map<string, LibraryEntry>();
    for (const e of [...this.shipped(), ...this.imported()]) {
      const have = best.get(e.playbook.id);
      if (!have || e.playbook.version > have.playbook.version) best.set(e.playbook.id, e);
    }
    return [...best.values()].sort((a, b) => a.playbook.id.localeCompare(b.playbook.id));
  }

  get(id: string, version?: number): LibraryEntry {
    const all = [...this.shipped(), ...this.imported()].filter((e) => e.playbook.id === id);
    const found = version === undefined ? all.sort((a, b) => b.playbook.version - a.playbook.version)[0] : all.find((e) => e.playbook.version === version);
    if (!found) {
      const known = this.list().map((e) => e.playbook.id);
      throw new QuellError('not_found', `No playbook "${id}"${version === undefined ? '' : ` version ${version}`} (known: ${known.join(', ') || 'none'}).`, {
        details: { id, known },
      });
    }
    return found;
  }

  /** Every sub-playbook a playbook calls, transitively, by id. */
  resolveSubs(pb: Playbook, extra: readonly Playbook[] = []): Record<string, Playbook> {
    const subs: Record<string, Playbook> = {};
    const visit = (p: Playbook, chain: string[]) => {
      for (const id of calledPlaybooks(p)) {
        if (chain.includes(id)) throw new QuellError('invalid_input', `Playbooks call each other in a loop: ${[...chain, id].join(' → ')}.`);
        if (subs[id]) continue;
        const callee = extra.find((e) => e.id === id) ?? this.get(id).playbook;
        subs[id] = callee;
        visit(callee, [...chain, id]);
      }
    };
    visit(pb, [pb.id]);
    return subs;
  }
}

function calledPlaybooks(pb: Playbook): string[] {
  return [...walkSteps(pb.steps)].flatMap(({ step }) => (step.type === 'playbook' ? [step.playbook] : []));
}
