import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../../api/errors.js';
import { findContentDir } from '../../content-dir.js';
import { SigmaEngine, type RuleSource } from './engine.js';

const RULE_FILE = /\.ya?ml$/i;

/**
 * The rule files under a path, sorted: the file itself, or every `.yml`/`.yaml` below a folder. Names are relative
 * to the folder (`windows/process_creation/x.yml`), or the file's own name when one file is given.
 */
export function readRuleSources(rulesPath: string): RuleSource[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(rulesPath);
  } catch {
    throw new QuellError('not_found', `No Sigma rules at ${rulesPath}: no such file or folder.`);
  }
  if (stat.isFile()) return [{ file: path.basename(rulesPath), text: fs.readFileSync(rulesPath, 'utf8') }];
  const out: RuleSource[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) visit(full);
      } else if (entry.isFile() && RULE_FILE.test(entry.name)) {
        out.push({ file: path.relative(rulesPath, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  visit(rulesPath);
  if (!out.length) throw new QuellError('not_found', `No Sigma rules at ${rulesPath}: the folder holds no .yml or .yaml files.`);
  return out;
}

/** The rules Quell ships (content/sigma/rules), or null when the content folder is not found. */
export function shippedRulesDir(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const content = findContentDir(env);
  if (!content) return null;
  const dir = path.join(content, 'sigma', 'rules');
  return fs.existsSync(dir) ? dir : null;
}

/** `rulesPath` resolved: the given one (made absolute), or the shipped rules. */
export function resolveRulesPath(rulesPath: string | undefined): string {
  if (rulesPath) return path.resolve(rulesPath);
  const shipped = shippedRulesDir();
  if (!shipped) throw new QuellError('not_found', 'The shipped Sigma rules (content/sigma/rules) were not found; name a rule file or folder with --rules PATH.');
  return shipped;
}

/** Compiles the rules at a path into an engine: every file either loads or is rejected with its reason. */
export function loadRules(rulesPath: string): SigmaEngine {
  return new SigmaEngine(readRuleSources(rulesPath));
}
