// Import directions, written down once (STYLE practice 2) and checked by `npm test`.
//
//   node scripts/check-imports.mjs [root]      root defaults to the repository; tests pass a temporary tree.
//
// Every .ts/.tsx/.mjs file under RULES.roots falls under the first zone whose `from` matches it. A relative import
// must resolve into one of the zone's `allow` globs (and none of its `except` globs); an npm package must pass the
// package fences and, where a zone lists `packages`, be one of them. Node built-ins count as packages named
// `node:<name>`. Globs: `*` is one path segment, `**` any number, `{vendor}` one segment that the zone's `allow`
// globs may repeat (a connector may import its own folder, not another vendor's).
//
// An exception names one file and one target, says why, and says when to remove it. An exception that no longer
// matches anything is itself reported, so that it is removed rather than forgotten.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OURS = ['core', 'cli', 'electron', 'renderer', 'connectors', 'playbooks', 'bench', 'e2e'];
const HARNESS = { allow: ['**'], except: ['renderer/**'], reason: 'test and benchmark harnesses drive any layer, but never the UI code directly' };
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

export const RULES = {
  roots: OURS,
  skipDirs: ['node_modules', 'dist'],
  extensions: ['.ts', '.tsx', '.mjs'],
  zones: [
    { from: 'core/model/**', allow: ['core/model/**'], reason: 'core/model is the bottom layer and runs in the renderer too' },
    { from: 'core/api/**', allow: ['core/api/**', 'core/model/**'], reason: 'core/api is the isomorphic contract over core/model' },
    {
      from: 'core/**',
      allow: ['core/**', 'connectors/sdk/**'],
      reason: 'core is plain TypeScript on Node: never electron/, renderer/, cli/ or a vendor connector; connectors/sdk is the interface only',
    },
    {
      from: 'renderer/**',
      allow: ['renderer/**', 'core/api/**', 'core/model/**'],
      packages: ['react', 'react-dom', 'zustand', 'cytoscape', 'cytoscape-fcose', 'zod'],
      reason: 'the renderer sees core only through the core/api contract and core/model types',
    },
    {
      from: 'electron/preload/**',
      allow: ['electron/preload/**', 'core/api/**', 'core/model/**'],
      reason: 'the preload is a narrow bridge whose names are checked against core/api',
    },
    {
      from: 'electron/**',
      allow: ['electron/**', 'core/index.ts', 'core/api/**', 'core/model/**', 'connectors/*/index.ts'],
      reason: 'the desktop shell reaches core through core/index.ts and a connector only through its index.ts',
    },
    {
      from: 'cli/**/*.test.ts',
      allow: ['cli/**', 'core/**', 'connectors/*/index.ts', 'connectors/sdk/testing/**'],
      reason: 'CLI tests may also drive the test-only connector and emulator of connectors/sdk/testing',
    },
    {
      from: 'cli/**',
      allow: ['cli/**', 'core/**', 'connectors/*/index.ts'],
      reason: 'the CLI is a composition root: any of core, a connector only through its index.ts',
    },
    {
      from: 'connectors/sdk/**',
      allow: ['connectors/sdk/**', 'core/model/**'],
      reason: 'the connector SDK is the interface core sees; it knows only the model',
    },
    {
      from: 'connectors/{vendor}/**',
      allow: ['connectors/{vendor}/**', 'connectors/sdk/**', 'core/model/**'],
      reason: 'a vendor connector sees only connectors/sdk and core/model, never another vendor',
    },
    { from: 'bench/**', ...HARNESS },
    { from: 'e2e/**', ...HARNESS },
    { from: 'playbooks/**', ...HARNESS },
  ],
  // STYLE practice 9: the big libraries each live behind one folder.
  packages: [
    {
      name: 'better-sqlite3',
      onlyIn: ['core/store/**', 'bench/**', 'core/**/*.test.ts'],
      reason: 'the database is reached through core/store; core tests open the file directly to simulate tampering, bench/ measures the bare baseline',
    },
    { name: 'electron', onlyIn: ['electron/**', 'e2e/**'], reason: 'only the desktop shell (and its e2e tests) knows it runs in Electron' },
    { name: 'cytoscape', onlyIn: ['renderer/graph/**'], reason: 'renderer/graph is the one wrapper around the graph library' },
    { name: 'cytoscape-fcose', onlyIn: ['renderer/graph/**'], reason: 'the layout belongs to the graph wrapper' },
    { name: 'node-red', onlyIn: ['bench/**'], reason: 'Node-RED is a dev dependency, only the playbook benchmark\'s baseline' },
    {
      name: 'node:*',
      notIn: ['core/model/**', 'core/api/**', 'renderer/**'],
      unless: TESTS,
      reason: 'these run in the browser too; tests run in Node, as core/tsconfig.iso.json excludes them',
    },
  ],
  /** @type {{ file: string, target: string, reason: string, removeWhen: string }[]} */
  exceptions: [
    {
      file: 'bench/graph-page/page.ts',
      target: 'renderer/graph/**',
      reason: 'the graph benchmark runs in a browser page and must measure the very code the views draw with (createGraph, loadLaidOut, the level-of-detail rules, the incident stylesheet), not a copy',
      removeWhen: 'the renderer/graph setup moves to a package both may import',
    },
    {
      file: 'bench/graph-page/page.ts',
      target: 'cytoscape',
      reason: 'the benchmark\'s baseline is a plain Cytoscape instance with default styles, beside Quell\'s',
      removeWhen: 'never while the graph figures compare against plain Cytoscape',
    },
    {
      file: 'e2e/pages/graph-load.ts',
      target: 'renderer/graph/**',
      reason: 'the staged-load e2e test drives createGraph and loadLaidOut on a bare page, to read back what Cytoscape holds after each step',
      removeWhen: 'the renderer/graph setup moves to a package both may import',
    },
    {
      file: 'e2e/pages/graph-load.ts',
      target: 'cytoscape',
      reason: 'the page holds the Cytoscape instance loadLaidOut fills (a type import)',
      removeWhen: 'the renderer/graph setup moves to a package both may import',
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------

const globCache = new Map();
/** @returns {RegExp} */
function globRegex(glob) {
  let re = globCache.get(glob);
  if (re) return re;
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) (src += '(?:.*/)?'), (i += 2);
    else if (glob.startsWith('/**', i) && i + 3 === glob.length) (src += '(?:/.*)?'), (i += 2);
    else if (glob.startsWith('**', i)) (src += '.*'), (i += 1);
    else if (c === '*') src += '[^/]*';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      src += `(?<${glob.slice(i + 1, end)}>[^/]+)`;
      i = end;
    } else src += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`);
  globCache.set(glob, re);
  return re;
}

const matchGlob = (glob, p) => globRegex(glob).exec(p);
const matchAny = (globs, p) => (globs ?? []).some((g) => matchGlob(g, p));
const fill = (glob, captures) => glob.replace(/\{(\w+)\}/g, (whole, name) => captures[name] ?? whole);

/**
 * Tokens of JS/TS source, enough to find import specifiers without being fooled by comments, or by import-like text
 * inside strings and templates. Strings and regular expressions end at a line break, so JSX text such as `Don't`
 * costs at most the rest of its line.
 */
export function tokenize(src) {
  const tokens = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  const templateResume = []; // brace depth at which a `${` returns to its template
  let depth = 0;
  const regexAfter = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
  const regexAllowed = () => {
    const t = tokens[tokens.length - 1];
    if (!t) return true;
    if (t.type === 'id') return regexAfter.has(t.value);
    if (t.type !== 'punct') return false;
    return t.value !== ')' && t.value !== ']' && t.value !== '}';
  };
  if (src.startsWith('#!')) while (i < n && src[i] !== '\n') i++;

  const readTemplate = (startLine) => {
    // i is just after '`' or the '}' closing a substitution
    let text = '';
    while (i < n) {
      const c = src[i];
      if (c === '\\') {
        text += src.slice(i, i + 2);
        if (src[i + 1] === '\n') line++;
        i += 2;
      } else if (c === '`') {
        i++;
        return { text, closed: true };
      } else if (c === '$' && src[i + 1] === '{') {
        i += 2;
        templateResume.push(depth);
        return { text, closed: false };
      } else {
        if (c === '\n') line++;
        text += c;
        i++;
      }
    }
    return { text, closed: true, line: startLine };
  };

  while (i < n) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF') i++;
    else if (c === '/' && src[i + 1] === '/') while (i < n && src[i] !== '\n') i++;
    else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (src[k] === '\n') line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      const start = line;
      let value = '';
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') {
        if (src[i] === '\\') {
          if (src[i + 1] === '\n') line++;
          value += src[i + 1] ?? '';
          i += 2;
        } else value += src[i++];
      }
      if (src[i] === c) i++;
      tokens.push({ type: 'str', value, line: start });
    } else if (c === '`') {
      const start = line;
      i++;
      const part = readTemplate(start);
      tokens.push(part.closed ? { type: 'str', value: part.text, line: start } : { type: 'tmpl', value: part.text, line: start });
    } else if (c === '}' && templateResume.length && templateResume[templateResume.length - 1] === depth) {
      templateResume.pop();
      i++;
      readTemplate(line); // the rest of a template with substitutions is not a literal we can resolve
    } else if (c === '/' && regexAllowed()) {
      const start = line;
      let inClass = false;
      i++;
      while (i < n && src[i] !== '\n') {
        if (src[i] === '\\') i += 2;
        else if (src[i] === '[') (inClass = true), i++;
        else if (src[i] === ']') (inClass = false), i++;
        else if (src[i] === '/' && !inClass) break;
        else i++;
      }
      i++;
      while (i < n && /[a-z]/i.test(src[i])) i++;
      tokens.push({ type: 'regex', value: '', line: start });
    } else if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < n && /[\w$]/.test(src[i])) i++;
      tokens.push({ type: 'id', value: src.slice(start, i), line });
    } else if (/[0-9]/.test(c)) {
      while (i < n && /[\w.]/.test(src[i])) i++;
      tokens.push({ type: 'num', value: '', line });
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      tokens.push({ type: 'punct', value: c, line });
      i++;
    }
  }
  return tokens;
}

