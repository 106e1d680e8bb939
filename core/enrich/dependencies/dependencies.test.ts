import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../app.js';
import { fixture } from '../../ingest/import.test-helpers.js';
import { alice, openTestCore } from '../../store/journal.test-helpers.js';
import type { BlastRadius, DepEdge, DepNode } from '../../model/index.js';

const VIZ = fixture('dependency/vizceral-sample_data.json');
const VIZ_SIMPLE = fixture('dependency/vizceral-sample_data_simple.json');
const DEPS_YAML = fixture('dependency/quell-demo-deps.synthetic.yaml');
const DEPS_CSV = fixture('dependency/quell-demo-deps.synthetic.csv');
const ASSETS_CSV = fixture('inventory/quell-demo-assets.synthetic.csv');

async function ok<T = unknown>(core: Core, command: string, input: unknown): Promise<T> {
  const r = await core.router.invoke(command, input, alice);
  if (!r.ok) throw new Error(`${command}: ${r.error.message}`);
  return r.value as T;
}

const blast = (core: Core, name: string, maxDepth?: number) => ok<BlastRadius>(core, 'deps.blastRadius', { name, ...(maxDepth ? { maxDepth } : {}) });
/** Dependents as [id, depth, via, weight rounded to 3 places, owner]. */
const rows = (b: BlastRadius) => b.dependents.map((d) => [d.id, d.depth, d.via, d.weight === null ? null : Math.round(d.weight * 1000) / 1000, d.owner]);

describe('dependency import', () => {
  test('the Vizceral sample: regions, services, implicit nodes, nested nodes and every connection; journaled globally', async (t) => {
    const core = openTestCore(t);
    const result = await ok(core, 'deps.import', { path: VIZ });
    // 4 regions + 225 services + 4 services only named by a connection (proxy-prod in us-east-1, proxy-log in each
    // region) + 261 nested nodes; 9 connections between regions + 157 + 137 + 151 inside them.
    assert.deepEqual(result, {
      source: 'vizceral:vizceral-sample_data.json',
      format: 'vizceral',
      file: VIZ,
      counts: { nodes: 494, edges: 454, implicitNodes: 4 },
      previous: null,
    });
    const graph = await ok<{ nodes: DepNode[]; edges: DepEdge[] }>(core, 'deps.graph', {});
    assert.equal(graph.nodes.length, 494);
    assert.equal(graph.edges.length, 454);
    assert.deepEqual(graph.nodes.filter((n) => n.implicit).map((n) => n.id), ['eu-west-1/proxy-log', 'us-east-1/proxy-log', 'us-east-1/proxy-prod', 'us-west-2/proxy-log']);
    assert.deepEqual(
      graph.nodes.filter((n) => n.kind === 'region').map((n) => n.id),
      ['INTERNET', 'eu-west-1', 'us-east-1', 'us-west-2'],
    );
    assert.deepEqual(graph.nodes.find((n) => n.id === 'us-east-1/viraemic/tetrabrach'), {
      id: 'us-east-1/viraemic/tetrabrach',
      name: 'tetrabrach',
      kind: 'instance',
      parent: 'us-east-1/viraemic',
      source: 'vizceral:vizceral-sample_data.json',
      implicit: false,
    });
    assert.deepEqual(graph.edges.find((e) => e.from === 'us-east-1/salvability' && e.to === 'us-east-1/reoxidize'), {
      from: 'us-east-1/salvability',
      to: 'us-east-1/reoxidize',
      source: 'vizceral:vizceral-sample_data.json',
      weight: 94.808 + 0.10200000000000001,
      normal: 94.808,
      warning: null,
      danger: 0.10200000000000001,
    });
    const journal = await ok<{ entries: { caseId: string | null; action: string; payload: unknown }[] }>(core, 'journal.list', {});
    assert.deepEqual(journal.entries.map((e) => [e.caseId, e.action, e.payload]), [[null, 'dependencies.imported', result]]);
  });

  test('re-import replaces the source; a second source sits beside it; deps.graph can show one source', async (t) => {
    const core = openTestCore(t);
    await ok(core, 'deps.import', { path: VIZ_SIMPLE });
    await ok(core, 'deps.import', { path: DEPS_YAML });
    const again = await ok<{ counts: unknown; previous: unknown }>(core, 'deps.import', { path: VIZ_SIMPLE });
    assert.deepEqual(again.counts, { nodes: 4, edges: 2, implicitNodes: 0 });
    assert.deepEqual(again.previous, again.counts);
    const all = await ok<{ nodes: DepNode[]; edges: DepEdge[] }>(core, 'deps.graph', {});
    assert.deepEqual([all.nodes.length, all.edges.length], [4 + 7, 2 + 7]);
    const simple = await ok<{ nodes: DepNode[]; edges: DepEdge[] }>(core, 'deps.graph', { source: 'vizceral:vizceral-sample_data_simple.json' });
    assert.deepEqual(simple.nodes.map((n) => [n.id, n.kind, n.parent]), [
      ['INTERNET', 'region', null],
      ['us-east-1', 'region', null],
      ['us-east-1/INTERNET', 'service', 'us-east-1'],
      ['us-east-1/proxy-prod', 'service', 'us-east-1'],
    ]);
    assert.deepEqual(simple.edges.map((e) => [e.from, e.to, e.normal, e.danger]), [
      ['INTERNET', 'us-east-1', 26037.626, 92.37],
      ['us-east-1/INTERNET', 'us-east-1/proxy-prod', 15598.906, 116.524],
    ]);
  });

  test('the YAML and CSV user formats give the same graph', async (t) => {
    const core = openTestCore(t);
    const yaml = await ok<{ counts: unknown }>(core, 'deps.import', { path: DEPS_YAML });
    const csv = await ok<{ counts: unknown }>(core, 'deps.import', { path: DEPS_CSV });
    assert.deepEqual(yaml.counts, { nodes: 7, edges: 7, implicitNodes: 0 });
    assert.deepEqual(csv.counts, yaml.counts);
    const shape = (g: { nodes: DepNode[]; edges: DepEdge[] }) => [g.nodes.map((n) => n.id), g.edges.map((e) => [e.from, e.to, e.weight])];
    const a = await ok<{ nodes: DepNode[]; edges: DepEdge[] }>(core, 'deps.graph', { source: 'yaml:quell-demo-deps.synthetic.yaml' });
    const b = await ok<{ nodes: DepNode[]; edges: DepEdge[] }>(core, 'deps.graph', { source: 'csv:quell-demo-deps.synthetic.csv' });
    assert.deepEqual(shape(a), shape(b));
    assert.deepEqual(shape(a)[0], ['DC01', 'api', 'auth', 'batch', 'cdn', 'db', 'web']);
    assert.deepEqual(shape(a)[1], [
      ['DC01', 'db', 1],
      ['api', 'auth', 80],
      ['api', 'db', 80],
      ['auth', 'api', 5],
      ['batch', 'db', null],
      ['web', 'api', 120],
      ['web', 'cdn', 120],
    ]);
  });
});

