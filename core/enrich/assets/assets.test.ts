import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fixture, coreWithCase } from '../../ingest/import.test-helpers.js';
import { alice, openTestCore } from '../../store/journal.test-helpers.js';
import type { Core } from '../../app.js';

const NETBOX = fixture('inventory/netbox-demo-v3.6-assets.json');
const CSV = fixture('inventory/quell-demo-assets.synthetic.csv');
const YAML = fixture('inventory/quell-demo-hosts.synthetic.yaml');

async function ok<T = unknown>(core: Core, command: string, input: unknown): Promise<T> {
  const r = await core.router.invoke(command, input, alice);
  if (!r.ok) throw new Error(`${command}: ${r.error.message}`);
  return r.value as T;
}

async function inventory(t: TestContext): Promise<Core> {
  const core = openTestCore(t);
  for (const p of [NETBOX, CSV, YAML]) await ok(core, 'asset.import', { path: p });
  return core;
}

const lookup = (core: Core, query: string) => ok<Record<string, unknown>>(core, 'asset.lookup', { query });
const rowCount = (core: Core, table: string) => (core.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('asset import', () => {
  test('the NetBox demo export: exact counts of tenants, sites, clusters, devices, VMs, prefixes and IPs, journaled globally', async (t) => {
    const core = openTestCore(t);
    const result = await ok(core, 'asset.import', { path: NETBOX });
    assert.deepEqual(result, {
      source: 'netbox:netbox-demo-v3.6-assets.json',
      format: 'netbox',
      file: NETBOX,
      counts: { tenants: 11, sites: 24, clusters: 32, devices: 72, virtualMachines: 180, assets: 0, prefixes: 90, ipAddresses: 180 },
      previous: null,
    });
    assert.equal(rowCount(core, 'assets'), 252);
    assert.equal(rowCount(core, 'asset_networks'), 270);
    assert.equal(rowCount(core, 'asset_orgs'), 67);
    const journal = await ok<{ entries: { caseId: string | null; action: string; payload: unknown }[] }>(core, 'journal.list', {});
    assert.deepEqual(
      journal.entries.map((e) => [e.caseId, e.action, e.payload]),
      [[null, 'assets.imported', result]],
    );
  });

  test('re-importing a source replaces it: same rows, previous counts reported, one journal entry per import', async (t) => {
    const core = openTestCore(t);
    const first = await ok<{ counts: unknown }>(core, 'asset.import', { path: NETBOX });
    await ok(core, 'asset.import', { path: CSV });
    const again = await ok<{ counts: unknown; previous: unknown }>(core, 'asset.import', { path: NETBOX });
    assert.deepEqual(again.previous, first.counts);
    assert.deepEqual(again.counts, first.counts);
    assert.equal(rowCount(core, 'asset_sources'), 2);
    assert.equal(rowCount(core, 'assets'), 252 + 7);
    assert.equal(rowCount(core, 'asset_networks'), 270 + 5);
    const journal = await ok<{ entries: { action: string }[] }>(core, 'journal.list', {});
    assert.deepEqual(journal.entries.map((e) => e.action), ['assets.imported', 'assets.imported', 'assets.imported']);
    const verify = await ok<{ ok: boolean }>(core, 'audit.verify', {});
    assert.equal(verify.ok, true);
  });

  test('the user asset files: CSV (with a comment line) and YAML, IPv4, IPv6 and networks', async (t) => {
    const core = openTestCore(t);
    const csv = await ok<{ counts: unknown }>(core, 'asset.import', { path: CSV });
    assert.deepEqual(csv.counts, { tenants: 0, sites: 0, clusters: 0, devices: 0, virtualMachines: 0, assets: 7, prefixes: 1, ipAddresses: 4 });
    const yaml = await ok<{ source: string; counts: unknown }>(core, 'asset.import', { path: YAML, source: 'lab hosts' });
    assert.equal(yaml.source, 'lab hosts');
    assert.deepEqual(yaml.counts, { tenants: 0, sites: 0, clusters: 0, devices: 0, virtualMachines: 0, assets: 4, prefixes: 0, ipAddresses: 5 });
  });
});

describe('asset import refuses bad rows, naming file, line and field, and keeps what was stored', () => {
  const cases: [string, string, string][] = [
    ['bad.csv', 'name,ips,owner,criticality,tags\nweb01,10.0.0.1,web,high,\nweb02,10.0.0.2,web,urgent,\n', 'line 3, field "criticality": "urgent" is not one of low, medium, high, critical'],
    ['bad-ip.csv', 'name,ips,owner\nweb01,10.0.0.300,web\n', 'line 2, field "ips": "10.0.0.300" is not an IPv4 or IPv6 address'],
    ['bad-net.csv', 'name,ips\nnet,10.0.0.1/24\n', 'line 2, field "ips": "10.0.0.1/24" has host bits set; the network is 10.0.0.0/24'],
    ['cells.csv', 'name,ips,owner\n"web, the first",10.0.0.1\n', 'line 2: 2 cells where the header has 3'],
    ['column.csv', 'name,ip,owner\n', 'line 1, field "ip": unknown column; the columns are name, ips, owner, criticality, tags, site, tenant, role'],
    ['twice.csv', 'name\nweb01\n\nWEB01\n', 'line 4, field "name": "WEB01" is already defined at line 2'],
    ['quote.csv', 'name,owner\n"web01,web\n', 'line 2: a quoted cell is never closed'],
    ['bad.yaml', 'assets:\n  - name: web01\n    owner: web\n  - name: web02\n    ownr: web\n', 'line 5, field "ownr": unknown field; the fields are name, ips, owner, criticality, tags, site, tenant, role'],
    ['noname.yaml', '- owner: web\n  criticality: low\n', 'line 1, field "name": an asset needs a name'],
    ['bad-netbox.json', '{"tenants":[{"id":1,"name":"A"}],"prefixes":[{"id":1,"prefix":"10.0.0.0/8"},{"id":7,"prefix":"10.0.0.0/33"}]}', 'prefixes[1] (id 7), field "prefix": "/33" is not a prefix length for IPv4 (0-32)'],
    ['missing.json', '{"devices":[{"id":3,"name":5}]}', 'devices[0] (id 3), field "name": Invalid input: expected string, received number'],
  ];
  for (const [name, content, problem] of cases) {
    test(`${name}: ${problem}`, async (t) => {
      const core = openTestCore(t);
      await ok(core, 'asset.import', { path: CSV, source: 'keep' });
      const file = path.join(core.dir, name);
      fs.writeFileSync(file, content);
      const r = await core.router.invoke('asset.import', { path: file, source: 'keep' }, alice);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.code, 'invalid_input');
      assert.equal(r.error.message, `${file}: ${problem}`);
      assert.equal(rowCount(core, 'assets'), 7);
      const kept = await lookup(core, 'dc01');
      assert.equal(kept.owner, 'identity-team');
    });
  }

  test('an unreadable file and an unknown extension are told apart', async (t) => {
    const core = openTestCore(t);
    const missing = path.join(core.dir, 'nope.csv');
    const r1 = await core.router.invoke('asset.import', { path: missing }, alice);
    assert.deepEqual(r1.ok ? null : [r1.error.code, r1.error.message], ['not_found', `Cannot read ${missing}: no such file.`]);
    const odd = path.join(core.dir, 'assets.txt');
    fs.writeFileSync(odd, 'name\nweb\n');
    const r2 = await core.router.invoke('asset.import', { path: odd }, alice);
    assert.deepEqual(r2.ok ? null : [r2.error.code, r2.error.message], [
      'invalid_input',
      `${odd}: cannot tell the format from ".txt"; name it with --format (netbox, csv, yaml).`,
    ]);
    const r3 = await core.router.invoke('asset.import', { path: odd, format: 'csv' }, alice);
    assert.equal(r3.ok, true);
  });
});

