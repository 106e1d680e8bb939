import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { extractImports } from './check-imports.mjs';

const script = fileURLToPath(new URL('./check-imports.mjs', import.meta.url));
const repo = path.resolve(path.dirname(script), '..');
const temps: string[] = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a temporary tree (path → source) and runs the checker on it. */
function check(files: Record<string, string>): { code: number | null; lines: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'quell-imports-'));
  temps.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return run(root);
}

function run(root: string): { code: number | null; lines: string[] } {
  const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  assert.equal(result.stderr, '');
  return { code: result.status, lines: result.stdout.trimEnd().split('\n') };
}

const CORE =
  'core/** may import only core/**, connectors/sdk/** (core is plain TypeScript on Node: never electron/, renderer/, ' +
  'cli/ or a vendor connector; connectors/sdk is the interface only)';
const RENDERER =
  'renderer/** may import only renderer/**, core/api/**, core/model/** (the renderer sees core only through the ' +
  'core/api contract and core/model types)';
const NODE_BUILTINS =
  'Node built-ins must not be imported in core/model/**, core/api/**, renderer/** outside **/*.test.ts, **/*.test.tsx ' +
  '(these run in the browser too; tests run in Node, as core/tsconfig.iso.json excludes them)';
const SQLITE =
  'better-sqlite3 may be imported only in core/store/**, bench/**, core/**/*.test.ts (the database is reached through ' +
  'core/store; core tests open the file directly to simulate tampering, bench/ measures the bare baseline)';

