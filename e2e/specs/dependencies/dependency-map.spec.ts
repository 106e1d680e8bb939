import type { Page } from '@playwright/test';
import { fixture } from '../../helpers/evidence.js';
import { expect, test } from '../../helpers/quell.js';

// The Vizceral sample (494 nodes, 454 edges) with the synthetic inventory, as cli/assets.test.ts imports them: there,
// `quell assets blast-radius us-east-1/salvability` gives 7 dependents over 3 hops, owners payments-team (accounts,
// commerce) and storage-team (viraemic). The map must show the same. Of its nodes, 4 are regions (drawn as boxes,
// never dimmed) and 490 services and instances.
test.use({ viewport: { width: 1600, height: 1100 } });

function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test('the dependency map finds a service and shows its blast radius and the owners to inform', async ({ page, quell }) => {
  for (const args of [
    ['deps', 'import', fixture('dependency/vizceral-sample_data.json')],
    ['assets', 'import', fixture('inventory/quell-demo-assets.synthetic.csv')],
  ]) {
    const r = await quell.cli(args);
    expect(r.code, r.stderr).toBe(0);
  }
  const csp = cspViolations(page);

  await page.goto(`${quell.url}#/cases`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Dependencies' }).click();
  await expect(page).toHaveURL(/#\/dependencies$/);
  const map = page.getByTestId('dependency-map');
  await expect(map).toHaveAttribute('data-nodes', '494');
  await expect(map).toHaveAttribute('data-edges', '454');
  const canvas = map.getByRole('img', { name: 'Dependency map' });
  // Laid out by the worker the first time (a worker refused by the CSP would leave this at "running" or "failed").
  await expect(canvas).toHaveAttribute('data-layout', 'done', { timeout: 20_000 });
  await expect(canvas).toHaveAttribute('data-layout-from', 'worker');
  await expect(canvas).toHaveAttribute('data-count-blast-target', '0');

  const search = page.getByRole('searchbox', { name: 'Find a service' });
  await search.fill('salvability');
  const found = page.getByRole('list', { name: 'Services found' }).getByRole('button');
  await expect(found).toHaveText(['eu-west-1/salvability', 'us-east-1/salvability', 'us-west-2/salvability']);
  await found.filter({ hasText: 'us-east-1/salvability' }).click();

  const panel = page.getByRole('region', { name: 'Blast radius' });
  await expect(panel).toHaveAttribute('data-target', 'us-east-1/salvability');
  await expect(panel.getByTestId('blast-summary')).toHaveText('7 dependents, 3 hops deep');
  await expect(panel.getByRole('list', { name: 'Owners to inform' }).getByRole('listitem')).toHaveText([
    'payments-team: us-east-1/accounts, us-east-1/commerce',
    'storage-team: us-east-1/viraemic',
  ]);
  await expect(panel.getByLabel('Owner unknown')).toHaveText(
    'us-east-1/salvability, us-east-1/priviest, us-east-1/alignment, us-east-1/karroos, us-east-1/microparasites',
  );
  await expect(panel.getByRole('list', { name: 'Dependents' }).getByRole('button')).toHaveText([
    'us-east-1/accounts',
    'us-east-1/priviest',
    'us-east-1/commerce',
    'us-east-1/viraemic',
    'us-east-1/alignment',
    'us-east-1/karroos',
    'us-east-1/microparasites',
  ]);

  // The highlight as Cytoscape holds it: one target, seven dependents, every other non-region node dimmed.
  await expect(map).toHaveAttribute('data-selected', 'us-east-1/salvability');
  await expect(map).toHaveAttribute('data-highlighted', '8');
  await expect(canvas).toHaveAttribute('data-count-blast-target', '1');
  await expect(canvas).toHaveAttribute('data-count-blast-dependent', '7');
  await expect(canvas).toHaveAttribute('data-count-blast-dimmed', String(490 - 8));
  await page.screenshot({ path: 'test-results/dependency-map.png' });

  // The same graph opens again from the position cache, without the worker.
  await page.reload();
  await expect(canvas).toHaveAttribute('data-layout', 'done');
  await expect(canvas).toHaveAttribute('data-layout-from', 'cache');
  expect(csp).toEqual([]);
});

test('with no dependency file imported, the map says how to import one', async ({ page, quell }) => {
  await page.goto(`${quell.url}#/dependencies`);
  await expect(page.getByRole('heading', { name: 'Dependencies' })).toBeVisible();
  await expect(page.locator('.deps-empty pre')).toHaveText('quell deps import FILE');
  await expect(page.getByTestId('dependency-map')).toHaveCount(0);
});
