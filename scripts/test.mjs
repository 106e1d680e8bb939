// `npm test`: typecheck every layer, check import directions, run the unit/integration tests (node:test on the real
// core and real SQLite files), build, then run the Playwright e2e tests in Chromium against `quell serve`.
// Flags: --unit (unit tests only), --e2e (build + e2e only), or file paths to run just those unit test files.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const unitOnly = args.includes('--unit') || only.length > 0;
const e2eOnly = args.includes('--e2e');

function run(cmd, cmdArgs, { capture = false, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function findTests(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'e2e', 'test-results', '.git'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(full, found);
    else if (entry.name.endsWith('.test.ts')) found.push(path.relative(root, full));
  }
  return found.sort();
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

async function step(name, fn) {
  console.log(`\n== ${name}`);
  const ok = await fn();
  if (!ok) failedSteps.push(name);
}

if (!e2eOnly && !unitOnly) {
  await step('typecheck', async () => (await run(process.execPath, ['scripts/typecheck.mjs'])).code === 0);
  await step('import directions', async () => (await run(process.execPath, ['scripts/check-imports.mjs'])).code === 0);
}

if (!e2eOnly) {
  await step('unit and integration tests', async () => {
    const files = only.length ? only : findTests(root);
    const { code, out } = await run(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
      { capture: true },
    );
    const count = (label) => Number(out.match(new RegExp(`ℹ ${label} (\\d+)`))?.[1] ?? 0);
    totals.passed += count('pass');
    totals.failed += count('fail') + count('cancelled');
    totals.skipped += count('skipped') + count('todo');
    return code === 0;
  });
}

if (!unitOnly) {
  await step('build', async () => (await run(process.execPath, ['scripts/build.mjs'])).code === 0);
  await step('e2e tests (Playwright, Chromium)', async () => {
    const report = path.join(root, 'test-results', 'e2e-report.json');
    fs.rmSync(report, { force: true });
    const { code } = await run(process.execPath, [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test'], {
      env: { PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    });
    if (fs.existsSync(report)) {
      const { stats } = JSON.parse(fs.readFileSync(report, 'utf8'));
      totals.passed += stats.expected + stats.flaky;
      totals.failed += stats.unexpected;
      totals.skipped += stats.skipped;
      console.log(`e2e: ${stats.expected + stats.flaky} passed, ${stats.unexpected} failed, ${stats.skipped} skipped`);
    } else if (code !== 0) totals.failed += 1;
    return code === 0;
  });
}

if (failedSteps.length) console.log(`\nFailed: ${failedSteps.join(', ')}`);
console.log(`\ntotal: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