describe('dependency import refuses bad rows and keeps what was stored', () => {
  const cases: [string, string, string][] = [
    ['w.csv', 'service,depends_on,weight\nweb,api,10\napi,db,heavy\n', 'line 3, field "weight": "heavy" is not a number of zero or more'],
    ['dup.csv', 'service,depends_on\nweb,api\nweb,db;api\n', 'line 3, field "depends_on": web → api is already given at line 2'],
    ['col.csv', 'service,needs\n', 'line 1, field "needs": unknown column; the columns are service, depends_on, weight'],
    ['noservice.csv', 'service,depends_on\n,api\n', 'line 2, field "service": a row needs a service name'],
    ['self.yaml', '- service: web\n  depends_on: api\n- service: api\n  depends_on: [db, api]\n', 'line 3, field "depends_on": api cannot depend on itself'],
    ['shape.yaml', 'web: api\n', 'line 1: expected a list of {service, depends_on, weight} (or a "dependencies:" key holding one)'],
    ['target.json', '{"nodes":[{"name":"r","connections":[{"source":"a"}]}]}', 'nodes[0].connections[0], field "target": Invalid input: expected string, received undefined'],
    ['twice.json', '{"nodes":[{"name":"r","connections":[{"source":"a","target":"b"},{"source":"a","target":"b"}]}]}', 'nodes[0].connections[1]: a second connection a → b'],
    ['names.json', '{"nodes":[{"name":"r","nodes":[{"name":"a"},{"name":"a"}]}]}', 'nodes[0].nodes[1], field "name": "a" is declared twice here'],
  ];
  for (const [name, content, problem] of cases) {
    test(`${name}: ${problem}`, async (t) => {
      const core = openTestCore(t);
      await ok(core, 'deps.import', { path: DEPS_YAML, source: 'keep' });
      const file = path.join(core.dir, name);
      fs.writeFileSync(file, content);
      const r = await core.router.invoke('deps.import', { path: file, source: 'keep' }, alice);
      assert.deepEqual(r.ok ? null : [r.error.code, r.error.message], ['invalid_input', `${file}: ${problem}`]);
      const kept = await ok<{ edges: DepEdge[] }>(core, 'deps.graph', { source: 'keep' });
      assert.equal(kept.edges.length, 7);
    });
  }
});

