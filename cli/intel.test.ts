// quell intel … and quell alerts validate, driven through runCli on a real database: the LSASS campaign with the four
// feeds written for Quell, as a responder would type it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { openCore } from '../core/app.js';
import { fixture } from '../core/ingest/import.test-helpers.js';
import { systemClock, sequentialIds } from '../core/runtime.js';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { runCli } from './main.js';

function cli(t: TestContext) {
  const home = tempDir(t);
  const env = { QUELL_HOME: home, QUELL_ANALYST: 'tester' };
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, untilStopped: Promise.resolve() });
    return { code, stdout, stderr };
  };
  return { run, dbPath: path.join(home, 'quell.db') };
}

/** The event id of the record with this title, read the way the desktop app would (through the router). */
async function eventIdByTitle(dbPath: string, caseId: string, title: string): Promise<string> {
  const core = openCore({ dbPath, createDir: false, clock: systemClock, ids: sequentialIds(), appVersion: 'test' });
  try {
    const listed = await core.router.invoke('event.list', { caseId, text: 'winx64_payload.exe 60352', limit: 10 }, { kind: 'analyst', id: 'tester' });
    if (!listed.ok) throw new Error(listed.error.message);
    const row = listed.value.rows.find((r) => r.title === title);
    if (!row) throw new Error(`no record titled ${title}`);
    return row.id;
  } finally {
    core.close();
  }
}

describe('quell intel and alerts validate', () => {
  test('import four feeds, rate the C2 connection automatic, qualify it with the Zeek and Sysmon connections', async (t) => {
    const { run, dbPath } = cli(t);
    const caseId = (await run('case', 'new', 'LSASS campaign')).stdout.trim();
    const imported = await run('import', '--case', caseId, fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson'), fixture('zeek/lsass-campaign-03/conn.log'));
    assert.equal(imported.code, 0, imported.stderr);

    const stix = await run('intel', 'import', fixture('intel/stix-c2-bundle.json'), '--name', 'cti-stix', '--reliability', 'b');
    assert.deepEqual([stix.code, stix.stderr], [0, '']);
    assert.equal(
      stix.stdout,
      'Imported feed cti-stix (stix, reliability B): 4 indicators (ip 1, domain 1, url 1, hash 1), 1 repeated\n' +
        '  skipped 1: STIX identity\n  skipped 1: STIX malware\n  skipped 1: STIX relationship\n' +
        "  unsupported indicator--0f3c6f5e-8a51-4b8e-9c7e-3e7f2d5c1a22: ipv4-addr:value = '198.51.100.0/24' is a CIDR range (only single addresses are matched): [ipv4-addr:value = '198.51.100.0/24']\n" +
        "  unsupported indicator--6a1d9c0e-2b7f-4d3a-a1e5-7c8b9d0e1f33: network-traffic:dst_ref.value: object type network-traffic is not supported: [network-traffic:dst_ref.value = '10.0.5.13' AND network-traffic:dst_port = 5678]\n" +
        "  unsupported indicator--7b2e0d1f-3c8a-4e4b-b2f6-8d9c0e1f2a44: FOLLOWEDBY is not supported (only comparisons joined by OR): [ipv4-addr:value = '203.0.113.7'] FOLLOWEDBY [domain-name:value = 'exfil.example'] WITHIN 300 SECONDS\n" +
        '  unsupported indicator--8c3f1e20-4d9b-4f5c-83a7-9e0d1f2a3b55: pattern_type sigma (only stix patterns are read)\n',
    );
    for (const [file, name, rel] of [['intel/misp-event.json', 'misp', 'C'], ['intel/blocklist.csv', 'blocklist', 'A'], ['intel/watchlist.csv', 'watchlist', 'D']]) {
      assert.equal((await run('intel', 'import', fixture(file!), '--name', name!, '--reliability', rel!)).code, 0);
    }
    const feeds = JSON.parse((await run('--json', 'intel', 'feeds')).stdout) as { name: string; report: { indicators: number } }[];
    assert.deepEqual(feeds.map((f) => [f.name, f.report.indicators]), [['blocklist', 5], ['cti-stix', 4], ['misp', 5], ['watchlist', 3]]);

    const alertId = await eventIdByTitle(dbPath, caseId, 'Network connection: winx64_payload.exe 192.168.1.42:60352 -> 10.0.5.13:5678');
    const rate = await run('intel', 'rate', '--case', caseId, '--event', alertId);
    assert.equal(rate.code, 0, rate.stderr);
    assert.equal(
      rate.stdout.replace(/ +\n/g, '\n'),
      '4 feeds; automatic needs 3, analyst 2. automatic 1, analyst 0, discard 0\n' +
        `EVENT${' '.repeat(alertId.length - 3)}ROUTING    CONFIRMED  FEEDS\n` +
        `${alertId}  automatic  3          blocklist (A), cti-stix (B), misp (C)\n`,
    );

    const validated = await run('--json', 'alerts', 'validate', '--case', caseId, '--alert', alertId);
    assert.equal(validated.code, 0, validated.stderr);
    const v = JSON.parse(validated.stdout) as { counts: unknown; results: { status: string; evidence: { format: string }[] }[] };
    assert.deepEqual(v.counts, { qualified: 1, not_relevant: 0 });
    assert.deepEqual(
      [v.results[0]!.evidence.filter((e) => e.format === 'zeek-tsv').length, v.results[0]!.evidence.filter((e) => e.format === 'windows-nxlog').length],
      [9, 6],
    );

    const narrow = await run('alerts', 'validate', '--case', caseId, '--alert', alertId, '--ip', '203.0.113.66', '--window-days', '1');
    assert.equal(narrow.code, 0, narrow.stderr);
    assert.equal(
      narrow.stdout,
      `qualified 0, not relevant 1\n${alertId}  not_relevant  No connection from an internal address to 203.0.113.66 between 2023-08-17T15:56:50.739Z and ` +
        "2023-08-19T15:56:50.739Z (1 day either side of the alert) in the case's network connection records (Zeek conn, Sysmon network connection, Suricata flow).\n",
    );
  });

  test('thresholds: shown, set with counts, all-but and shares, and a bad rule is a usage error', async (t) => {
    const { run } = cli(t);
    assert.equal((await run('intel', 'thresholds')).stdout, 'automatic: all-but:1 (needs 2 of 0 feeds)\nanalyst:   2 (needs 2 of 0 feeds)\n(defaults)\n');
    const set = await run('intel', 'thresholds', '--automatic', '100%', '--analyst', '1');
    assert.deepEqual([set.code, set.stdout], [0, 'automatic: 100% (needs 1 of 0 feeds)\nanalyst:   1 (needs 1 of 0 feeds)\n']);
    const bad = await run('intel', 'thresholds', '--analyst', 'many');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--analyst many: write a count \(3\), all-but:N \(all feeds but N\) or a share \(50%\)/);
    const missing = await run('intel', 'import', fixture('intel/blocklist.csv'), '--name', 'x');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--reliability is required/);
  });
});
