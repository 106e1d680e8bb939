import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';

const fixture = (rel: string) => path.join(fileURLToPath(new URL('..', import.meta.url)), 'fixtures', rel);
const NETBOX = fixture('inventory/netbox-demo-v3.6-assets.json');
const ASSETS = fixture('inventory/quell-demo-assets.synthetic.csv');
const VIZ = fixture('dependency/vizceral-sample_data.json');

/** `quell ARGV` in this process against a database in a fresh temporary folder. */
function cli(t: TestContext) {
  const env = { QUELL_HOME: tempDir(t), QUELL_ANALYST: 'tester' };
  return async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, untilStopped: Promise.resolve() });
    return { code, stdout, stderr };
  };
}

describe('quell assets and deps', () => {
  test('assets import, then lookup of an IP and a host, as JSON and as text', async (t) => {
    const run = cli(t);
    const imported = await run('--json', 'assets', 'import', NETBOX);
    assert.deepEqual([imported.code, imported.stderr], [0, '']);
    assert.deepEqual(JSON.parse(imported.stdout).counts, { tenants: 11, sites: 24, clusters: 32, devices: 72, virtualMachines: 180, assets: 0, prefixes: 90, ipAddresses: 180 });
    const csv = await run('assets', 'import', ASSETS, '--format', 'csv', '--source', 'demo');
    assert.deepEqual([csv.code, csv.stdout], [0, `Imported inventory demo from ${ASSETS}: 7 assets, 1 prefixes, 4 ipAddresses\n`]);

    const ip = await run('--json', 'assets', 'lookup', '10.112.129.77');
    assert.equal(ip.code, 0);
    assert.deepEqual(JSON.parse(ip.stdout), {
      query: { type: 'ip', value: '10.112.129.77' },
      status: 'known',
      match: 'prefix',
      asset: null,
      prefix: { prefix: '10.112.129.0/24', source: 'netbox:netbox-demo-v3.6-assets.json', site: 'DM-Akron', tenant: 'Dunder-Mifflin, Inc.', vrf: null, role: 'Access - Data', status: 'active' },
      site: 'DM-Akron',
      tenant: 'Dunder-Mifflin, Inc.',
      owner: null,
      criticality: null,
      candidates: [],
      reason: 'in prefix 10.112.129.0/24 of netbox:netbox-demo-v3.6-assets.json; no asset holds the address',
    });
    const host = await run('assets', 'lookup', 'dc01.pandalab.com');
    assert.deepEqual([host.code, host.stdout.split('\n').slice(0, 8)], [
      0,
      [
        'query       dc01.pandalab.com (host)',
        'status      known',
        'asset       DC01 (asset, demo)',
        'prefix      -',
        'site        -',
        'tenant      -',
        'owner       identity-team',
        'criticality critical',
      ],
    ]);
    const unknown = await run('assets', 'lookup', '203.0.113.9');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stdout, /^asset {7}unknown asset$/m);
  });

  test('deps import and blast-radius --json; help documents the output', async (t) => {
    const run = cli(t);
    const imported = await run('deps', 'import', VIZ);
    assert.deepEqual([imported.code, imported.stdout], [0, `Imported dependencies vizceral:vizceral-sample_data.json from ${VIZ}: 494 nodes, 454 edges, 4 implicitNodes\n`]);
    await run('assets', 'import', ASSETS);
    const blast = await run('--json', 'assets', 'blast-radius', 'us-east-1/salvability');
    assert.equal(blast.code, 0);
    const b = JSON.parse(blast.stdout);
    assert.deepEqual(Object.keys(b), ['target', 'dependents', 'maxDepth', 'owners', 'unknownOwner']);
    assert.deepEqual(
      b.dependents.map((d: { id: string; depth: number }) => [d.id, d.depth]),
      [
        ['us-east-1/accounts', 1],
        ['us-east-1/priviest', 1],
        ['us-east-1/commerce', 2],
        ['us-east-1/viraemic', 2],
        ['us-east-1/alignment', 3],
        ['us-east-1/karroos', 3],
        ['us-east-1/microparasites', 3],
      ],
    );
    assert.deepEqual(b.owners, [
      { owner: 'payments-team', nodes: ['us-east-1/accounts', 'us-east-1/commerce'] },
      { owner: 'storage-team', nodes: ['us-east-1/viraemic'] },
    ]);
    const text = await run('assets', 'blast-radius', 'us-east-1/salvability', '--max-depth', '1');
    assert.equal(text.stdout.split('\n')[0], 'us-east-1/salvability: 2 dependents, 1 hops deep');
    const ambiguous = await run('assets', 'blast-radius', 'salvability');
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /"salvability" names 3 nodes: eu-west-1\/salvability, us-east-1\/salvability, us-west-2\/salvability/);
    const help = await run('help', 'assets', 'blast-radius');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /"dependents": \[\{"id", "name", "depth", "via": \[ids one hop nearer\], "weight", "owner"\}\]/);
  });

  test('a bad row fails with the file, line and field, exit 1', async (t) => {
    const run = cli(t);
    const bad = await run('deps', 'import', fixture('inventory/quell-demo-assets.synthetic.csv'));
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stderr.trim().split('\n')[0],
      `quell: ${fixture('inventory/quell-demo-assets.synthetic.csv')}: line 2, field "name": unknown column; the columns are service, depends_on, weight`,
    );
  });
});