describe('asset lookup: IP in prefix, longest prefix wins', () => {
  const expectations: [string, string | null, string | null, string | null, string | null][] = [
    // address, matched prefix, site, tenant, vrf
    ['10.112.129.77', '10.112.129.0/24', 'DM-Akron', 'Dunder-Mifflin, Inc.', null],
    ['10.112.128.5', '10.112.128.0/28', 'DM-Akron', 'Dunder-Mifflin, Inc.', null],
    ['10.112.128.200', '10.112.128.0/22', 'DM-Akron', 'Dunder-Mifflin, Inc.', null],
    ['10.112.178.1', '10.112.178.0/24', 'DM-Yonkers', 'Dunder-Mifflin, Inc.', null],
    ['10.113.5.5', '10.112.0.0/15', null, 'Dunder-Mifflin, Inc.', null],
    ['192.168.0.20', '192.168.0.0/22', null, null, null],
    ['192.168.5.1', '192.168.0.0/20', null, null, 'Shared'],
    ['172.18.1.9', '172.18.1.0/24', null, null, 'Charlie'],
    ['172.20.200.1', '172.20.0.0/16', null, null, 'Echo'],
  ];
  for (const [ip, prefix, site, tenant, vrf] of expectations) {
    test(`${ip} is in ${prefix}`, async (t) => {
      const core = openTestCore(t);
      await ok(core, 'asset.import', { path: NETBOX });
      const r = await lookup(core, ip);
      assert.equal(r.status, 'known');
      assert.equal(r.match, 'prefix');
      assert.equal(r.asset, null);
      assert.deepEqual([(r.prefix as { prefix: string }).prefix, r.site, r.tenant, (r.prefix as { vrf: string | null }).vrf], [prefix, site, tenant, vrf]);
      assert.deepEqual([r.owner, r.criticality], [null, null]);
    });
  }

  test('an address no prefix holds is unknown, with nothing guessed (IPv4 and IPv6)', async (t) => {
    const core = await inventory(t);
    for (const [ip, shown] of [['8.8.8.8', '8.8.8.8'], ['2001:DB9:0:0::1', '2001:db9::1'], ['::ffff:9.9.9.9', '9.9.9.9']] as const) {
      const r = await lookup(core, ip);
      assert.deepEqual(r, {
        query: { type: 'ip', value: ip },
        status: 'unknown',
        match: null,
        asset: null,
        prefix: null,
        site: null,
        tenant: null,
        owner: null,
        criticality: null,
        candidates: [],
        reason: `${shown} is in no known prefix and belongs to no asset`,
      });
    }
  });

  test('an asset address beats the prefix around it; the prefix still tells where it is', async (t) => {
    const core = await inventory(t);
    const prd = await lookup(core, '192.168.1.42');
    assert.deepEqual([prd.status, prd.match, (prd.asset as { name: string }).name, prd.owner, prd.criticality], ['known', 'ip-address', 'PRD01.pandalab.com', 'finance-it', 'high']);
    assert.equal((prd.prefix as { prefix: string }).prefix, '192.168.0.0/22');
    assert.equal(prd.reason, 'address of asset PRD01.pandalab.com (csv:quell-demo-assets.synthetic.csv)');
  });

  test('IPv6: an asset address, and an address inside an asset network (longest prefix)', async (t) => {
    const core = await inventory(t);
    const adfs = await lookup(core, '2001:0db8:0010:0000:0000:0000:0000:0005');
    assert.deepEqual([adfs.status, adfs.match, (adfs.asset as { name: string }).name, adfs.owner, adfs.criticality], ['known', 'ip-address', 'ADFS01', 'identity-team', 'critical']);
    const lab = await lookup(core, '2001:db8:20:ffff::1');
    assert.deepEqual([lab.status, lab.match, (lab.asset as { name: string }).name, lab.owner, lab.criticality], ['known', 'prefix', 'lab-v6', 'lab-ops', 'low']);
    assert.equal(lab.reason, 'in 2001:db8:20::/48 of asset lab-v6 (csv:quell-demo-assets.synthetic.csv)');
    const dc = await lookup(core, 'fd00:5::2');
    assert.equal((dc.asset as { name: string }).name, 'MORDORDC');
  });
});

