import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test as base } from '@playwright/test';
import { newCase } from '../../helpers/evidence.js';
import { expect, repoRoot, startQuell, type QuellServer } from '../../helpers/quell.js';

// The server reads its playbook library from the fixture folder (e2e-triage.yaml), and journals as a named analyst.
const ANALYST = 'e2e-analyst';
const test = base.extend<{ quell: QuellServer }>({
  quell: async ({}, use) => {
    const server = await startQuell([], { QUELL_PLAYBOOKS_DIR: path.join(repoRoot, 'e2e/fixtures/playbooks'), QUELL_ANALYST: ANALYST });
    await use(server);
    await server.stop();
  },
});

test.use({ viewport: { width: 1600, height: 1200 } });

/** Collects the page's CSP violations: Cytoscape must draw without an inline style being refused. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) seen.push(m.text());
  });
  return seen;
}

async function openPlaybooks(page: Page, quell: QuellServer, caseId: string): Promise<void> {
  await page.goto(`${quell.url}#/cases/${caseId}`);
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Playbooks' }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}/playbooks$`));
  const item = page.getByRole('list', { name: 'Playbooks' }).getByRole('button', { name: /E2E triage drill/ });
  await expect(item).toContainText('auto-with-approvals');
  await expect(item).toContainText('8 steps');
  await expect(item).toContainText('e2e-triage v1 · library · Look up a host, note it on the case, ask for approval, then let an analyst decide.');
  await item.click();
}

/** Fills the start form and starts; answers the runner. */
async function startRun(page: Page, options: { mode: 'auto' | 'step'; breakpoints: string[] }): Promise<Locator> {
  const form = page.getByRole('form', { name: 'Run playbook' });
  await form.getByLabel('Mode').selectOption(options.mode);
  await expect(form.getByLabel('Dry run')).toBeChecked();
  await form.getByLabel('host', { exact: true }).fill('WS-7');
  for (const b of options.breakpoints) await form.getByLabel(`Breakpoint on ${b}`).check();
  await expect(page.getByTestId('playbook-graph')).toHaveAttribute('data-breakpoints', options.breakpoints.join(' '));
  await form.getByRole('button', { name: 'Start' }).click();
  await expect(page).toHaveURL(/\/playbooks\?run=run_[A-Za-z0-9_-]+$/);
  return page.getByRole('region', { name: /^Run run_/ });
}

const records = (page: Page) => page.getByRole('list', { name: 'Step records' }).getByRole('listitem');

