import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { fixture, importThroughDialog } from '../../helpers/evidence.js';
import { expect, repoRoot, test, type QuellServer } from '../../helpers/quell.js';

// The responder's journey, end to end in one browser against one `quell serve` with an empty data folder: evidence
// in, the incident found, the graph and ATT&CK read, the LSASS playbook stepped through as a dry run with its
// approvals, the journal checked and the report exported. Every number is what the core tests give for the same
// data (core/ingest/incidents.test.ts, e2e/specs/graph, e2e/specs/detections, cli/playbooks-library-lsass.test.ts).
test.use({ viewport: { width: 1700, height: 1200 } });

// The OTRF LSASS campaign: Sysmon/Security of PRD01 and the Zeek logs of the same hour.
const WINDOWS = fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson');
const ZEEK_DIR = fixture('zeek/lsass-campaign-03');
const ZEEK = fs.readdirSync(ZEEK_DIR).filter((f) => f.endsWith('.log')).sort().map((f) => `${ZEEK_DIR}/${f}`);

const PRD01 = 'host:prd01.pandalab.com';
const PUPY = 'user:pandalab\\pupy.godoy';
const C2 = 'ip:10.0.5.13';
const RUNDLL32 = 'process:{57be2c82-9583-64df-4509-000000000600}';
const LSASS = 'process:{57be2c82-4fa2-64de-0c00-000000000600}';
const DUMP_EDGE = `accessed:${RUNDLL32}->${LSASS}`;

// What the dry run is given: a Falcon-shaped device id (nothing is called, so any 32 hex digits) and the account
// whose credentials were in LSASS, as the playbook library test uses.
const DEVICE_ID = '57be2c8295834f8e9a1b2c3d4e5f6071';
const USER = 'pedro.gustavo@pandalab.com';
// PRD01 in fixtures/dependency/quell-playbooks-deps.synthetic.yaml with the owners of
// fixtures/inventory/quell-demo-assets.synthetic.csv: `quell assets blast-radius PRD01.pandalab.com`.
const BLAST = 'Blast radius: 3 dependents affected · services accounts, payroll-batch, finance-reports · inform finance-it, payments-team';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/journey-${name}.png`, fullPage: true });
const tab = (page: Page, name: string) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name, exact: true }).click();

async function cliOk(quell: QuellServer, args: string[]): Promise<string> {
  const r = await quell.cli(args);
  expect(r.code, `quell ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Creates a case from the case list, as a responder does, and answers its id. */
