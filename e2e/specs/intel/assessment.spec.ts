import { fixture, newCase } from '../../helpers/evidence.js';
import { expect, test } from '../../helpers/quell.js';

test.use({ viewport: { width: 1600, height: 1000 } });

const TITLE = 'Network connection: winx64_payload.exe 192.168.1.42:60352 -> 10.0.5.13:5678';

// The LSASS campaign with the four feeds written for Quell: three of them name the C2 10.0.5.13, so the Sysmon 3
// connection to it routes automatically; nine Zeek and six Sysmon connections from 192.168.1.42 qualify it. The drawer
// shows both verdicts, and refreshes when a rating is journaled while it is open.
test('the drawer shows the confidence rating with its feeds and thresholds, and the validation with its connections', async ({ page, quell }) => {
  test.setTimeout(60_000);
  const caseId = await newCase(quell, 'LSASS campaign');
  const cli = async (...argv: string[]) => {
    const r = await quell.cli(argv);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  await cli('import', '--case', caseId, fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson'), fixture('zeek/lsass-campaign-03/conn.log'));
  for (const [file, name, reliability] of [
    ['intel/stix-c2-bundle.json', 'cti-stix', 'B'],
    ['intel/misp-event.json', 'misp', 'C'],
    ['intel/blocklist.csv', 'blocklist', 'A'],
    ['intel/watchlist.csv', 'watchlist', 'D'],
  ] as const) {
    await cli('intel', 'import', fixture(file), '--name', name, '--reliability', reliability);
  }

  await page.goto(`${quell.url}#/cases/${caseId}/timeline`);
  await page.getByRole('searchbox', { name: 'Search' }).fill('winx64_payload.exe 60352');
  const row = page.getByRole('table', { name: 'Timeline' }).locator('[data-event-id]', { hasText: TITLE });
  await expect(row).toHaveCount(1);
  const eventId = await row.getAttribute('data-event-id');
  await row.click();
  const drawer = page.getByRole('dialog', { name: TITLE });
  await expect(drawer.getByRole('heading', { name: 'Normalised' })).toBeVisible();
  await expect(drawer.getByTestId('assessment')).toHaveCount(0);

  // Rated and validated from the CLI while the drawer is open: the journal entries make it refetch.
  await cli('intel', 'rate', '--case', caseId, '--event', eventId!);
  await expect(drawer.getByTestId('assessment-rating')).toHaveText(
    'respond automatically: confirmed by 3 of 4 feeds (blocklist [A], cti-stix [B], misp [C]). Thresholds: automatic all but 1 (≥ 3), analyst 2 (≥ 2).',
  );
  await cli('alerts', 'validate', '--case', caseId, '--alert', eventId!);
  const validation = drawer.getByTestId('assessment-validation');
  await expect(validation.locator('strong')).toHaveText('Qualified');
  const evidence = validation.getByRole('table', { name: 'Connection evidence' }).locator('tr');
  await expect(evidence).toHaveCount(15);
  await expect(evidence.filter({ hasText: 'zeek-tsv' })).toHaveCount(9);
  await expect(evidence.filter({ hasText: 'windows-nxlog' })).toHaveCount(6);
  await expect(evidence.filter({ hasText: '192.168.1.42' })).toHaveCount(15);
});