test('a responder steps through a dry run: override, breakpoint, variables, approval, manual form, outcome and journal', async ({ page, quell }) => {
  test.setTimeout(60_000);
  const violations = cspViolations(page);
  const caseId = await newCase(quell, 'Playbook drill');
  await openPlaybooks(page, quell, caseId);
  const runner = await startRun(page, { mode: 'step', breakpoints: ['note'] });

  // Step mode stops before the first step, which the graph rings.
  const wait = page.getByTestId('run-wait');
  const graph = page.getByTestId('playbook-graph');
  await expect(wait).toHaveText('Paused before init');
  await expect(runner).toHaveAttribute('data-status', 'paused');
  await expect(graph).toHaveAttribute('data-current', 'init');
  await expect(graph).toHaveAttribute('data-breakpoints', 'note');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  await runner.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(wait).toHaveText('Paused before lookup');
  await expect(records(page)).toHaveText(['init done']);

  // Override the asset lookup: bad JSON is refused here with the reason, good JSON becomes the step's output.
  await runner.getByRole('button', { name: 'Override output…' }).click();
  const overrideBox = runner.getByLabel('Override output');
  await overrideBox.fill('{"owner": ');
  await runner.getByRole('button', { name: 'Use this output' }).click();
  await expect(runner.getByRole('alert')).toHaveText(/^The override output is not valid JSON: /);
  await overrideBox.fill('{"owner": "net-team"}');
  await runner.getByRole('button', { name: 'Use this output' }).click();
  await expect(wait).toHaveText('Paused before check');
  await expect(records(page)).toHaveText(['init done', 'lookup overridden']);

  // Continue runs on (into the `if`) up to the breakpoint.
  await runner.getByRole('button', { name: 'Continue' }).click();
  await expect(wait).toHaveText('Paused at the breakpoint on note');
  await expect(graph).toHaveAttribute('data-current', 'note');

  // Variables are JSON, editable while paused.
  const vars = page.getByRole('table', { name: 'Variables' });
  await expect(vars.getByLabel('owner')).toHaveValue('"net-team"');
  await expect(vars.getByLabel('host')).toHaveValue('"WS-7"');
  await vars.getByLabel('host').fill('"WS-99"');
  await page.getByRole('button', { name: 'Save variables' }).click();
  await expect(vars.getByLabel('host')).toHaveValue('"WS-99"');

  await runner.getByRole('button', { name: 'Continue' }).click();
  const approval = page.getByRole('region', { name: 'Approval' });
  await expect(approval.getByTestId('approval-prompt')).toHaveText('Contain WS-99 for net-team?');
  await expect(wait).toHaveText(/^Waiting for an approval of approve \(until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)$/);
  await expect(runner).toHaveAttribute('data-status', 'waiting');
  await expect(runner.getByRole('button', { name: 'Step', exact: true })).toBeDisabled();
  await expect(records(page)).toHaveText(['init done', 'lookup overridden', 'note simulated', 'check done']);
  await page.screenshot({ path: 'test-results/screenshots/playbook-approval.png', fullPage: true });
  await approval.getByLabel('Approval comment').fill('Contain it');
  await approval.getByRole('button', { name: 'Approve' }).click();

  // The manual step's form: the core refuses a missing required field and names it.
  const form = page.getByRole('form', { name: 'Manual step' });
  await expect(form.getByTestId('manual-title')).toHaveText('Triage WS-99');
  await expect(form).toContainText('Step triage · assigned to tier2 · no deadline');
  await form.getByLabel('Hosts affected').fill('2');
  await form.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByTestId('runner-error')).toContainText('The form was not accepted: Verdict is required.');
  await expect(page.getByTestId('runner-error')).toHaveAttribute('data-code', 'invalid_input');
  await expect(form.getByTestId('field-error-verdict')).toHaveText('Verdict is required');
  await form.getByLabel('Verdict').selectOption('malicious');
  await form.getByRole('button', { name: 'Submit' }).click();

  await expect(page.getByTestId('run-outcome')).toHaveText('Completed with outcome malicious.');
  await expect(runner).toHaveAttribute('data-status', 'completed');
  await expect(records(page)).toHaveText(['init done', 'lookup overridden', 'note simulated', 'check done', 'approve done', 'triage done', 'finish done']);
  await expect(page.getByTestId('runner-error')).toHaveCount(0);

  await page.getByRole('button', { name: 'lookup overridden' }).click();
  await expect(page.getByTestId('step-output')).toHaveText(JSON.stringify({ owner: 'net-team' }, null, 2));
  await page.getByRole('button', { name: 'triage done' }).click();
  const detail = page.getByRole('region', { name: 'Step triage' });
  await expect(detail.getByTestId('step-output')).toHaveText(JSON.stringify({ verdict: 'malicious', hosts: 2, submittedBy: ANALYST }, null, 2));
  await expect(detail.getByRole('row', { name: 'attempt 1' })).toBeVisible();
  await expect(detail.getByRole('row', { name: 'simulated no' })).toBeVisible();
  await page.getByRole('button', { name: 'finish done' }).click();
  await expect(page.getByTestId('step-output')).toHaveText(JSON.stringify({ outcome: 'malicious', reason: '2 hosts' }, null, 2));
  await page.getByRole('button', { name: 'note simulated' }).click();
  await expect(page.getByRole('region', { name: 'Step note' }).getByRole('row', { name: /^simulated yes/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Runs' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Runs' }).getByRole('button')).toContainText('completed');
  await page.screenshot({ path: 'test-results/playbook-runner.png', fullPage: true });

  // The approval is in the case's journal, by the analyst who gave it.
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Overview' }).click();
  const granted = page.getByRole('table', { name: 'Journal' }).locator('tbody tr', { hasText: 'playbook.approval.granted' });
  await expect(granted).toHaveCount(1);
  await expect(granted.locator('td').nth(2)).toHaveText(`analyst:${ANALYST}`);
  expect(violations).toEqual([]);
});