/** Every static import, re-export, dynamic import() and require() with a string literal, in source order. */
export function extractImports(src) {
  const t = tokenize(src);
  const found = [];
  const is = (k, value) => t[k] !== undefined && t[k].type !== 'str' && t[k].value === value;
  const str = (k) => (t[k]?.type === 'str' ? t[k] : undefined);
  const skipBraces = (k) => {
    let d = 0;
    for (; k < t.length; k++) {
      if (is(k, '{')) d++;
      else if (is(k, '}') && --d === 0) return k + 1;
    }
    return k;
  };
  const fromClause = (k) => (is(k, 'from') && str(k + 1) ? str(k + 1) : undefined);
  const add = (tok) => tok && found.push({ spec: tok.value, line: tok.line });

  for (let k = 0; k < t.length; k++) {
    const tok = t[k];
    if (tok.type !== 'id') continue;
    if (is(k - 1, '.') && !is(k - 2, '.')) continue; // a member named import/require, or import.meta
    if (tok.value === 'import') {
      if (is(k + 1, '.')) continue;
      if (is(k + 1, '(')) add(str(k + 2));
      else if (str(k + 1)) add(str(k + 1));
      else {
        let j = k + 1;
        while (j < t.length) {
          if (is(j, '{')) j = skipBraces(j);
          else if (fromClause(j)) {
            add(fromClause(j));
            break;
          } else if (t[j].type === 'id' || is(j, ',') || is(j, '*')) j++;
          else break; // `import x = require(...)` is found by its require
        }
      }
    } else if (tok.value === 'export') {
      let j = k + 1;
      if (is(j, 'type')) j++;
      if (is(j, '*')) {
        j++;
        if (is(j, 'as')) j += 2;
        add(fromClause(j));
      } else if (is(j, '{')) add(fromClause(skipBraces(j)));
    } else if (tok.value === 'require' && is(k + 1, '(') && str(k + 2) && is(k + 3, ')')) add(str(k + 2));
  }
  return found;
}