describe('asset lookup: host names', () => {
  test('NetBox device by exact name and by FQDN; VM; a name three patch panels share is ambiguous', async (t) => {
    const core = await inventory(t);
    const rtr = await lookup(core, 'dmi01-akron-rtr01');
    assert.deepEqual(rtr.asset, {
      name: 'dmi01-akron-rtr01',
      kind: 'device',
      source: 'netbox:netbox-demo-v3.6-assets.json',
      site: 'DM-Akron',
      tenant: 'Dunder-Mifflin, Inc.',
      owner: null,
      criticality: null,
      role: 'Router',
      tags: [],
    });
    const fqdn = await lookup(core, 'DMI01-AKRON-RTR01.corp.example');
    assert.deepEqual([fqdn.status, fqdn.match, fqdn.site, fqdn.reason], ['known', 'host-name', 'DM-Akron', 'asset dmi01-akron-rtr01 (netbox:netbox-demo-v3.6-assets.json) by short name']);
    const vm = await lookup(core, 'vm42');
    assert.deepEqual([vm.status, (vm.asset as { kind: string }).kind, (vm.asset as { role: string }).role], ['known', 'vm', 'Application Server']);
    const pp = await lookup(core, 'pp:mdf');
    assert.equal(pp.status, 'ambiguous');
    assert.deepEqual(pp.candidates, ['PP:MDF (netbox:netbox-demo-v3.6-assets.json)', 'PP:MDF (netbox:netbox-demo-v3.6-assets.json)', 'PP:MDF (netbox:netbox-demo-v3.6-assets.json)']);
    assert.deepEqual([pp.asset, pp.site, pp.owner], [null, null, null]);
  });

  test('short name vs FQDN both ways; two domains are never merged', async (t) => {
    const core = await inventory(t);
    const mordor = await lookup(core, 'workstation5.MORDOR.local');
    assert.deepEqual([mordor.status, mordor.owner], ['known', 'mordor-desktop']);
    const shire = await lookup(core, 'WORKSTATION5.theshire.local');
    assert.deepEqual([shire.status, shire.owner], ['known', 'shire-desktop']);
    const short = await lookup(core, 'workstation5');
    assert.equal(short.status, 'ambiguous');
    assert.deepEqual(short.candidates, ['WORKSTATION5.mordor.local (yaml:quell-demo-hosts.synthetic.yaml)', 'workstation5.theshire.local (yaml:quell-demo-hosts.synthetic.yaml)']);
    const gondor = await lookup(core, 'workstation5.gondor.local');
    assert.equal(gondor.status, 'unknown');
    assert.equal(gondor.owner, null);
    const ws6 = await lookup(core, 'workstation6.mordor.local');
    assert.deepEqual([ws6.status, ws6.match, ws6.owner, ws6.criticality], ['known', 'host-name', 'mordor-desktop', 'medium']);
    const prd = await lookup(core, 'prd01');
    assert.deepEqual([prd.status, prd.owner, prd.reason], ['known', 'finance-it', 'asset PRD01.pandalab.com (csv:quell-demo-assets.synthetic.csv) by FQDN']);
    const nobody = await lookup(core, 'FILESRV9');
    assert.deepEqual([nobody.status, nobody.reason], ['unknown', 'no asset named FILESRV9 in the inventory']);
  });
});