describe('blast radius', () => {
  test('us-east-1/reoxidize in the Vizceral sample: 8 dependents over 4 hops, through the priviest ↔ commerce cycle', async (t) => {
    const core = openTestCore(t);
    await ok(core, 'deps.import', { path: VIZ });
    await ok(core, 'asset.import', { path: ASSETS_CSV });
    const b = await blast(core, 'us-east-1/reoxidize');
    // Worked out from the us-east-1 connections: salvability → reoxidize; accounts, priviest → salvability;
    // commerce → accounts, commerce → priviest, viraemic → priviest (priviest → accounts is not shorter);
    // alignment, karroos, microparasites → viraemic (priviest → commerce closes a cycle and adds nothing).
    assert.deepEqual(rows(b), [
      ['us-east-1/salvability', 1, ['us-east-1/reoxidize'], 94.91, null],
      ['us-east-1/accounts', 2, ['us-east-1/salvability'], 71.83, 'payments-team'],
      ['us-east-1/priviest', 2, ['us-east-1/salvability'], 13.782, null],
      ['us-east-1/commerce', 3, ['us-east-1/accounts', 'us-east-1/priviest'], 51.978, 'payments-team'],
      ['us-east-1/viraemic', 3, ['us-east-1/priviest'], 20.436, 'storage-team'],
      ['us-east-1/alignment', 4, ['us-east-1/viraemic'], 143.89, null],
      ['us-east-1/karroos', 4, ['us-east-1/viraemic'], 19.58, null],
      ['us-east-1/microparasites', 4, ['us-east-1/viraemic'], 621.986, null],
    ]);
    assert.deepEqual(b.target, { id: 'us-east-1/reoxidize', name: 'reoxidize', owner: null });
    assert.equal(b.maxDepth, 4);
    assert.deepEqual(b.owners, [
      { owner: 'payments-team', nodes: ['us-east-1/accounts', 'us-east-1/commerce'] },
      { owner: 'storage-team', nodes: ['us-east-1/viraemic'] },
    ]);
    assert.deepEqual(b.unknownOwner, [
      'us-east-1/reoxidize',
      'us-east-1/salvability',
      'us-east-1/priviest',
      'us-east-1/alignment',
      'us-east-1/karroos',
      'us-east-1/microparasites',
    ]);
    const two = await blast(core, 'us-east-1/reoxidize', 2);
    assert.deepEqual(two.dependents.map((d) => d.id), ['us-east-1/salvability', 'us-east-1/accounts', 'us-east-1/priviest']);
  });

  test('a name three regions share is refused with the ids to choose from; an unknown name is not found', async (t) => {
    const core = openTestCore(t);
    await ok(core, 'deps.import', { path: VIZ });
    const r = await core.router.invoke('deps.blastRadius', { name: 'reoxidize' }, alice);
    assert.deepEqual(r.ok ? null : [r.error.code, r.error.message], [
      'conflict',
      '"reoxidize" names 3 nodes: eu-west-1/reoxidize, us-east-1/reoxidize, us-west-2/reoxidize. Give the full id of one.',
    ]);
    const none = await core.router.invoke('deps.blastRadius', { name: 'no-such-service' }, alice);
    assert.deepEqual(none.ok ? null : [none.error.code, none.error.message], ['not_found', 'No service named "no-such-service" in the dependency graph.']);
  });

  test('regions call each other both ways: the cycle ends after one hop', async (t) => {
    const core = openTestCore(t);
    await ok(core, 'deps.import', { path: VIZ });
    const b = await blast(core, 'US-EAST-1');
    assert.deepEqual(rows(b), [
      ['INTERNET', 1, ['us-east-1'], 63270.23, null],
      ['eu-west-1', 1, ['us-east-1'], null, null],
      ['us-west-2', 1, ['us-east-1'], 0.024, null],
    ]);
  });

  test('the hand-written graph: owners from the inventory, the api ↔ auth cycle terminates', async (t) => {
    const core = openTestCore(t);
    await ok(core, 'deps.import', { path: DEPS_CSV });
    await ok(core, 'asset.import', { path: ASSETS_CSV });
    const db = await blast(core, 'db');
    assert.deepEqual(rows(db), [
      ['DC01', 1, ['db'], 1, 'identity-team'],
      ['api', 1, ['db'], 80, null],
      ['batch', 1, ['db'], null, null],
      ['auth', 2, ['api'], 5, null],
      ['web', 2, ['api'], 120, null],
    ]);
    assert.deepEqual(db.owners, [{ owner: 'identity-team', nodes: ['DC01'] }]);
    assert.deepEqual(db.unknownOwner, ['db', 'api', 'batch', 'auth', 'web']);
    const api = await blast(core, 'api');
    assert.deepEqual(rows(api), [
      ['auth', 1, ['api'], 5, null],
      ['web', 1, ['api'], 120, null],
    ]);
    const cdn = await blast(core, 'cdn');
    assert.deepEqual(rows(cdn), [['web', 1, ['cdn'], 120, null]]);
    const web = await blast(core, 'web');
    assert.deepEqual([web.dependents, web.maxDepth, web.unknownOwner], [[], 0, ['web']]);
  });
});