const BUILTINS = new Set(builtinModules);
const CODE_EXT = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const INDEXES = ['index.ts', 'index.tsx', 'index.js', 'index.mjs'];

/** What a specifier means: a file of ours (repo-relative), a Node built-in, or an npm package. */
export function resolve(root, fromFile, spec) {
  if (spec.startsWith('node:')) return { kind: 'package', name: 'node:*', target: spec };
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const abs = path.resolve(root, path.dirname(fromFile), spec);
    const rel = path.relative(root, abs).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return { kind: 'outside', target: abs };
    const isFile = (p) => fs.statSync(path.join(root, p), { throwIfNoEntry: false })?.isFile() ?? false;
    const ext = path.posix.extname(rel);
    const base = rel.slice(0, rel.length - ext.length);
    const candidates = [
      ...(CODE_EXT[ext] ?? []).map((e) => base + e),
      rel,
      ...(ext === '' ? ['.ts', '.tsx'].map((e) => rel + e) : []),
      ...INDEXES.map((f) => `${rel}/${f}`),
    ];
    return { kind: 'file', target: candidates.find(isFile) ?? candidates[0] };
  }
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (BUILTINS.has(name) || BUILTINS.has(spec)) return { kind: 'package', name: 'node:*', target: `node:${spec}` };
  return { kind: 'package', name, target: `package ${name}` };
}