describe('asset.resolve', () => {
  test('a list of entities, in order', async (t) => {
    const core = await inventory(t);
    const r = await ok<{ resolutions: { query: unknown; status: string; owner: string | null }[] }>(core, 'asset.resolve', {
      entities: [
        { type: 'host', value: 'dc01' },
        { type: 'ip', value: '10.0.5.11' },
        { type: 'ip', value: '1.1.1.1' },
      ],
    });
    assert.deepEqual(r.resolutions.map((x) => [x.query, x.status, x.owner]), [
      [{ type: 'host', value: 'dc01' }, 'known', 'identity-team'],
      [{ type: 'ip', value: '10.0.5.11' }, 'known', 'mordor-desktop'],
      [{ type: 'ip', value: '1.1.1.1' }, 'unknown', null],
    ]);
  });

  test('the host and IP entities of an imported record', async (t) => {
    const core = await coreWithCase(t);
    for (const p of [CSV, YAML]) await ok(core, 'asset.import', { path: p });
    await ok(core, 'evidence.import', { caseId: core.caseId, paths: [fixture('windows/atomic/schtask_create_2020-12-1907003032.json')] });
    const list = await ok<{ rows: { id: string; host: string | null }[] }>(core, 'event.list', { caseId: core.caseId, host: 'WORKSTATION6.theshire.local', limit: 1 });
    const row = list.rows[0]!;
    const detail = await ok<{ entities: { type: string; canonical: string }[] }>(core, 'event.get', { caseId: core.caseId, eventId: row.id });
    const wanted = detail.entities.filter((e) => e.type === 'host' || e.type === 'ip');
    const r = await ok<{ resolutions: { query: { type: string; value: string }; status: string; owner: string | null }[] }>(core, 'asset.resolve', {
      caseId: core.caseId,
      eventId: row.id,
    });
    assert.deepEqual(r.resolutions.map((x) => x.query), wanted.map((e) => ({ type: e.type, value: e.canonical })));
    const ws6 = r.resolutions.find((x) => x.query.value === 'workstation6.theshire.local');
    assert.deepEqual([ws6?.status, ws6?.owner], ['known', 'mordor-desktop']);
    const missing = await core.router.invoke('asset.resolve', { caseId: core.caseId, eventId: 'evt_nope' }, alice);
    assert.deepEqual(missing.ok ? null : [missing.error.code, missing.error.message], ['not_found', `No record evt_nope in case ${core.caseId}.`]);
  });
});

