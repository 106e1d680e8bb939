// The incident graph on real evidence imported into a real core: the OTRF LSASS campaign (Sysmon/Security on PRD01
// plus Zeek of the same hour) and the OTRF scheduled-task lateral movement (WORKSTATION5 → WORKSTATION6).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import type { CommandInput, CommandName, CommandOutput } from '../api/index.js';
import { coreWithCase, fixture, journalOf } from '../ingest/import.test-helpers.js';
import type { GraphEdge, GraphNode } from '../model/index.js';
import { openCore } from '../app.js';
import { sequentialIds, steppingClock } from '../runtime.js';
import { alice, defer, START } from '../store/journal.test-helpers.js';
import { caseGraph } from './index.js';

const LSASS_WINDOWS = fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson');
const ZEEK_DIR = fixture('zeek/lsass-campaign-03');
const LSASS_ZEEK = fs.readdirSync(ZEEK_DIR).filter((f) => f.endsWith('.log')).sort().map((f) => path.join(ZEEK_DIR, f));
const SCHTASK = fixture('windows/atomic/schtask_create_2020-12-1907003032.json');

type Core = Awaited<ReturnType<typeof coreWithCase>>;

async function call<N extends CommandName>(core: Core, name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const r = await core.router.invoke(name, input, alice);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
}

async function caseWith(t: TestContext, paths: string[]): Promise<Core> {
  const core = await coreWithCase(t);
  await call(core, 'evidence.import', { caseId: core.caseId, paths });
  return core;
}

const node = (nodes: GraphNode[], id: string) => nodes.find((n) => n.id === id);
const edge = (edges: GraphEdge[], id: string) => edges.find((e) => e.id === id);
const countBy = (xs: { type: string }[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x.type]: (m[x.type] ?? 0) + 1 }), {});

const PRD01 = 'host:prd01.pandalab.com';
const LSASS = 'process:{57be2c82-4fa2-64de-0c00-000000000600}';
const RUNDLL32 = 'process:{57be2c82-9583-64df-4509-000000000600}';
const PAYLOAD = 'process:{57be2c82-94c1-64df-3409-000000000600}';
const C2 = 'ip:10.0.5.13';

