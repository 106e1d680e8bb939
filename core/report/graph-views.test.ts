// Saved graph views in the exported case report, on the OTRF scheduled-task lateral movement (WORKSTATION5 →
// WORKSTATION6) imported into a real core: the view's nodes as the case graph has them, and its picture.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommandInput, CommandName, CommandOutput } from '../api/index.js';
import { coreWithCase, fixture } from '../ingest/import.test-helpers.js';
import { alice } from '../store/journal.test-helpers.js';

type Core = Awaited<ReturnType<typeof coreWithCase>>;

async function call<N extends CommandName>(core: Core, name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const r = await core.router.invoke(name, input, alice);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
}

const WS5 = 'host:workstation5.theshire.local';
const WS6 = 'host:workstation6.theshire.local';

test('a saved view goes into the report: filters, the nodes it placed, the edges between them, and its picture', async (t) => {
  const core = await coreWithCase(t);
  const caseId = core.caseId;
  await call(core, 'evidence.import', { caseId, paths: [fixture('windows/atomic/schtask_create_2020-12-1907003032.json')] });
  const saved = await call(core, 'graph.view.save', {
    caseId,
    name: 'lateral',
    positions: {
      [WS5]: { x: 0, y: 0 },
      [WS6]: { x: 300, y: 0 },
      'user:theshire\\pgustavo': { x: 300, y: 200 },
      'ip:172.18.39.5': { x: 0, y: 200 },
      'ip:172.18.39.6': { x: 400, y: 100 },
      'host:gone.example': { x: 50, y: 50 },
    },
    filters: { types: ['host', 'user', 'ip'] },
    hidden: ['ip:172.18.39.5'],
    pinned: [WS6],
  });

  const md = (await call(core, 'report.export', { caseId, format: 'markdown' })).text;
  const section = md.slice(md.indexOf('## Saved graph views'));
  assert.equal(
    section,
    [
      '## Saved graph views',
      '### Graph view: lateral',
      `Saved ${saved.updatedAt}. Filters: types host, user, ip. 4 nodes placed, 4 edges between them, 1 pinned, 1 hidden. 1 placed node is no longer in the case graph (or outside its filters).`,
      '_(The picture of this view is in the HTML report.)_',
      [
        '| Type | Node | Pinned |',
        '| --- | --- | --- |',
        '| host | WORKSTATION5.theshire.local |  |',
        '| host | workstation6.theshire.local | yes |',
        '| ip | 172.18.39.6 |  |',
        '| user | THESHIRE\\pgustavo |  |',
      ].join('\n'),
    ].join('\n\n') + '\n',
  );

  const html = (await call(core, 'report.export', { caseId, format: 'html' })).text;
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
  assert.match(svg, /aria-label="Graph view lateral: 4 nodes, 4 edges"/);
  assert.equal(svg.match(/<circle /g)?.length, 4);
  // Fitted at the largest scale allowed (1.5) from a 40 px margin: WS5 (0, 0) → (40, 40), WS6 (300, 0) → (490, 40).
  assert.ok(svg.includes(`<line x1="40" y1="40" x2="490" y2="40" stroke="#d0343f" stroke-width="2.5"><title>lateral_movement: ${WS5} → ${WS6}</title></line>`));
  assert.ok(svg.includes('<circle cx="490" cy="40" r="7" fill="#4aa3ff" stroke="#b07d00" stroke-width="2" stroke-dasharray="3 2"><title>host workstation6.theshire.local</title></circle>'));
  assert.ok(svg.includes('<text x="490" y="356" text-anchor="middle" font-size="9">THESHIRE\\pgustavo</text>'));
  // Hidden and unknown nodes are not drawn; the report stays free of scripts.
  assert.equal(svg.includes('172.18.39.5'), false);
  assert.equal(svg.includes('gone.example'), false);
  assert.equal(/<script/i.test(html), false);
});

test('a report of a case without saved views has no view section', async (t) => {
  const core = await coreWithCase(t);
  const md = (await call(core, 'report.export', { caseId: core.caseId, format: 'markdown' })).text;
  assert.equal(md.includes('Saved graph views'), false);
});
