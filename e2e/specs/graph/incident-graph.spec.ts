import fs from 'node:fs';
import { fixture, newCase } from '../../helpers/evidence.js';
import { expect, test } from '../../helpers/quell.js';

test.use({ viewport: { width: 1700, height: 1200 } });

// The OTRF LSASS campaign (Sysmon/Security of PRD01 and Zeek of the same hour), as core/graph/graph.test.ts reads
// it. Every number below is what graph.start / graph.neighbors / graph.case / graph.records answer for that data.
const WINDOWS = fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson');
const ZEEK_DIR = fixture('zeek/lsass-campaign-03');
const ZEEK = fs.readdirSync(ZEEK_DIR).filter((f) => f.endsWith('.log')).sort().map((f) => `${ZEEK_DIR}/${f}`);

const PRD01 = 'host:prd01.pandalab.com';
const RUNDLL32 = 'process:{57be2c82-9583-64df-4509-000000000600}';
const LSASS = 'process:{57be2c82-4fa2-64de-0c00-000000000600}';
const C2_EDGE = `connected_to:${PRD01}->ip:10.0.5.13`;
const DUMP_EDGE = `accessed:${RUNDLL32}->${LSASS}`;

test('the incident graph: search, inspect, expand, filter, records, hide, save and reopen a view, add an entity and a note', async ({ page, quell }) => {
  test.setTimeout(120_000);
  const caseId = await newCase(quell, 'LSASS dump on PRD01');
  const imported = await quell.cli(['import', '--case', caseId, WINDOWS, ...ZEEK]);
  expect(imported.code, imported.stderr).toBe(0);

  await page.goto(`${quell.url}#/cases/${caseId}`);
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Graph' }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}/graph$`));

  const graph = page.getByTestId('incident-graph');
  const list = page.getByRole('list', { name: 'Nodes in view' });
  const panel = page.getByRole('complementary', { name: 'Selection' });
  const pick = (nodeId: string) => list.locator(`li[data-node-id="${nodeId}"] button`).click();

  // Start from a search: lsass.exe is the seed, with what touched it.
  await page.getByRole('searchbox', { name: 'Graph search' }).fill('lsass');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}/graph\\?q=lsass$`));
  await expect(graph).toHaveAttribute('data-nodes', '10');
  await expect(graph).toHaveAttribute('data-edges', '9');
  // A fresh set of nodes is laid out by fcose in the layout worker, off the page's thread.
  await expect(graph.locator('.cy-graph')).toHaveAttribute('data-layout', 'done');
  await expect(graph.locator('.cy-graph')).toHaveAttribute('data-layout-from', 'worker');
  await expect(list.locator('li button')).toHaveText([
    /^Credentials file/,
    /^Credentials file/,
    /^PRD01\.pandalab\.com host/,
    /^192\.168\.1\.4 ip/,
    /^lsass\.exe \(628\) process/,
    /^VBoxService\.exe \(1232\) process/,
    /^winx64_payload\.exe \(7196\) process/,
    /^tasklist\.exe \(6344\) process/,
    /^rundll32\.exe \(7580\) process/,
    /^NT AUTHORITY\\SYSTEM user/,
  ]);
  await expect(graph).toHaveAttribute('data-selected', LSASS);

  // rundll32: three records, and the edge to lsass it opened (Sysmon 10, 0x1410).
  await pick(RUNDLL32);
  await expect(graph).toHaveAttribute('data-selected', RUNDLL32);
  await expect(panel.getByTestId('graph-selected-label')).toHaveText('rundll32.exe (7580)');
  await expect(panel.getByTestId('graph-selected-type')).toHaveText('process');
  await expect(panel.getByTestId('graph-selected-records')).toHaveText('3');
  const dump = panel.locator(`[data-edge-id="${DUMP_EDGE}"]`);
  await expect(dump).toHaveText('accessed: rundll32.exe (7580) → lsass.exe (628) (1)');
  await dump.click();
  await expect(panel.getByTestId('graph-selected-type')).toHaveText('accessed');
  await expect(panel.getByRole('row', { name: /grantedAccess/ })).toContainText('0x1410');
  await panel.getByRole('button', { name: 'Records', exact: true }).click();
  await expect(panel.getByTestId('graph-records-total')).toHaveText('1 records');
  const dumpRecord = panel.getByRole('list', { name: 'Records of the selection' }).getByRole('button');
  await expect(dumpRecord).toContainText('Process accessed: C:\\Windows\\System32\\rundll32.exe -> C:\\Windows\\system32\\lsass.exe (0x1410)');

  // The record opens in the drawer, and "Show in graph" starts the graph from it.
  const dumpEventId = await dumpRecord.getAttribute('data-event-id');
  expect(dumpEventId).toMatch(/^ev_[0-9a-f]{32}$/);
  await dumpRecord.click();
  const drawer = page.getByRole('dialog', { name: /Process accessed/ });
  await expect(drawer).toBeVisible();
  await drawer.getByRole('button', { name: 'Show in graph' }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}/graph\\?event=${dumpEventId}$`));
  await expect(graph).toHaveAttribute('data-nodes', '229');
  await expect(graph).toHaveAttribute('data-edges', '270');

  // Back to the search, then expand PRD01: 226 neighbours, 219 of them new.
  await page.getByRole('searchbox', { name: 'Graph search' }).fill('lsass');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(graph).toHaveAttribute('data-nodes', '10');
  await pick(PRD01);
  await panel.getByRole('button', { name: 'Expand', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('226 neighbours, 219 new');
  await expect(graph).toHaveAttribute('data-nodes', '229');
  await expect(graph).toHaveAttribute('data-edges', '239');

  // Hosts and addresses only: first of what is in view, then of the whole case.
  const types = page.getByRole('group', { name: 'Node types' });
  await types.getByRole('button', { name: 'host' }).click();
  await types.getByRole('button', { name: 'ip', exact: true }).click();
  await expect(graph).toHaveAttribute('data-nodes', '11');
  await expect(graph).toHaveAttribute('data-edges', '15');
  await page.getByRole('button', { name: 'Whole case', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('13 nodes from 1695 records');
  await expect(graph).toHaveAttribute('data-nodes', '13');
  await expect(graph).toHaveAttribute('data-edges', '16');

  // The time range of the C2 connection (its first and last record): the whole case is fetched again for it.
  await page.getByRole('textbox', { name: 'From' }).fill('2023-08-18T15:56:32.090Z');
  await page.getByRole('textbox', { name: 'To' }).fill('2023-08-18T15:59:20.868Z');
  await page.getByRole('button', { name: 'Apply range', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('10 nodes from 626 records');
  await expect(graph).toHaveAttribute('data-nodes', '10');
  await expect(graph).toHaveAttribute('data-edges', '12');
  await page.getByRole('textbox', { name: 'From' }).fill('');
  await page.getByRole('textbox', { name: 'To' }).fill('');
  await page.getByRole('button', { name: 'Apply range', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('13 nodes from 1695 records');
  await expect(graph).toHaveAttribute('data-nodes', '13');

  // The C2 connection: 16 records, 7 seen by Sysmon on PRD01 and 9 by Zeek.
  await pick(PRD01);
  await panel.locator(`[data-edge-id="${C2_EDGE}"]`).click();
  await expect(graph).toHaveAttribute('data-selected', C2_EDGE);
  await expect(panel.getByTestId('graph-selected-records')).toHaveText('16');
  await panel.getByRole('button', { name: 'Records', exact: true }).click();
  await expect(panel.getByTestId('graph-records-total')).toHaveText('16 records');
  const records = panel.getByRole('list', { name: 'Records of the selection' });
  await expect(records.locator('li')).toHaveCount(16);
  await expect(records.locator('li[data-format="windows-nxlog"]')).toHaveCount(7);
  await expect(records.locator('li[data-format="zeek-tsv"]')).toHaveCount(9);

  // Hide a multicast address, save the view.
  await pick('ip:224.0.0.251');
  await panel.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(graph).toHaveAttribute('data-nodes', '12');
  await expect(graph).toHaveAttribute('data-edges', '14');
  await expect(page.getByTestId('graph-hidden-count')).toHaveText('1 hidden');
  await pick(PRD01);
  await panel.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(graph).toHaveAttribute('data-pinned', PRD01);
  await page.getByRole('textbox', { name: 'View name' }).fill('triage');
  await page.getByRole('button', { name: 'Save view', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('View “triage” saved');
  // What the case now holds, read through the same API the page uses.
  const saved = await page.evaluate(async (id) => {
    const r = await fetch('/api/invoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: 'graph.view.get', input: { caseId: id, name: 'triage' } }) });
    return ((await r.json()) as { value: { positions: Record<string, unknown>; filters: unknown; hidden: string[]; pinned: string[] } }).value;
  }, caseId);
  expect(Object.keys(saved.positions).sort()).toEqual(
    [PRD01, ...['10.0.5.13', '192.168.1.255', '192.168.1.4', '192.168.1.42', '224.0.0.252', '239.255.255.250', 'fe80::9b:ae55:9a78:92e4', 'fe80::a00:27ff:fe18:a1ef', 'ff02::1', 'ff02::1:3', 'ff02::fb'].map((ip) => `ip:${ip}`)].sort(),
  );
  expect([saved.filters, saved.hidden, saved.pinned]).toEqual([{ types: ['host', 'ip'] }, ['ip:224.0.0.251'], [PRD01]]);

  // Reopened from the case after a reload: same nodes, the hidden one still hidden, the filters and the pin back.
  await page.reload();
  await expect(page.getByText('Start from a search, a record')).toBeVisible();
  await page.getByRole('combobox', { name: 'Open saved view' }).selectOption('triage');
  await expect(page.getByTestId('graph-status')).toHaveText('View “triage” opened');
  await expect(graph).toHaveAttribute('data-nodes', '12');
  await expect(graph).toHaveAttribute('data-edges', '14');
  await expect(graph).toHaveAttribute('data-pinned', PRD01);
  await expect(page.getByTestId('graph-hidden-count')).toHaveText('1 hidden');
  await expect(list.locator('li[data-node-id="ip:224.0.0.251"]')).toHaveCount(0);
  await expect(types.locator('button[aria-pressed="true"]')).toHaveText(['host', 'ip']);

  // An entity added from the graph appears in it, selected.
  await page.getByRole('combobox', { name: 'Entity type' }).selectOption('ip');
  await page.getByRole('textbox', { name: 'Entity value' }).fill('203.0.113.9');
  await page.getByRole('button', { name: 'Add entity', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('Added 203.0.113.9');
  await expect(graph).toHaveAttribute('data-nodes', '13');
  await expect(graph).toHaveAttribute('data-selected', 'ip:203.0.113.9');
  await expect(list.locator('li[data-node-id="ip:203.0.113.9"]')).toContainText('203.0.113.9');

  await panel.getByRole('textbox', { name: 'Note' }).fill('Not seen in the logs yet: watch for it at the proxy');
  await panel.getByRole('button', { name: 'Add note', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('Note added to the case');
  await fs.promises.mkdir('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/incident-graph.png' });

  // The case's overview: the note names the node, and the journal has each change.
  await page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('list', { name: 'Notes' })).toContainText('Graph ip 203.0.113.9 (ip:203.0.113.9): Not seen in the logs yet: watch for it at the proxy');
  const actions = page.getByRole('table', { name: 'Journal' }).locator('td.action');
  await expect(actions.filter({ hasText: /^graph\.view\.saved$/ })).toHaveCount(1);
  await expect(actions.filter({ hasText: /^entity\.added$/ })).toHaveCount(1);
  await expect(actions.filter({ hasText: /^note\.added$/ })).toHaveCount(1);
});

test('a group of leaves has the records of its members, and gives way to them on "Show members"', async ({ page, quell }) => {
  test.setTimeout(90_000);
  const caseId = await newCase(quell, 'LSASS groups');
  const imported = await quell.cli(['import', '--case', caseId, WINDOWS, ...ZEEK]);
  expect(imported.code, imported.stderr).toBe(0);
  await page.goto(`${quell.url}#/cases/${caseId}/graph`);
  const graph = page.getByTestId('incident-graph');
  const panel = page.getByRole('complementary', { name: 'Selection' });
  await page.getByRole('button', { name: 'Whole case', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('297 nodes from 1695 records');
  await expect(graph).toHaveAttribute('data-nodes', '297');

  // The 38 files only one process (2583) touched are one group node with their 124 records.
  const hub = 'process:{57be2c82-2583-64de-2600-000000000600}';
  const group = `group:${hub}:file`;
  await page.getByRole('list', { name: 'Nodes in view' }).locator(`li[data-node-id="${group}"] button`).click();
  await expect(panel.getByTestId('graph-selected-label')).toHaveText('38 file nodes (38)');
  await panel.getByRole('button', { name: 'Records', exact: true }).click();
  await expect(panel.getByTestId('graph-records-total')).toHaveText('124 records');

  await panel.getByRole('button', { name: 'Show members', exact: true }).click();
  await expect(page.getByTestId('graph-status')).toHaveText('38 file nodes shown instead of their group');
  // 297 - the group + its 38 files.
  await expect(graph).toHaveAttribute('data-nodes', '334');
  await expect(page.getByRole('list', { name: 'Nodes in view' }).locator(`li[data-node-id="${group}"]`)).toHaveCount(0);
});