describe('graph.case: the LSASS campaign', () => {
  test('PRD01 with its address, its users, the C2 connection seen by Sysmon and Zeek, and rundll32 accessing lsass', async (t) => {
    const core = await caseWith(t, [LSASS_WINDOWS, ...LSASS_ZEEK]);
    const g = await call(core, 'graph.case', { caseId: core.caseId, limit: 5000, groupLeavesAbove: 10_000 });
    assert.equal(g.truncated, false);
    assert.equal(g.records, 1695);
    assert.deepEqual(countBy(g.nodes), { domain: 12, file: 182, host: 1, incident: 1, ip: 12, process: 213, user: 6 });
    assert.deepEqual(countBy(g.edges), { accessed: 187, connected_to: 47, logged_on: 2, member_of: 1, resolved_to: 3, runs_as: 198, runs_on: 213, spawned: 182 });

    const host = node(g.nodes, PRD01)!;
    assert.deepEqual([host.label, host.records, host.first, host.last], ['PRD01.pandalab.com', 1514, '2023-08-18T15:56:03.981Z', '2023-08-18T16:06:45.386Z']);
    assert.deepEqual(
      g.edges.filter((e) => e.type === 'resolved_to' && e.source === PRD01).map((e) => [e.target, e.records]),
      [['ip:192.168.1.42', 266], ['ip:fe80::9b:ae55:9a78:92e4', 17]],
    );
    assert.deepEqual(
      ['user:pandalab\\pupy.godoy', 'user:nt authority\\system'].map((id) => [node(g.nodes, id)?.label, node(g.nodes, id)?.records]),
      [['PANDALAB\\pupy.godoy', 387], ['NT AUTHORITY\\SYSTEM', 543]],
    );
    const system = edge(g.edges, `logged_on:user:nt authority\\system->${PRD01}`)!;
    assert.deepEqual([system.records, system.data], [6, { logonTypes: ['5'] }]);
    assert.deepEqual(
      g.edges.filter((e) => e.type === 'runs_as' && e.target === 'user:pandalab\\pupy.godoy').length,
      50,
    );

    // The host↔network join: Sysmon 3 on PRD01 and Zeek conn from its address are one edge.
    const c2 = edge(g.edges, `connected_to:${PRD01}->${C2}`)!;
    assert.deepEqual([c2.records, c2.data], [16, { ports: [5678, 80], transport: ['tcp'], formats: ['windows-nxlog', 'zeek-tsv'] }]);
    const behind = await call(core, 'graph.records', { caseId: core.caseId, edgeId: c2.id, limit: 100 });
    assert.equal(behind.total, 16);
    assert.deepEqual(countBy(behind.rows.map((r) => ({ type: r.format }))), { 'windows-nxlog': 7, 'zeek-tsv': 9 });
    assert.deepEqual(
      g.edges.filter((e) => e.type === 'connected_to' && e.target === C2 && e.source.startsWith('process:')).map((e) => [node(g.nodes, e.source)!.label, e.records]),
      [['svchost.exe (2924)', 1], ['msedge.exe (4976)', 2], ['winx64_payload.exe (7196)', 4]],
    );

    // Sysmon 10: rundll32 (the comsvcs MiniDump) opened lsass.
    assert.deepEqual([node(g.nodes, RUNDLL32)!.label, node(g.nodes, LSASS)!.label], ['rundll32.exe (7580)', 'lsass.exe (628)']);
    const dump = edge(g.edges, `accessed:${RUNDLL32}->${LSASS}`)!;
    assert.deepEqual([dump.type, dump.records, dump.data], ['accessed', 1, { grantedAccess: ['0x1410'], via: ['ProcessAccess'] }]);
    const [row] = (await call(core, 'graph.records', { caseId: core.caseId, edgeId: dump.id })).rows;
    assert.deepEqual([row!.id, row!.title], [dump.eventIds[0], 'Process accessed: C:\\Windows\\System32\\rundll32.exe -> C:\\Windows\\system32\\lsass.exe (0x1410)']);
    assert.deepEqual(
      g.edges.filter((e) => e.type === 'accessed' && e.target === LSASS).map((e) => [node(g.nodes, e.source)!.label, e.records]),
      [['VBoxService.exe (1232)', 246], ['winx64_payload.exe (7196)', 4], ['tasklist.exe (6344)', 1], ['rundll32.exe (7580)', 1]],
    );
  });

  test('pages through the store: never more than one page of records in memory', async (t) => {
    const core = await caseWith(t, [LSASS_WINDOWS, ...LSASS_ZEEK]);
    const g = caseGraph(core.store, core.caseId, { limit: 5000, pageSize: 500 });
    assert.deepEqual(g.stats, { records: 1695, pages: 4, largestPage: 500 });
  });

  test('leaf grouping, type and time filters, neighbours, start and records', async (t) => {
    const core = await caseWith(t, [LSASS_WINDOWS, ...LSASS_ZEEK]);
    const caseId = core.caseId;

    const grouped = await call(core, 'graph.case', { caseId, limit: 5000 });
    assert.deepEqual(
      grouped.nodes.filter((n) => n.type === 'group').map((n) => [n.id, n.data.memberType, n.data.count, (n.data.members as string[]).length]),
      [
        ['group:process:{57be2c82-2583-64de-2600-000000000600}:file', 'file', 38, 38],
        ['group:process:{57be2c82-9496-64df-1909-000000000600}:file', 'file', 94, 50],
      ],
    );
    const at37 = await call(core, 'graph.case', { caseId, limit: 5000, groupLeavesAbove: 37 });
    const at38 = await call(core, 'graph.case', { caseId, limit: 5000, groupLeavesAbove: 38 });
    assert.deepEqual([at37, at38].map((g) => g.nodes.filter((n) => n.type === 'group').map((n) => n.data.count)), [[38, 94], [94]]);

    const capped = await call(core, 'graph.case', { caseId, limit: 10 });
    assert.deepEqual([capped.truncated, capped.nodes.length], [true, 10]);

    const hostsAndIps = await call(core, 'graph.case', { caseId, types: ['host', 'ip'], limit: 5000 });
    assert.deepEqual(countBy(hostsAndIps.nodes), { host: 1, ip: 12 });
    assert.ok(hostsAndIps.edges.every((e) => /^(host|ip):/.test(e.source) && /^(host|ip):/.test(e.target)));

    const full = await call(core, 'graph.case', { caseId, limit: 5000, groupLeavesAbove: 10_000 });
    const c2 = edge(full.edges, `connected_to:${PRD01}->${C2}`)!;
    const before = await call(core, 'graph.case', { caseId, limit: 5000, to: new Date(Date.parse(c2.first!) - 1).toISOString() });
    assert.equal(edge(before.edges, c2.id), undefined);
    const during = await call(core, 'graph.case', { caseId, limit: 5000, from: c2.first!, to: c2.last! });
    assert.equal(edge(during.edges, c2.id)?.records, 16);

    // Expanding lsass yields exactly the nodes one edge away in the whole graph.
    const expanded = await call(core, 'graph.neighbors', { caseId, nodeId: LSASS });
    const expected = new Set(full.edges.flatMap((e) => (e.source === LSASS ? [e.target] : e.target === LSASS ? [e.source] : [])));
    assert.deepEqual(expanded.nodes.map((n) => n.id).sort(), [...expected].sort());
    assert.equal(expanded.nodes.length, 9);
    assert.deepEqual(expanded.edges.map((e) => e.id).sort(), full.edges.filter((e) => e.source === LSASS || e.target === LSASS).map((e) => e.id).sort());
    const onlyHosts = await call(core, 'graph.neighbors', { caseId, nodeId: LSASS, types: ['host'] });
    assert.deepEqual(onlyHosts.nodes.map((n) => n.id), [PRD01]);

    const started = await call(core, 'graph.start', { caseId, query: 'winx64_payload' });
    assert.deepEqual(started.seeds, [
      'file:c:\\users\\pupy.godoy\\downloads\\winx64_payload.exe:zone.identifier',
      'file:c:\\windows\\prefetch\\winx64_payload.exe-1298616f.pf',
      'process:prd01.pandalab.com|7196|c:\\users\\pupy.godoy\\downloads\\winx64_payload.exe',
      PAYLOAD,
    ]);
    assert.ok(started.nodes.some((n) => n.id === C2));

    const records = await call(core, 'graph.records', { caseId, nodeId: RUNDLL32, limit: 2, offset: 1 });
    assert.deepEqual([records.total, records.rows.length], [3, 2]);
  });
});