async function newCaseInUi(page: Page, quell: QuellServer, name: string): Promise<string> {
  await page.goto(quell.url);
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
  await page.getByLabel('Case name').fill(name);
  await page.getByRole('button', { name: 'New case' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  return new URL(page.url()).hash.replace('#/cases/', '');
}

/**
 * Drives a started run to its end from the runner's buttons: each approval is read (prompt and blast radius, handed
 * to `onApproval`) and approved; otherwise Continue. Answers the prompts in the order they came.
 */
async function runToEnd(page: Page, runner: Locator, onApproval: (approval: Locator, index: number) => Promise<void>): Promise<string[]> {
  const prompts: string[] = [];
  const approval = page.getByRole('region', { name: 'Approval' });
  const cont = runner.getByRole('button', { name: 'Continue' });
  for (let guard = 0; guard < 20; guard++) {
    const status = await runner.getAttribute('data-status');
    if (status === 'completed' || status === 'failed' || status === 'cancelled') return prompts;
    if (await approval.isVisible()) {
      const prompt = await approval.getByTestId('approval-prompt').innerText();
      await onApproval(approval, prompts.length);
      prompts.push(prompt);
      await approval.getByLabel('Approval comment').fill(`Dry run: approve ${prompts.length}`);
      await approval.getByRole('button', { name: 'Approve' }).click();
      await expect(approval.getByTestId('approval-prompt').filter({ hasText: prompt })).toHaveCount(0);
    } else if (await cont.isEnabled()) {
      await cont.click();
      await expect(runner).not.toHaveAttribute('data-status', 'running', { timeout: 10_000 });
    } else {
      await page.waitForTimeout(200);
    }
  }
  throw new Error(`the run did not finish; prompts so far: ${prompts.join(' | ')}`);
}

test('files journey: import the LSASS campaign, find the incident, read graph and ATT&CK, step the LSASS playbook through a dry run, verify and export', async ({ page, quell }) => {
  test.setTimeout(180_000);

  // An empty data folder: no case yet.
  await page.goto(quell.url);
  await expect(page.getByText('No cases yet.')).toBeVisible();
  const caseId = await newCaseInUi(page, quell, 'LSASS dump on PRD01');
  // The app has no screen to import a dependency map or an inventory: the CLI does it, on the same database.
  await cliOk(quell, ['deps', 'import', fixture('dependency/quell-playbooks-deps.synthetic.yaml')]);
  await cliOk(quell, ['assets', 'import', fixture('inventory/quell-demo-assets.synthetic.csv')]);

  // Import the campaign's files through the dialog: 1394 NXLog lines (4 duplicates) and 305 Zeek lines.
  const dialog = await importThroughDialog(page, [WINDOWS, ...ZEEK]);
  await expect(dialog.getByRole('table', { name: 'Import summary' })).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByTestId('import-totals')).toContainText('Totals: 1,699 read, 1,695 stored, 4 duplicates, 0 quarantined, 0 skipped');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();

  // Telemetry alone raises no alert: the shipped Sigma rules, run from the Detections tab, raise seven.
  await tab(page, 'Detections');
  await page.getByRole('button', { name: 'Run Sigma rules' }).click();
  await expect(page.getByTestId('sigma-run-summary')).toHaveText('38 rules over 1,695 records: 7 detections, 7 new, 0 already stored.', { timeout: 60_000 });

  // The alert queue.
  await tab(page, 'Alerts');
  await expect(page.getByTestId('alert-count')).toHaveText('7 alerts');
  const alertRows = page.getByRole('table', { name: 'Alerts' }).locator('[data-event-id]');
  await expect(alertRows.filter({ hasText: 'Process Memory Dump Via Comsvcs.DLL' })).toHaveCount(2);
  await expect(alertRows.filter({ hasText: 'Lsass Memory Dump via Comsvcs DLL' })).toHaveCount(1);
  await expect(alertRows.filter({ hasText: 'Local Accounts Discovery' })).toHaveCount(4);
  // The Sysmon 1 comsvcs MiniDump alert is the one the playbook will be about.
  const alertId = await alertRows.filter({ hasText: 'Process Memory Dump Via Comsvcs.DLL' }).first().getAttribute('data-event-id');
  expect(alertId).toMatch(/^ev_[0-9a-f]{32}$/);
  await shot(page, 'queue');

  // The incident: one, across Sysmon, Zeek and the Sigma alerts.
  await tab(page, 'Incidents');
  await expect(page.getByTestId('incident-count')).toHaveText('1 incident');
  const incident = page.getByRole('list', { name: 'Incidents' }).locator('li.incident');
  await expect(incident).toHaveCount(1);
  await expect(incident.getByRole('heading')).toHaveText('Process Memory Dump Via Comsvcs.DLL');
  await expect(incident).toContainText('1664 records');
  await expect(incident).toContainText('1664 records (7 alerts) from 3 source(s)');
  await expect(incident.getByLabel('Why these belong together')).toContainText('because user pandalab\\pupy.godoy is shared by');
  await shot(page, 'incident');

  // The graph. The incident's user first: a search for its node id starts from it, with the processes it ran.
  await tab(page, 'Graph');
  const graph = page.getByTestId('incident-graph');
  const nodes = page.getByRole('list', { name: 'Nodes in view' });
  const panel = page.getByRole('complementary', { name: 'Selection' });
  const pick = (nodeId: string) => nodes.locator(`li[data-node-id="${nodeId}"] button`).click();
  const userNode = nodes.locator(`li[data-node-id="${PUPY.replace(/\\/g, '\\\\')}"]`);
  await page.getByRole('searchbox', { name: 'Graph search' }).fill(PUPY);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(graph).toHaveAttribute('data-selected', PUPY);
  await expect(userNode).toContainText('PANDALAB\\pupy.godoy');
  await expect(panel.getByTestId('graph-selected-type')).toHaveText('user');
  await shot(page, 'graph-user');

  // Then from lsass.exe: rundll32 opened it (Sysmon 10, 0x1410), on PRD01, which talked to the C2 address.
  await page.getByRole('searchbox', { name: 'Graph search' }).fill('lsass');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  // With the Sigma alerts in the case, the search starts from the LSASS alert and what it is about.
  await expect(graph).toHaveAttribute('data-selected', /^alert:ev_[0-9a-f]{32}$/);
  await expect(nodes.locator(`li[data-node-id="${LSASS}"]`)).toContainText('lsass.exe (628)');
  await pick(RUNDLL32);
  await expect(panel.getByTestId('graph-selected-label')).toHaveText('rundll32.exe (7580)');
  await expect(panel.locator(`[data-edge-id="${DUMP_EDGE}"]`)).toHaveText('accessed: rundll32.exe (7580) → lsass.exe (628) (1)');
  await pick(PRD01);
  await panel.getByRole('button', { name: 'Expand', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText(/^\d+ neighbours, \d+ new$/);
  await expect(nodes.locator(`li[data-node-id="${PRD01}"]`)).toContainText('PRD01.pandalab.com');
  await expect(nodes.locator(`li[data-node-id="${C2}"]`)).toContainText('10.0.5.13');
  await expect(nodes.locator(`li[data-node-id="${RUNDLL32}"]`)).toContainText('rundll32.exe (7580)');
  await pick(RUNDLL32);
  await panel.locator(`[data-edge-id="${DUMP_EDGE}"]`).click();
  await expect(graph).toHaveAttribute('data-selected', DUMP_EDGE);
  await expect(panel.getByRole('row', { name: /grantedAccess/ })).toContainText('0x1410');
  await shot(page, 'graph');

  // ATT&CK: credential access, T1003 with its sub-technique LSASS Memory, from the three comsvcs alerts.
  await tab(page, 'ATT&CK');
  await expect(page.getByTestId('attack-tagged')).toHaveText('7 alerts with techniques · ATT&CK 18.1');
  const matrix = page.getByRole('table', { name: 'ATT&CK matrix' });
  const dumping = matrix.locator('[data-tactic="credential-access"] [data-technique="T1003"]');
  await expect(dumping.getByTestId('attack-count')).toHaveText('3');
  await expect(dumping).not.toHaveClass(/shade-0/);
  await expect(dumping.getByRole('button', { name: 'T1003.001 LSASS Memory: 3 alerts' })).toBeVisible();
  await shot(page, 'attack');

  // The LSASS playbook, step by step, as a dry run on the comsvcs alert.
  await tab(page, 'Playbooks');
  await page.getByRole('list', { name: 'Playbooks' }).getByRole('button', { name: /Credential dumping from LSASS/ }).click();
  const form = page.getByRole('form', { name: 'Run playbook' });
  await form.getByLabel('Mode').selectOption('step');
  await expect(form.getByLabel('Dry run')).toBeChecked();
  await form.getByLabel(/^Alert id/).fill(alertId!);
  await form.getByLabel('edr', { exact: true }).fill('crowdstrike');
  await form.getByLabel('deviceId', { exact: true }).fill(DEVICE_ID);
  await form.getByLabel('user', { exact: true }).fill(USER);
  await form.getByRole('button', { name: 'Start' }).click();
  await expect(page).toHaveURL(/\/playbooks\?run=run_[A-Za-z0-9_-]+$/);
  const runId = new URL(page.url()).hash.replace(/^.*\?run=/, '');
  const runner = page.getByRole('region', { name: `Run ${runId}` });
  const wait = page.getByTestId('run-wait');
  await expect(wait).toHaveText('Paused before scope');

  // Step until the containment asks for its approval.
  const approval = page.getByRole('region', { name: 'Approval' });
  const waits: string[] = [];
  for (let i = 0; i < 6 && !(await approval.isVisible()); i++) {
    waits.push(await wait.innerText());
    await runner.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(wait).not.toHaveText(waits.at(-1)!);
  }
  expect(waits).toEqual(['Paused before scope', 'Paused before technique', 'Paused before contain', 'Paused before contain-falcon']);

  const prompts = await runToEnd(page, runner, async (box, index) => {
    const risk = box.getByTestId('risk');
    if (index === 0) {
      // The isolation: high impact on PRD01, whose dependents and owners are shown before anyone approves.
      await expect(risk.getByTestId('blast-radius')).toHaveText(BLAST);
      await expect(risk).toContainText('Risk 92 / threshold 65');
      await expect(risk).toContainText('Target PRD01.pandalab.com');
      await shot(page, 'approval');
    }
  });
  // No CrowdStrike connector is configured here, so the memory dump is rated as high impact (92), where the
  // library test, with the connector's manifest at hand, rates it medium (67).
  const gated = (what: string, why: string) => `Approve ${what} (dry run: simulated)? ${why}; above the threshold 65: waits for approval`;
  const onPrd01 = 'risk 92 = impact high (70) + 3 dependents of PRD01.pandalab.com (12) + confidence unknown (10)';
  expect(prompts).toEqual([
    gated('Network-contain the host (CrowdStrike) on PRD01.pandalab.com', onPrd01),
    gated('Dump LSASS memory (CrowdStrike RTR memdump) on PRD01.pandalab.com', onPrd01),
    gated('Block the exposed account from signing in (Entra ID)', 'risk 80 = impact high (70) + no target named (0) + confidence unknown (10)'),
  ]);
  await expect(runner).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('run-outcome')).toHaveText('Completed with outcome contained.');

  // Every action that would change something outside Quell, or the case, is simulated; lookups ran for real.
  const steps = page.getByRole('list', { name: 'Step records' }).getByRole('listitem');
  await expect(steps).toHaveText([
    'scope done',
    'technique done',
    'contain-falcon simulated',
    'dump-falcon simulated',
    'contain done',
    'disable simulated',
    'reset-task simulated',
    'record simulated',
    'notify/owner done',
    'notify/dependents done',
    'notify/send simulated',
    'notify done',
    'contained done',
  ]);
  const shown = await cliOk(quell, ['--json', 'run', 'show', runId]);
  const run = JSON.parse(shown) as { dryRun: boolean };
  expect(run.dryRun).toBe(true);

  // The journal on the Overview: the run, each step, and the three approvals.
  await tab(page, 'Overview');
  const actions = page.getByRole('table', { name: 'Journal' }).locator('td.action');
  await expect(actions.filter({ hasText: /^playbook\.run\.started$/ })).toHaveCount(1);
  await expect(actions.filter({ hasText: /^playbook\.step$/ })).toHaveCount(13);
  await expect(actions.filter({ hasText: /^playbook\.approval\.granted$/ })).toHaveCount(3);
  await shot(page, 'journal');

  const verify = await quell.cli(['audit', 'verify', '--case', caseId]);
  expect(verify.code, verify.stderr).toBe(0);
  expect(verify.stdout).toMatch(new RegExp(`^journal of case ${caseId} intact: \\d+ entries in 1 chain checked, head at entry \\d+\\n$`));

  // The report: the run as a dry run, its simulated steps marked.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report (Markdown)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('quell-report-lsass-dump-on-prd01.md');
  const report = fs.readFileSync(await file.path(), 'utf8');
  expect(report.startsWith('# Case report: LSASS dump on PRD01\n')).toBe(true);
  expect(report).toContain('dry run: completed');
  for (const key of ['contain-falcon', 'dump-falcon', 'disable', 'reset-task', 'record', 'notify/send']) expect(report).toMatch(new RegExp(`\\| ${key.replace('/', '\\/')} \\| simulated \\| yes \\|`));
  await expect(page.getByRole('status').filter({ hasText: 'Exported quell-report-lsass-dump-on-prd01.md' })).toContainText('journal verified');
  await shot(page, 'report');
});

interface CountingEmulator {
  settings: Record<string, unknown>;
  /** Stops it and answers the line it prints on the way out: "Served N alerts, received M actions." */
  stop(): Promise<string>;
}

/**
 * `quell emulate VENDOR` as helpers/emulator.ts starts it, but in text mode: only then does the emulator say, when
 * stopped, how many response actions it received, which is what the connector journey must show to be zero.
 */
async function startCountingEmulator(vendor: string, args: string[]): Promise<CountingEmulator> {
  const child = spawn(process.execPath, ['bin/quell.mjs', 'emulate', vendor, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const settings = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`quell emulate ${vendor} did not start in 15 s: ${stderr}`)), 15_000);
    child.stdout.on('data', (d) => {
      out += d;
      const block = /credentials\):\n(\{[\s\S]*?\n\})\n/.exec(out);
      if (block) {
        clearTimeout(timer);
        resolve(JSON.parse(block[1]!) as Record<string, unknown>);
      }
    });
    child.once('exit', (code) => reject(new Error(`quell emulate ${vendor} exited with ${code}: ${stderr}`)));
  });
  return {
    settings,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      return stderr.trim();
    },
  };
}