test('replaying a finished run from a step reuses the steps before it', async ({ page, quell }) => {
  test.setTimeout(60_000);
  const caseId = await newCase(quell, 'Playbook replay');
  await openPlaybooks(page, quell, caseId);
  const runner = await startRun(page, { mode: 'auto', breakpoints: [] });

  // Auto runs on until a person is needed: the approval, then the form.
  await runner.getByRole('region', { name: 'Approval' }).getByRole('button', { name: 'Approve' }).click();
  const form = page.getByRole('form', { name: 'Manual step' });
  await form.getByLabel('Verdict').selectOption('benign');
  await form.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByTestId('run-outcome')).toHaveText('Completed with outcome benign.');
  const first = new URL(page.url()).hash.replace(/^.*\?run=/, '');
  await expect(records(page)).toHaveText(['init done', 'lookup done', 'note simulated', 'check done', 'approve done', 'triage done', 'finish done']);

  await page.getByRole('button', { name: 'approve done' }).click();
  await page.getByRole('button', { name: 'Replay from this step' }).click();
  await expect(page).not.toHaveURL(new RegExp(`run=${first}$`));
  await expect(page.getByTestId('replay-of')).toHaveText(`Replay of ${first} from approve: 4 steps reused.`);
  // The reused records come first; the replay waits again at the approval it restarted from.
  await expect(page.getByTestId('run-wait')).toHaveText(/^Waiting for an approval of approve \(until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)$/);
  await expect(records(page)).toHaveText(['init done', 'lookup done', 'note simulated', 'check done']);
  await expect(page.getByRole('list', { name: 'Runs' }).getByRole('listitem')).toHaveCount(2);
  await page.screenshot({ path: 'test-results/screenshots/playbook-replay.png', fullPage: true });
});

test('importing a playbook: a broken file is refused with its issues, a good one joins the library and is picked', async ({ page, quell }) => {
  const caseId = await newCase(quell, 'Playbook import');
  await page.goto(`${quell.url}#/cases/${caseId}/playbooks`);
  const file = page.getByLabel('Playbook file');
  await file.setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('id: Broken\nname: Broken\nsteps: []\n') });
  const refused = page.getByTestId('import-error');
  await expect(refused).toHaveAttribute('data-code', 'invalid_input');
  await expect(refused.locator('strong')).toHaveText('broken.yaml: id: line 1: use 1–64 lower-case letters, digits, "-" or "_", starting with a letter (and 1 more)');
  await expect(refused.getByRole('listitem')).toHaveText([
    'id: line 1: use 1–64 lower-case letters, digits, "-" or "_", starting with a letter',
    'steps: line 3: Too small: expected array to have >=1 items',
  ]);
  await expect(page.getByRole('list', { name: 'Playbooks' }).getByRole('listitem')).toHaveCount(1);

  const good = 'id: quick-note\nname: Quick note\nsteps:\n  - id: say\n    type: action\n    action: case.note\n    with:\n      text: hello\n';
  await file.setInputFiles({ name: 'quick-note.yaml', mimeType: 'text/yaml', buffer: Buffer.from(good) });
  await expect(page.getByTestId('import-result')).toHaveText('Imported quick-note version 1.');
  await expect(refused).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Playbooks' }).getByRole('button', { name: /Quick note/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('form', { name: 'Run playbook' }).getByLabel('Breakpoint on say')).toBeVisible();
});