describe('check-imports', () => {
  test('core/store importing electron/ fails with the exact line', () => {
    const { code, lines } = check({
      'core/store/store.ts': "import { x } from './open.js';\nimport { start } from '../../electron/main/start.js';\n",
      'core/store/open.ts': 'export const x = 1;\n',
      'electron/main/start.ts': 'export const start = 1;\n',
    });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      `core/store/store.ts:2: imports "../../electron/main/start.js" (resolved → electron/main/start.ts): ${CORE}`,
      'import directions: 1 violation (3 files, 2 imports checked); the rules are in scripts/check-imports.mjs',
    ]);
  });

  test('core importing renderer/ and cli/ fails, each import on its own line', () => {
    const { code, lines } = check({
      'core/app.ts': [
        '// import { no } from "../electron/main/start.js" -- a comment is not an import',
        "import type { View } from '../renderer/views/App.js';",
        'const later = () => import("../cli/main.js");',
        "const text = `import x from '../cli/main.js'`;",
        '',
      ].join('\n'),
      'renderer/views/App.tsx': 'export type View = 1;\n',
      'cli/main.ts': 'export {};\n',
    });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      `core/app.ts:2: imports "../renderer/views/App.js" (resolved → renderer/views/App.tsx): ${CORE}`,
      `core/app.ts:3: imports "../cli/main.js" (resolved → cli/main.ts): ${CORE}`,
      'import directions: 2 violations (3 files, 2 imports checked); the rules are in scripts/check-imports.mjs',
    ]);
  });

  test('renderer importing core/store fails; core/api, core/model and its own packages are fine', () => {
    const files = {
      'renderer/state/app-store.ts':
        "import { create } from 'zustand';\nimport { commands } from '../../core/api/index.js';\nimport type { Case } from '../../core/model';\n",
      'core/api/index.ts': 'export const commands = {};\n',
      'core/model/index.ts': 'export type Case = {};\n',
      'core/store/index.ts': 'export class Store {}\n',
    };
    assert.deepEqual(check(files), { code: 0, lines: ['import directions ok: 4 files, 3 imports checked'] });

    const { code, lines } = check({ ...files, 'renderer/client/db.ts': "export { Store } from '../../core/store/index.js';\n" });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      `renderer/client/db.ts:1: imports "../../core/store/index.js" (resolved → core/store/index.ts): ${RENDERER}`,
      'import directions: 1 violation (5 files, 4 imports checked); the rules are in scripts/check-imports.mjs',
    ]);
  });

  test('core/model importing node:fs fails; a core/model test may use Node', () => {
    const { code, lines } = check({
      'core/model/ids.ts': "import { readFileSync } from 'node:fs';\nimport { z } from 'zod';\n",
      'core/model/ids.test.ts': "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\n",
    });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      `core/model/ids.ts:1: imports "node:fs" (resolved → node:fs): ${NODE_BUILTINS}`,
      'import directions: 1 violation (2 files, 4 imports checked); the rules are in scripts/check-imports.mjs',
    ]);
  });

  test('better-sqlite3 is refused in core/ingest and allowed in core/store and in core tests', () => {
    const { code, lines } = check({
      'core/ingest/batch.ts': "import Database from 'better-sqlite3';\n",
      'core/store/open.ts': "import Database from 'better-sqlite3';\n",
      'core/ingest/batch.test.ts': "import Database from 'better-sqlite3';\n",
    });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      `core/ingest/batch.ts:1: imports "better-sqlite3" (resolved → package better-sqlite3): ${SQLITE}`,
      'import directions: 1 violation (3 files, 3 imports checked); the rules are in scripts/check-imports.mjs',
    ]);
  });

  test('a vendor connector importing another vendor fails; its own folder, the sdk and core/model are fine', () => {
    const { code, lines } = check({
      'connectors/acme/index.ts':
        "export * from './client.js';\nimport type { Connector } from '../sdk/index.js';\nimport { Alert } from '../../core/model/index.js';\nimport { map } from '../globex/mapping.js';\n",
      'connectors/acme/client.ts': 'export {};\n',
      'connectors/sdk/index.ts': 'export type Connector = {};\n',
      'connectors/globex/mapping.ts': 'export const map = 1;\n',
      'core/model/index.ts': 'export const Alert = 1;\n',
    });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      'connectors/acme/index.ts:4: imports "../globex/mapping.js" (resolved → connectors/globex/mapping.ts): ' +
        'connectors/acme/** may import only connectors/acme/**, connectors/sdk/**, core/model/** ' +
        '(a vendor connector sees only connectors/sdk and core/model, never another vendor)',
      'import directions: 1 violation (5 files, 4 imports checked); the rules are in scripts/check-imports.mjs',
    ]);
  });

  test('finds static, type-only, re-export, dynamic and require specifiers, and nothing in comments or strings', () => {
    const source = [
      '#!/usr/bin/env node',
      "import a, { b as c } from './a.js';",
      "import type {\n  D,\n} from './d.js';",
      "import './side-effect.css';",
      "export * from './e.js';",
      "export * as f from './f.js';",
      "export type { G } from './g.js';",
      'export { h };',
      "const i = await import('./i.js');",
      "const j = require('./j.cjs');",
      "const url = import.meta.url; obj.require('./not.js');",
      "/* import k from './k.js'; */ const s = \"import l from './l.js'\";",
      "const t = `${x}import m from './m.js'${`n`}`;",
      "const re = /import o from '.\\/o.js'/;",
      "const p = <p>Don't import q from './q.js'</p>;",
      "import r from './r.js';",
    ].join('\n');
    assert.deepEqual(extractImports(source), [
      { spec: './a.js', line: 2 },
      { spec: './d.js', line: 5 },
      { spec: './side-effect.css', line: 6 },
      { spec: './e.js', line: 7 },
      { spec: './f.js', line: 8 },
      { spec: './g.js', line: 9 },
      { spec: './i.js', line: 11 },
      { spec: './j.cjs', line: 12 },
      { spec: './r.js', line: 18 },
    ]);
  });

  test('the repository itself follows the rules', () => {
    const { code, lines } = run(repo);
    assert.deepEqual({ code, violations: lines.slice(0, -1) }, { code: 0, violations: [] });
    assert.match(lines.at(-1)!, /^import directions ok: \d+ files, \d+ imports checked$/);
  });
});