test('connector journey: pull alerts from an emulated Elastic into a new case, see them and the incident, graph a host, dry-run a playbook; the emulator receives no action', async ({ page, quell }) => {
  test.setTimeout(180_000);
  const emulator = await startCountingEmulator('elastic', ['--alerts', '20']);
  let stopped: string | undefined;
  try {
    const caseId = await newCaseInUi(page, quell, 'Elastic alerts');

    // The connector, named `elastic` so that the playbook's connector:elastic.* actions would reach it for real.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Connectors' }).click();
    await expect(page).toHaveURL(/#\/connectors$/);
    await page.getByRole('button', { name: 'Add connector' }).click();
    const add = page.getByRole('form', { name: 'Add connector' });
    await add.getByLabel('Vendor').selectOption({ label: 'Elastic Security' });
    await add.getByLabel('Connector name').fill('elastic');
    for (const [key, value] of Object.entries(emulator.settings)) {
      const field = add.locator(`[id="setting-${key}"]`);
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(text);
      else await field.fill(text);
    }
    await add.getByRole('button', { name: 'Add connector' }).click();
    await expect(add).toBeHidden();
    const card = page.getByRole('article', { name: 'Connector elastic' });
    await card.getByRole('button', { name: 'Test connection' }).click();
    await expect(card.getByTestId('test-result')).toHaveText(/^✓ /);
    await card.getByLabel('Case to pull into').selectOption({ label: 'Elastic alerts' });
    await card.getByRole('button', { name: 'Pull now' }).click();
    await expect(card.getByTestId('pull-result')).toHaveText(/^Caught up: 20 alerts read, 20 stored, 0 duplicates, 0 quarantined in 1 pages? \(\d+ requests, 0 retries\)\.$/, { timeout: 30_000 });
    await page.screenshot({ path: 'test-results/journey-connector-pull.png', fullPage: true });

    // The alerts in the queue; the first one's host, as the connector normalised it.
    await page.goto(`${quell.url}#/cases/${caseId}/alerts`);
    await expect(page.getByTestId('alert-count')).toHaveText('20 alerts');
    const first = page.getByRole('table', { name: 'Alerts' }).locator('[data-event-id]').first();
    const alertId = await first.getAttribute('data-event-id');
    expect(alertId).toMatch(/^ev_[0-9a-f]{32}$/);
    await first.click();
    const drawer = page.getByRole('dialog');
    const hostRow = drawer.getByRole('table', { name: 'Normalised fields' }).getByRole('row', { name: /^host\.name / });
    const host = (await hostRow.locator('td').last().innerText()).trim();
    expect(host).toMatch(/^ws-\d{3}\.corp\.example$/);
    await page.screenshot({ path: 'test-results/journey-connector-queue.png', fullPage: true });
    await page.keyboard.press('Escape');

    await tab(page, 'Incidents');
    // The emulator's 20 alerts (seed 1) are the same PowerShell rule at spaced times, grouped per hour by user.
    await expect(page.getByTestId('incident-count')).toHaveText('7 incidents');
    const cards = page.getByRole('list', { name: 'Incidents' }).locator('li.incident');
    await expect(cards.getByRole('heading')).toHaveText(Array(7).fill('Suspicious PowerShell Encoded Command'));
    const members = (await cards.locator('.card-meta').allInnerTexts()).map((t) => Number(/(\d+) records?/.exec(t)![1]));
    expect(members.reduce((a, b) => a + b, 0)).toBe(20);
    await page.screenshot({ path: 'test-results/journey-connector-incidents.png', fullPage: true });

    // The graph from that host.
    await tab(page, 'Graph');
    await page.getByRole('searchbox', { name: 'Graph search' }).fill(host);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hostNode = page.getByRole('list', { name: 'Nodes in view' }).locator(`li[data-node-id="host:${host}"]`);
    await expect(hostNode).toContainText(host);
    await page.screenshot({ path: 'test-results/journey-connector-graph.png', fullPage: true });

    // A library playbook whose isolation goes through connector:elastic, as a dry run on that alert.
    await tab(page, 'Playbooks');
    await page.getByRole('list', { name: 'Playbooks' }).getByRole('button', { name: /Ransomware precursor/ }).click();
    const form = page.getByRole('form', { name: 'Run playbook' });
    await form.getByLabel('Mode').selectOption('auto');
    await expect(form.getByLabel('Dry run')).toBeChecked();
    await form.getByLabel(/^Alert id/).fill(alertId!);
    await form.getByLabel('edr', { exact: true }).fill('elastic');
    await form.getByLabel('deviceId', { exact: true }).fill('emulated-endpoint-1');
    await form.getByLabel('c2', { exact: true }).fill('203.0.113.7');
    await form.getByLabel('agents', { exact: true }).fill('["001"]');
    await form.getByRole('button', { name: 'Start' }).click();
    await expect(page).toHaveURL(/\/playbooks\?run=run_[A-Za-z0-9_-]+$/);
    const runId = new URL(page.url()).hash.replace(/^.*\?run=/, '');
    const runner = page.getByRole('region', { name: `Run ${runId}` });
    const prompts = await runToEnd(page, runner, async (_box, index) => {
      if (index === 0) await page.screenshot({ path: 'test-results/journey-connector-approval.png', fullPage: true });
    });
    // The two high-impact actions are gated (no dependents known, so risk 80 over the threshold 60), then the
    // commander's decision; each prompt is followed by its risk, cut off here.
    expect(prompts.map((p) => p.replace(/\?.*$/s, '?'))).toEqual([
      `Approve Isolate the host (Elastic Defend) on ${host} (dry run: simulated)?`,
      `Approve Drop the C2 address in the host firewall (Wazuh firewall-drop) on ${host} (dry run: simulated)?`,
      `${host} shows ransomware precursors (C2 203.0.113.7); it is isolated and the C2 is blocked. Declare a ransomware incident and start the major-incident procedure?`,
    ]);
    await expect(runner).toHaveAttribute('data-status', 'completed');
    // Every action that changes something is simulated. notify/dependents fails by design and the run goes on:
    // the emulated hosts are in no dependency map (notify-owners.yaml: onFailure continue).
    await expect(page.getByRole('list', { name: 'Step records' }).getByRole('listitem')).toHaveText([
      'scope done',
      'isolate-elastic simulated',
      'isolate done',
      'block-c2 simulated',
      'keep-alert simulated',
      'package skipped',
      'snapshot done',
      'decide done',
      'major-task simulated',
      'declared done',
      'notify/owner done',
      'notify/dependents failed',
      'notify/send simulated',
      'notify done',
      'end done',
    ]);
    await expect(page.getByTestId('run-outcome')).toHaveText('Completed with outcome declared.');
    await page.screenshot({ path: 'test-results/journey-connector-run.png', fullPage: true });

    // Nothing left Quell: no action call in its history, and none reached the emulator.
    expect(JSON.parse(await cliOk(quell, ['--json', 'connector', 'actions']))).toEqual([]);
    const verify = await quell.cli(['audit', 'verify', '--case', caseId]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`^journal of case ${caseId} intact: \\d+ entries in 1 chain checked, head at entry \\d+\\n$`));
    stopped = await emulator.stop();
    expect(stopped).toBe('Served 20 alerts, received 0 actions.');
  } finally {
    if (stopped === undefined) await emulator.stop();
  }
});