describe('graph.case: scheduled-task lateral movement', () => {
  test('exactly one WORKSTATION5 → WORKSTATION6 lateral_movement edge, from the network logon and the task it created', async (t) => {
    const core = await caseWith(t, [SCHTASK]);
    const g = await call(core, 'graph.case', { caseId: core.caseId, limit: 5000 });
    const lateral = g.edges.filter((e) => e.type === 'lateral_movement');
    assert.deepEqual(
      lateral.map((e) => [e.source, e.target, e.records, e.eventIds, e.data]),
      [
        [
          'host:workstation5.theshire.local',
          'host:workstation6.theshire.local',
          2,
          ['ev_9a76da315a28a93fb29b5dca71dd38a0', 'ev_34b8736f48df75669e84d3ce7dd94778'],
          { via: ['remote logon (type 3)', 'scheduled task'], user: ['pgustavo'] },
        ],
      ],
    );
    const rows = await call(core, 'graph.records', { caseId: core.caseId, edgeId: lateral[0]!.id });
    assert.deepEqual(rows.rows.map((r) => r.title), [
      'An account was successfully logged on: THESHIRE.LOCAL\\pgustavo (logon type 3)',
      'A scheduled task was created: \\Microsoft\\Windows\\SoftwareProtectionPlatform\\EventCacheManager',
    ]);
    assert.deepEqual(
      g.edges.filter((e) => e.type === 'resolved_to').map((e) => [e.source, e.target]),
      [['host:workstation5.theshire.local', 'ip:172.18.39.5'], ['host:workstation6.theshire.local', 'ip:172.18.39.6']],
    );
  });

  test('the process tree follows ProcessGuid/ParentProcessGuid of every Sysmon process creation', async (t) => {
    const core = await caseWith(t, [SCHTASK]);
    const g = await call(core, 'graph.case', { caseId: core.caseId, limit: 5000, groupLeavesAbove: 10_000 });
    const pairs = core.store.db
      .prepare(
        `SELECT lower(json_extract(original, '$.ParentProcessGuid')) AS parent, lower(json_extract(original, '$.ProcessGuid')) AS child FROM events
         WHERE case_id = ? AND json_extract(doc, '$.event.module') = 'sysmon' AND json_extract(doc, '$.event.code') = '1'`,
      )
      .all(core.caseId) as { parent: string; child: string }[];
    const spawnedFromGuids = g.edges.filter((e) => e.type === 'spawned' && e.target.startsWith('process:{')).map((e) => `${e.source} ${e.target}`);
    assert.deepEqual(spawnedFromGuids.sort(), pairs.map((p) => `process:${p.parent} process:${p.child}`).sort());
    assert.equal(pairs.length, 10);
    const label = (id: string) => node(g.nodes, id)!.label;
    for (const [parent, child] of [
      ['{67e11d8c-eb56-5fdd-1f97-000000000700}', '{67e11d8c-eb56-5fdd-2097-000000000700}'],
      ['{67e11d8c-e98f-5fdd-0497-000000000700}', '{67e11d8c-eb56-5fdd-1f97-000000000700}'],
    ] as const) {
      const e = edge(g.edges, `spawned:process:${parent}->process:${child}`)!;
      assert.ok(e, `${parent} spawned ${child}`);
    }
    assert.deepEqual(
      [label('process:{67e11d8c-eb56-5fdd-1f97-000000000700}'), label('process:{67e11d8c-eb56-5fdd-2097-000000000700}')],
      ['cmd.exe (460)', 'schtasks.exe (8920)'],
    );
  });
});