const list = (globs) => globs.join(', ');

function zoneRule(zone, captures) {
  const from = fill(zone.from, captures);
  if (zone.allow.length === 1 && zone.allow[0] === '**') return `${from} may import anything of ours except ${list(zone.except)} (${zone.reason})`;
  return `${from} may import only ${list(zone.allow.map((g) => fill(g, captures)))} (${zone.reason})`;
}

function packageRule(fence) {
  const what = fence.name === 'node:*' ? 'Node built-ins' : fence.name;
  if (fence.onlyIn) return `${what} may be imported only in ${list(fence.onlyIn)} (${fence.reason})`;
  return `${what} must not be imported in ${list(fence.notIn)}${fence.unless ? ` outside ${list(fence.unless)}` : ''} (${fence.reason})`;
}

/** The rule an import breaks, or undefined when it is allowed. */
function verdict(file, zone, captures, resolved) {
  if (resolved.kind === 'outside') return 'imports must stay inside the repository';
  if (resolved.kind === 'file') {
    const ok = zone.allow.some((g) => matchGlob(fill(g, captures), resolved.target)) && !matchAny(zone.except, resolved.target);
    return ok ? undefined : zoneRule(zone, captures);
  }
  for (const fence of RULES.packages) {
    if (fence.name !== resolved.name) continue;
    if (fence.onlyIn && !matchAny(fence.onlyIn, file)) return packageRule(fence);
    if (fence.notIn && matchAny(fence.notIn, file) && !matchAny(fence.unless, file)) return packageRule(fence);
  }
  if (zone.packages && resolved.name !== 'node:*' && !zone.packages.includes(resolved.name)) {
    return `${fill(zone.from, captures)} may import only the npm packages ${zone.packages.join(', ')} (${zone.reason})`;
  }
  return undefined;
}

function listFiles(root) {
  const files = [];
  const walk = (rel) => {
    const dir = path.join(root, rel);
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!RULES.skipDirs.includes(entry.name)) walk(child);
      } else if (entry.isFile() && RULES.extensions.includes(path.extname(entry.name))) files.push(child);
    }
  };
  for (const r of RULES.roots) walk(r);
  return files.sort();
}

export function check(root) {
  const files = listFiles(root);
  const violations = [];
  const usedExceptions = new Set();
  let imports = 0;
  for (const file of files) {
    const zone = RULES.zones.find((z) => matchGlob(z.from, file));
    if (!zone) {
      violations.push(`${file}: no zone of scripts/check-imports.mjs covers this file; add one`);
      continue;
    }
    const captures = matchGlob(zone.from, file).groups ?? {};
    for (const { spec, line } of extractImports(fs.readFileSync(path.join(root, file), 'utf8'))) {
      imports++;
      const resolved = resolve(root, file, spec);
      const rule = verdict(file, zone, captures, resolved);
      if (!rule) continue;
      const exception = RULES.exceptions.find((e) => e.file === file && matchGlob(e.target, resolved.kind === 'package' && resolved.name !== 'node:*' ? resolved.name : resolved.target));
      if (exception) {
        usedExceptions.add(exception);
        continue;
      }
      violations.push(`${file}:${line}: imports "${spec}" (resolved → ${resolved.target}): ${rule}`);
    }
  }
  // A tree without the exception's file (the small trees the tests build) says nothing about it; in the repository
  // itself (it holds this script), a missing file makes its exception stale too.
  const isRepository = fs.existsSync(path.join(root, 'scripts/check-imports.mjs'));
  for (const e of RULES.exceptions) {
    if (!isRepository && !fs.existsSync(path.join(root, e.file))) continue;
    if (!usedExceptions.has(e)) violations.push(`scripts/check-imports.mjs: the exception for ${e.file} → ${e.target} no longer matches any import; remove it`);
  }
  return { files: files.length, imports, violations };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const { files, imports, violations } = check(root);
  if (violations.length) {
    for (const v of violations) console.log(v);
    console.log(`import directions: ${violations.length} violation${violations.length === 1 ? '' : 's'} (${files} files, ${imports} imports checked); the rules are in scripts/check-imports.mjs`);
    process.exit(1);
  }
  console.log(`import directions ok: ${files} files, ${imports} imports checked`);
}
