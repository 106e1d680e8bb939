// Drawing an incident graph of 5,000 nodes and 7,500 edges in headless Chromium: Quell's graph view (renderer/graph,
// with its level-of-detail rules) against a plain Cytoscape instance with default styles and the same positions.
// The page (bench/graph-page) is bundled with esbuild and served from memory on 127.0.0.1.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { chromiumLaunchOptions } from '../e2e/helpers/chromium.js';
import type { BenchOptions, Figure, Trial } from './figure.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const HTML = `<!doctype html><html><head><meta charset="utf-8"><title>graph bench</title>
<style>html,body{margin:0;background:#0f1216}.cy-graph{position:relative;width:1200px;height:760px}</style>
</head><body><script type="module" src="/page.js"></script></body></html>`;

/** What bench/graph-page/page.ts puts on `window` (this file is typed for Node, without the DOM). */
interface PageApi {
  graphBench: {
    firstPaint(side: 'quell' | 'baseline'): Promise<number>;
    fullPaint(side: 'quell' | 'baseline'): Promise<number>;
    panFrame(side: 'quell' | 'baseline', pans?: number): Promise<number>;
    workload: { nodes: number; edges: number; tier: string };
  };
}
interface BenchPage {
  page: Page;
  workload: Record<string, string | number>;
  close(): Promise<void>;
}

/** Bundles the page, serves it, opens it in Chromium (the e2e tests' browser) and waits until it is ready. */
async function openBenchPage(nodes: number, edges: number): Promise<BenchPage> {
  const bundle = await build({
    entryPoints: [path.join(here, 'graph-page/page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const js = bundle.outputFiles[0]!.contents;
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/page.js')) res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch(chromiumLaunchOptions());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/?nodes=${nodes}&edges=${edges}`);
    await page.waitForSelector('body[data-ready="yes"]', { state: 'attached', timeout: 30_000 }).catch(() => {
      throw new Error(`the bench page did not start: ${errors.join('; ') || 'no error reported'}`);
    });
    const facts = await page.evaluate(() => {
      const w = (globalThis as unknown as PageApi).graphBench.workload;
      return { nodes: w.nodes, edges: w.edges, tier: w.tier };
    });
    const b = browser;
    return {
      page,
      workload: { nodes: facts.nodes, edges: facts.edges, tier: facts.tier, chromium: b.version() },
      close: async () => {
        await b.close();
        await new Promise((r) => server.close(r));
      },
    };
  } catch (err) {
    await browser?.close();
    server.close();
    throw err;
  }
}

function graphTrial(measure: (page: Page, side: 'quell' | 'baseline') => Promise<number>, extra: Record<string, string | number>) {
  return async ({ quick }: BenchOptions): Promise<Trial> => {
    // The full workload both times: the goal is stated for this size; --quick runs fewer repetitions instead.
    void quick;
    const bench = await openBenchPage(5000, 7500);
    return {
      quell: () => measure(bench.page, 'quell'),
      baseline: () => measure(bench.page, 'baseline'),
      workload: { ...bench.workload, ...extra },
      close: () => void bench.close(),
    };
  };
}

export const figures: Figure[] = [
  {
    name: 'graph first paint',
    what:
      'Quell: renderer/graph createGraph + loadLaidOut (level-of-detail options and rules, an incident stylesheet, viewport from the positions; ' +
      'this tier draws the nodes first and adds the edges once that frame is shown) vs ' +
      "plain cytoscape({ container, elements, layout: { name: 'preset' } }) with default styles; ms from making the instance to the first frame after its first render event",
    unit: 'ms',
    better: 'lower',
    // Goal: Quell's first paint at most 0.6 × the plain instance's; the ratio printed is baseline / Quell.
    target: 1 / 0.6,
    repetitions: { full: 7, quick: 3, warmups: 1 },
    setup: graphTrial((page, side) => page.evaluate((s) => (globalThis as unknown as PageApi).graphBench.firstPaint(s), side), {}),
  },
  {
    // No goal: printed beside first paint so that what the staged load defers is in plain view.
    name: 'graph full paint',
    what: 'as first paint, to the first frame after the render that shows every element (for Quell, the frame after its staged edges; for the plain instance, its first frame)',
    unit: 'ms',
    better: 'lower',
    repetitions: { full: 7, quick: 3, warmups: 1 },
    setup: graphTrial((page, side) => page.evaluate((s) => (globalThis as unknown as PageApi).graphBench.fullPaint(s), side), {}),
  },
  {
    name: 'graph pan frame',
    what: 'median over 30 cy.panBy(±50 px) of the ms from the pan to the first frame after the render it causes, Quell vs the plain instance',
    unit: 'ms',
    better: 'lower',
    limit: 80,
    repetitions: { full: 3, quick: 1, warmups: 1 },
    setup: graphTrial((page, side) => page.evaluate((s) => (globalThis as unknown as PageApi).graphBench.panFrame(s, 30), side), { pans: 30, panPx: 50 }),
  },
];