describe('one host in two sources', () => {
  test('a NetBox device and an owner file naming it are one asset; each field from the first source that has it', async (t) => {
    const core = openTestCore(t);
    await ok(core, 'asset.import', { path: NETBOX });
    const owners = path.join(core.dir, 'owners.csv');
    fs.writeFileSync(owners, 'name,owner,criticality,tags\nDMI01-Akron-RTR01,network-team,high,wan\n');
    await ok(core, 'asset.import', { path: owners });
    const r = await lookup(core, 'dmi01-akron-rtr01.dunder.example');
    assert.deepEqual([r.status, r.match, r.site, r.tenant, r.owner, r.criticality], ['known', 'host-name', 'DM-Akron', 'Dunder-Mifflin, Inc.', 'network-team', 'high']);
    assert.deepEqual(r.asset, {
      name: 'DMI01-Akron-RTR01',
      kind: 'device',
      source: 'csv:owners.csv + netbox:netbox-demo-v3.6-assets.json',
      site: 'DM-Akron',
      tenant: 'Dunder-Mifflin, Inc.',
      owner: 'network-team',
      criticality: 'high',
      role: 'Router',
      tags: ['wan'],
    });
  });
});

test('two different assets claiming one address are ambiguous, not a pick', async (t) => {
  const core = openTestCore(t);
  await ok(core, 'asset.import', { path: CSV });
  const other = path.join(core.dir, 'other.yaml');
  fs.writeFileSync(other, '- name: FS02\n  ips: [192.168.1.42]\n  owner: files-team\n');
  await ok(core, 'asset.import', { path: other });
  const r = await lookup(core, '192.168.1.42');
  assert.deepEqual([r.status, r.asset, r.owner, r.candidates], [
    'ambiguous',
    null,
    null,
    ['PRD01.pandalab.com (csv:quell-demo-assets.synthetic.csv)', 'FS02 (yaml:other.yaml)'],
  ]);
});