describe('graph.records of grouped leaves', () => {
  test('a group node has the records of all its leaves, an edge to it those of the edges it merged', async (t) => {
    const core = await caseWith(t, [LSASS_WINDOWS, ...LSASS_ZEEK]);
    const caseId = core.caseId;
    const hub = 'process:{57be2c82-2583-64de-2600-000000000600}';
    const group = `group:${hub}:file`;
    const grouped = await call(core, 'graph.case', { caseId, limit: 5000 });
    assert.deepEqual([node(grouped.nodes, group)?.label, node(grouped.nodes, group)?.records], ['38 file nodes', 124]);

    // The same leaves, ungrouped: the 38 files that only this process touched.
    const whole = await call(core, 'graph.case', { caseId, limit: 5000, groupLeavesAbove: 10_000 });
    const leafEdges = whole.edges.filter((e) => e.source === hub && e.type === 'accessed' && whole.edges.filter((f) => f.source === e.target || f.target === e.target).length === 1);
    assert.equal(leafEdges.length, 38);
    // Each leaf has few enough records that its node lists them all (records = eventIds), so their union is exact.
    const leaves = leafEdges.map((e) => node(whole.nodes, e.target)!);
    assert.ok(leaves.every((n) => n.records === n.eventIds.length));
    const expected = new Set(leaves.flatMap((n) => n.eventIds));
    assert.equal(expected.size, 124);

    const ofGroup = await call(core, 'graph.records', { caseId, nodeId: group, limit: 1000 });
    assert.equal(ofGroup.total, expected.size);
    assert.deepEqual(new Set(ofGroup.rows.map((r) => r.id)), expected);
    const ofEdge = await call(core, 'graph.records', { caseId, edgeId: `accessed:${hub}->${group}`, limit: 1000 });
    assert.deepEqual([ofEdge.total, new Set(ofEdge.rows.map((r) => r.id))], [expected.size, expected]);

    const unknown = await core.router.invoke('graph.records', { caseId, nodeId: 'group:host:nowhere.example:file', limit: 10 }, alice);
    assert.deepEqual(unknown.ok ? null : [unknown.error.code, unknown.error.message], ['not_found', `No node or edge group:host:nowhere.example:file in the graph of case ${caseId}.`]);
  });
});

