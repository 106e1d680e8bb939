import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';

// renderer/graph's loading of a laid-out graph, in Chromium: large graphs get their nodes first and their edges once
// that frame is drawn; a newer load or clearGraph cancels edges still to come; text styles reach only labelled nodes.
const here = path.dirname(fileURLToPath(import.meta.url));
const ORIGIN = 'http://graph-load.test';
let js = '';

test.beforeAll(async () => {
  const bundle = await build({ entryPoints: [path.join(here, '../../pages/graph-load.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  js = bundle.outputFiles[0]!.text;
});

test.beforeEach(async ({ page }) => {
  await page.route(`${ORIGIN}/**`, (route) =>
    route.request().url().endsWith('/page.js')
      ? route.fulfill({ contentType: 'text/javascript', body: js })
      : route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><html><head><meta charset="utf-8"><style>#graph{position:relative;width:800px;height:600px}</style></head><body><div id="graph"></div><script type="module" src="/page.js"></script></body></html>',
        }),
  );
  await page.goto(`${ORIGIN}/`);
  await page.waitForSelector('body[data-ready="yes"]', { state: 'attached' });
});

test('a large graph shows its nodes first and its edges a frame later; labels only at a readable zoom', async ({ page }) => {
  // 700 nodes + 900 edges: the large tier. 200 px apart, a 27 × 27 grid fits 800 × 600 at a zoom of ~0.11.
  const now = await page.evaluate(() => window.graphLoad.load(700, 900, 200));
  expect(now).toEqual({ tier: 'large', nodes: 700, edges: 0, labelled: 0 });
  expect(await page.evaluate(() => window.graphLoad.settled())).toEqual([true]);
  expect(await page.evaluate(() => window.graphLoad.counts())).toEqual({ nodes: 700, edges: 900, labelled: 0 });
  // Unlabelled nodes carry none of the view's text; edges are haystack lines whatever the view says.
  expect(await page.evaluate(() => window.graphLoad.text('n5'))).toEqual({ label: '', fontSize: '16px', curve: 'haystack' });
  await page.evaluate(() => window.graphLoad.addLabelClass('n5'));
  expect(await page.evaluate(() => window.graphLoad.text('n5'))).toEqual({ label: 'host 5', fontSize: '10px', curve: 'haystack' });

  // 20 px apart the same grid is drawn at a zoom where labels can be read: every node comes labelled.
  await page.evaluate(() => window.graphLoad.load(700, 900, 20));
  expect(await page.evaluate(() => window.graphLoad.settled())).toEqual([true, true]);
  expect(await page.evaluate(() => window.graphLoad.counts())).toEqual({ nodes: 700, edges: 900, labelled: 700 });
});

test('a newer load or clearGraph cancels the edges an earlier load still had to add', async ({ page }) => {
  // In one task, so before the first frame: a second graph replaces the first, whose edges must never arrive.
  expect(await page.evaluate(() => (window.graphLoad.load(700, 900, 200), window.graphLoad.reload(600, 800, 200)))).toEqual({ nodes: 600, edges: 0, labelled: 0 });
  expect(await page.evaluate(() => window.graphLoad.settled())).toEqual([false, true]);
  expect(await page.evaluate(() => window.graphLoad.counts())).toEqual({ nodes: 600, edges: 800, labelled: 0 });

  expect(await page.evaluate(() => (window.graphLoad.reload(700, 900, 200), window.graphLoad.clear()))).toEqual({ nodes: 0, edges: 0, labelled: 0 });
  expect(await page.evaluate(() => window.graphLoad.settled())).toEqual([false, true, false]);
  expect(await page.evaluate(() => window.graphLoad.counts())).toEqual({ nodes: 0, edges: 0, labelled: 0 });
});

test('a small graph goes in at once, with its labels and the view’s own edge style', async ({ page }) => {
  expect(await page.evaluate(() => window.graphLoad.load(40, 60, 60))).toEqual({ tier: 'small', nodes: 40, edges: 60, labelled: 0 });
  expect(await page.evaluate(() => window.graphLoad.settled())).toEqual([true]);
  expect(await page.evaluate(() => window.graphLoad.text('n3'))).toEqual({ label: 'host 3', fontSize: '10px', curve: 'bezier' });
});