describe('saved views, entities from the graph, bad input', () => {
  test('a view round-trips, is replaced by name, survives reopening and is journaled', async (t) => {
    const core = await caseWith(t, [SCHTASK]);
    const caseId = core.caseId;
    const saved = await call(core, 'graph.view.save', {
      caseId,
      name: 'lateral',
      positions: { 'host:workstation5.theshire.local': { x: 10, y: 20.5 } },
      filters: { types: ['host', 'user'], from: '2020-12-19T12:00:00.000Z' },
      hidden: ['ip:172.18.39.5'],
      pinned: ['host:workstation6.theshire.local'],
    });
    const got = await call(core, 'graph.view.get', { caseId, name: 'lateral' });
    assert.deepEqual(got, saved);
    assert.deepEqual(got.filters, { types: ['host', 'user'], from: '2020-12-19T12:00:00.000Z' });
    await call(core, 'graph.view.save', { caseId, name: 'lateral', hidden: [] });
    await call(core, 'graph.view.save', { caseId, name: 'all' });
    // Reopened from its file, the case still has its views.
    core.close();
    const reopened = Object.assign(openCore({ dbPath: core.dbPath, createDir: false, clock: steppingClock(START), ids: sequentialIds(), appVersion: 'test' }), {
      dir: core.dir, dbPath: core.dbPath, caseId,
    });
    defer(t, () => reopened.close());
    const listed = await call(reopened, 'graph.view.list', { caseId });
    assert.deepEqual(listed.views.map((v) => [v.name, Object.keys(v.positions).length, v.hidden]), [['all', 0, []], ['lateral', 0, []]]);
    const journal = (await journalOf(reopened, caseId)).filter((e) => e.action === 'graph.view.saved');
    assert.deepEqual(journal.map((e) => e.payload), [
      { name: 'lateral', nodes: 1, filters: { types: ['host', 'user'], from: '2020-12-19T12:00:00.000Z' }, hidden: 1, pinned: 1 },
      { name: 'lateral', nodes: 0, filters: {}, hidden: 0, pinned: 0 },
      { name: 'all', nodes: 0, filters: {}, hidden: 0, pinned: 0 },
    ]);
  });

  test('entity.add puts a canonical entity in the case and the graph, journaled', async (t) => {
    const core = await caseWith(t, [SCHTASK]);
    const caseId = core.caseId;
    const added = await call(core, 'entity.add', { caseId, type: 'host', value: 'FILESRV01.theshire.local.' });
    assert.deepEqual({ ...added, id: undefined }, { id: undefined, type: 'host', value: 'FILESRV01.theshire.local.', canonical: 'filesrv01.theshire.local', nodeId: 'host:filesrv01.theshire.local', created: true });
    const again = await call(core, 'entity.add', { caseId, type: 'host', value: 'workstation6.theshire.local' });
    assert.equal(again.created, false);
    const g = await call(core, 'graph.case', { caseId, types: ['host'], limit: 100 });
    assert.deepEqual(node(g.nodes, 'host:filesrv01.theshire.local')?.data, { manual: true });
    assert.deepEqual((await journalOf(core, caseId)).filter((e) => e.action === 'entity.added').map((e) => e.payload.canonical), ['filesrv01.theshire.local', 'workstation6.theshire.local']);
    assert.deepEqual(await core.router.invoke('entity.add', { caseId, type: 'ip', value: '10.0.0.300' }, alice), {
      ok: false,
      error: { code: 'invalid_input', message: '"10.0.0.300" is not a ip Quell can use.', issues: [{ path: 'input.value', message: 'not a valid ip' }] },
    });
  });

  test('unknown node, edge, case, view and record give exact errors', async (t) => {
    const core = await caseWith(t, [SCHTASK]);
    const caseId = core.caseId;
    assert.deepEqual(await core.router.invoke('graph.neighbors', { caseId, nodeId: 'host:nowhere' }, alice), {
      ok: false,
      error: { code: 'not_found', message: `No node or edge host:nowhere in the graph of case ${caseId}.`, details: { caseId, id: 'host:nowhere' } },
    });
    assert.deepEqual(await core.router.invoke('graph.records', { caseId, edgeId: 'spawned:a->b' }, alice), {
      ok: false,
      error: { code: 'not_found', message: `No node or edge spawned:a->b in the graph of case ${caseId}.`, details: { caseId, id: 'spawned:a->b' } },
    });
    assert.deepEqual(await core.router.invoke('graph.case', { caseId: 'case_9999' }, alice), {
      ok: false,
      error: { code: 'not_found', message: 'No case with id case_9999.', details: { caseId: 'case_9999' } },
    });
    assert.deepEqual(await core.router.invoke('graph.view.get', { caseId, name: 'missing' }, alice), {
      ok: false,
      error: { code: 'not_found', message: `No graph view "missing" in case ${caseId}.`, details: { caseId, name: 'missing' } },
    });
    assert.deepEqual(await core.router.invoke('graph.start', { caseId, eventId: 'ev_nope' }, alice), {
      ok: false,
      error: { code: 'not_found', message: `No record ev_nope in case ${caseId}.`, details: { caseId, eventId: 'ev_nope' } },
    });
    const bad = await core.router.invoke('graph.case', { caseId, types: ['planet'] }, alice);
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.error.code, 'invalid_input');
  });
});
