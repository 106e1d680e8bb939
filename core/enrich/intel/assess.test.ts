// Confidence rating and alert validation on the LSASS campaign: Sysmon and Zeek conn of PRD01 (192.168.1.42) with
// four feeds, three of which name the C2 10.0.5.13. The alert is the Sysmon network connection a responder picks
// out: winx64_payload.exe on PRD01 connecting to 10.0.5.13:5678 (the case holds telemetry only, no vendor alert).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { coreWithCase, fixture, fixtureLines } from '../../ingest/import.test-helpers.js';
import { alice } from '../../store/journal.test-helpers.js';

const WINDOWS = fixture('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson');
const CONN = fixture('zeek/lsass-campaign-03/conn.log');
const ALERT_TITLE = 'Network connection: winx64_payload.exe 192.168.1.42:60352 -> 10.0.5.13:5678';
const FEEDS = [
  ['intel/stix-c2-bundle.json', 'cti-stix', 'B'],
  ['intel/misp-event.json', 'misp-community', 'C'],
  ['intel/blocklist.csv', 'blocklist', 'A'],
  ['intel/watchlist.csv', 'watchlist', 'D'],
] as const;

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

async function lsassCase(t: TestContext) {
  const core = await coreWithCase(t);
  await ok(core.router.invoke('evidence.import', { caseId: core.caseId, paths: [WINDOWS, CONN] }, alice));
  for (const [file, name, reliability] of FEEDS) await ok(core.router.invoke('intel.feed.import', { path: fixture(file), name, reliability }, alice));
  const listed = await ok(core.router.invoke('event.list', { caseId: core.caseId, entity: { type: 'ip', canonical: '10.0.5.13' }, limit: 1000 }, alice));
  const alert = listed.rows.find((r) => r.title === ALERT_TITLE);
  assert.ok(alert, 'the Sysmon connection of winx64_payload.exe is in the case');
  return Object.assign(core, { alertId: alert.id as string, alertTs: alert.ts });
}

/** conn.log records from PRD01 to the C2, read straight from the fixture: [time, destination port, bytes]. */
function zeekConnectionsToC2(): [string, number, number | null][] {
  const lines = fs.readFileSync(CONN, 'utf8').split('\n');
  const fields = lines.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  const col = (name: string) => fields.indexOf(name);
  const out: [string, number, number | null][] = [];
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    const f = line.split('\t');
    if (f[col('id.orig_h')] !== '192.168.1.42' || f[col('id.resp_h')] !== '10.0.5.13') continue;
    const bytes = [f[col('orig_bytes')], f[col('resp_bytes')]].filter((b) => b !== '-').map(Number);
    out.push([new Date(Number(f[col('ts')]) * 1000).toISOString(), Number(f[col('id.resp_p')]), bytes.length ? bytes.reduce((a, b) => a + b, 0) : null]);
  }
  return out.sort();
}

/** Sysmon EventID 3 records from PRD01 to the C2 in the fixture, by source port. */
function sysmonConnectionsToC2(): string[] {
  return fixtureLines('windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson')
    .map((b) => JSON.parse(b.toString('utf8')) as Record<string, unknown>)
    .filter((r) => r.EventID === 3 && r.SourceIp === '192.168.1.42' && r.DestinationIp === '10.0.5.13')
    .map((r) => String(r.SourcePort))
    .sort();
}

describe('confidence rating', () => {
  test('three of four feeds confirm 10.0.5.13: automatic by default, stored and shown with feeds and thresholds', async (t) => {
    const core = await lsassCase(t);
    const rated = await ok(core.router.invoke('intel.rate', { caseId: core.caseId, eventIds: [core.alertId] }, alice));
    assert.deepEqual([rated.feedCount, rated.required, rated.counts], [4, { automatic: 3, analyst: 2 }, { automatic: 1, analyst: 0, discard: 0 }]);
    assert.deepEqual(rated.thresholds, { automatic: { kind: 'allBut', n: 1 }, analyst: { kind: 'atLeast', n: 2 } });
    assert.deepEqual(rated.rated, [
      {
        eventId: core.alertId,
        routing: 'automatic',
        confirmations: 3,
        feeds: [
          { name: 'blocklist', reliability: 'A' },
          { name: 'cti-stix', reliability: 'B' },
          { name: 'misp-community', reliability: 'C' },
        ],
      },
    ]);
    const stored = await ok(core.router.invoke('intel.assessment.get', { caseId: core.caseId, eventId: core.alertId }, alice));
    assert.equal(stored.validation, null);
    assert.deepEqual(stored.rating?.indicators, [{ type: 'ip', canonical: '10.0.5.13', feeds: rated.rated[0]!.feeds }]);
    assert.deepEqual([stored.rating?.routing, stored.rating?.required, stored.rating?.feedCount], ['automatic', { automatic: 3, analyst: 2 }, 4]);

    // No alerts in this case: rating "every alert" rates none, and says so in the journal.
    const all = await ok(core.router.invoke('intel.rate', { caseId: core.caseId }, alice));
    assert.deepEqual([all.rated, all.counts], [[], { automatic: 0, analyst: 0, discard: 0 }]);
  });

  test('custom thresholds are stored and route the same alert to an analyst or discard it', async (t) => {
    const core = await lsassCase(t);
    const set = await ok(
      core.router.invoke('intel.thresholds.set', { thresholds: { automatic: { kind: 'atLeast', n: 4 }, analyst: { kind: 'fraction', f: 0.5 } } }, alice),
    );
    assert.deepEqual([set.isDefault, set.feedCount, set.required], [false, 4, { automatic: 4, analyst: 2 }]);
    let rated = await ok(core.router.invoke('intel.rate', { caseId: core.caseId, eventIds: [core.alertId] }, alice));
    assert.deepEqual([rated.rated[0]!.routing, rated.rated[0]!.confirmations], ['analyst', 3]);

    await ok(core.router.invoke('intel.thresholds.set', { thresholds: { automatic: { kind: 'allBut', n: 0 }, analyst: { kind: 'allBut', n: 0 } } }, alice));
    rated = await ok(core.router.invoke('intel.rate', { caseId: core.caseId, eventIds: [core.alertId] }, alice));
    assert.deepEqual([rated.required, rated.rated[0]!.routing], [{ automatic: 4, analyst: 4 }, 'discard']);
    const got = await ok(core.router.invoke('intel.thresholds.get', {}, alice));
    assert.deepEqual(got.thresholds, { automatic: { kind: 'allBut', n: 0 }, analyst: { kind: 'allBut', n: 0 } });

    const journal = await ok(core.router.invoke('journal.list', { caseId: core.caseId, limit: 1000 }, alice));
    const ratings = journal.entries.filter((e) => e.action === 'intel.rated').map((e) => (e.payload as { routings: unknown }).routings);
    assert.deepEqual(ratings, [{ [core.alertId]: 'analyst' }, { [core.alertId]: 'discard' }]);
  });

  test('re-importing a feed without the C2 drops a confirmation: analyst under the defaults', async (t) => {
    const core = await lsassCase(t);
    await ok(core.router.invoke('intel.feed.import', { path: fixture('intel/blocklist-v2.csv'), name: 'blocklist', reliability: 'A' }, alice));
    const rated = await ok(core.router.invoke('intel.rate', { caseId: core.caseId, eventIds: [core.alertId] }, alice));
    assert.deepEqual([rated.feedCount, rated.rated[0]!.confirmations, rated.rated[0]!.routing], [4, 2, 'analyst']);
    assert.deepEqual(rated.rated[0]!.feeds.map((f) => f.name), ['cti-stix', 'misp-community']);
  });

  test('an unknown record, or no feeds at all, is refused', async (t) => {
    const core = await coreWithCase(t);
    const none = await core.router.invoke('intel.rate', { caseId: core.caseId }, alice);
    assert.deepEqual(none.ok ? null : [none.error.code, none.error.message], [
      'conflict',
      'No threat-intel feeds are imported, so nothing can confirm an indicator; import one first (quell intel import).',
    ]);
    await ok(core.router.invoke('intel.feed.import', { path: fixture('intel/blocklist.csv'), name: 'blocklist', reliability: 'A' }, alice));
    const missing = await core.router.invoke('intel.rate', { caseId: core.caseId, eventIds: ['ev_nope'] }, alice);
    assert.deepEqual(missing.ok ? null : [missing.error.code, missing.error.message], ['not_found', `No record ev_nope in case ${core.caseId}.`]);
  });
});

describe('alert validation', () => {
  test('qualified: every Zeek conn and Sysmon connection from PRD01 to the C2 within 30 days is attached', async (t) => {
    const core = await lsassCase(t);
    const result = await ok(core.router.invoke('alert.validate', { caseId: core.caseId, alertId: core.alertId }, alice));
    assert.deepEqual(result.counts, { qualified: 1, not_relevant: 0 });
    const v = result.results[0]!;
    assert.deepEqual([v.status, v.ips, v.ipSource, v.windowDays], ['qualified', ['10.0.5.13'], 'feeds', 30]);

    const zeek = v.evidence.filter((e) => e.format === 'zeek-tsv');
    const expected = zeekConnectionsToC2();
    assert.equal(expected.length, 9);
    assert.deepEqual(zeek.map((e) => [e.ts, e.destinationPort, e.bytes]).sort(), expected);
    // The alert itself is the claim, not evidence: the other six of the seven Sysmon connections are attached.
    const sysmon = v.evidence.filter((e) => e.format === 'windows-nxlog');
    assert.deepEqual(sysmonConnectionsToC2(), ['53171', '60349', '60352', '60353', '60354', '60357', '60358']);
    assert.equal(sysmon.length, 6);
    assert.ok(!v.evidence.some((e) => e.eventId === core.alertId));
    assert.deepEqual([...new Set(v.evidence.map((e) => `${e.internalIp} ${e.maliciousIp}`))], ['192.168.1.42 10.0.5.13']);
    assert.deepEqual([...new Set(sysmon.map((e) => e.host))], ['PRD01.pandalab.com']);
    assert.equal(
      v.reason,
      `15 connections from internal address 192.168.1.42 to 10.0.5.13 between ${v.from} and ${v.to} (30 days either side of the alert).`,
    );
    assert.deepEqual([v.from, v.to], ['2023-07-19T15:56:50.739Z', '2023-09-17T15:56:50.739Z']);

    const stored = await ok(core.router.invoke('intel.assessment.get', { caseId: core.caseId, eventId: core.alertId }, alice));
    const { eventId: _alert, ...validation } = v;
    assert.deepEqual(stored.validation, validation);
    const journal = await ok(core.router.invoke('journal.list', { caseId: core.caseId, limit: 1000 }, alice));
    const entry = journal.entries.find((e) => e.action === 'alert.validated')!.payload as { counts: unknown; alerts: { evidence: string[] }[] };
    assert.deepEqual([entry.counts, entry.alerts[0]!.evidence.length], [{ qualified: 1, not_relevant: 0 }, 15]);
  });

  test('window edges are inclusive: a connection exactly at the edge counts, one millisecond less drops it', async (t) => {
    const core = await lsassCase(t);
    // The Zeek conn record of the alert's own connection (port 60352) starts 26.792 s after the Sysmon event.
    const edgeMs = Date.parse('2023-08-18T15:57:17.531Z') - Date.parse(core.alertTs);
    assert.equal(edgeMs, 26_792);
    const validate = async (ms: number) => {
      const r = await ok(core.router.invoke('alert.validate', { caseId: core.caseId, alertId: core.alertId, windowDays: ms / 86_400_000 }, alice));
      return r.results[0]!.evidence.map((e) => e.ts);
    };
    const at = await validate(edgeMs);
    assert.deepEqual(at, [
      '2023-08-18T15:56:32.090Z',
      '2023-08-18T15:56:32.090Z',
      '2023-08-18T15:56:41.702Z',
      '2023-08-18T15:56:41.713Z',
      '2023-08-18T15:56:56.146Z',
      '2023-08-18T15:56:56.427Z',
      '2023-08-18T15:57:17.531Z',
    ]);
    assert.deepEqual(await validate(edgeMs - 1), at.slice(0, -1));
  });

  test('not relevant: an IP nobody connected to, and a record whose IPs no feed confirms', async (t) => {
    const core = await lsassCase(t);
    const named = await ok(core.router.invoke('alert.validate', { caseId: core.caseId, alertId: core.alertId, ips: ['203.0.113.66'] }, alice));
    const v = named.results[0]!;
    assert.deepEqual([v.status, v.ips, v.ipSource, v.evidence], ['not_relevant', ['203.0.113.66'], 'explicit', []]);
    assert.equal(
      v.reason,
      "No connection from an internal address to 203.0.113.66 between 2023-07-19T15:56:50.739Z and 2023-09-17T15:56:50.739Z (30 days either side of the alert) in the case's network connection records (Zeek conn, Sysmon network connection, Suricata flow).",
    );

    const dns = await ok(core.router.invoke('event.list', { caseId: core.caseId, entity: { type: 'ip', canonical: '192.168.1.4' }, limit: 1 }, alice));
    const other = await ok(core.router.invoke('alert.validate', { caseId: core.caseId, alertId: dns.rows[0]!.id }, alice));
    assert.deepEqual([other.results[0]!.status, other.results[0]!.ips], ['not_relevant', []]);
    assert.equal(
      other.results[0]!.reason,
      'No IP of this record is confirmed by a threat-intel feed, so there is no malicious IP to look for; name one explicitly to validate against it.',
    );

    const bad = await core.router.invoke('alert.validate', { caseId: core.caseId, alertId: core.alertId, ips: ['10.0.5'] }, alice);
    assert.deepEqual(bad.ok ? null : [bad.error.code, bad.error.message], ['invalid_input', '"10.0.5" is not an IPv4 or IPv6 address.']);
  });
});

describe('every alert of a case', () => {
  test('Suricata alerts: one feed rates them all discard by default; validation picks only alerts with a confirmed IP', async (t) => {
    const core = await coreWithCase(t);
    await ok(core.router.invoke('evidence.import', { caseId: core.caseId, paths: [fixture('suricata/eve-alerts.ndjson')] }, alice));
    const feed = `${core.dir}/curl-and-apt.csv`;
    fs.writeFileSync(feed, 'value,type\n93.184.216.34,ip\n91.189.91.23,ip\n');
    await ok(core.router.invoke('intel.feed.import', { path: feed, name: 'only-feed', reliability: 'F' }, alice));
    const records = fixtureLines('suricata/eve-alerts.ndjson').map((b) => JSON.parse(b.toString('utf8')) as Record<string, unknown>);
    const alerts = records.filter((r) => r.event_type === 'alert');
    const named = alerts.filter((r) => r.dest_ip === '93.184.216.34' || r.dest_ip === '91.189.91.23');
    assert.deepEqual([alerts.length, named.length], [21, 16]);

    // With one feed "two confirming" can never be met: nothing is trusted on a single source's word.
    const rated = await ok(core.router.invoke('intel.rate', { caseId: core.caseId }, alice));
    assert.deepEqual([rated.required, rated.counts], [{ automatic: 2, analyst: 2 }, { automatic: 0, analyst: 0, discard: 21 }]);
    assert.equal(rated.rated.filter((r) => r.confirmations === 1).length, 16);

    // No flow records in this case: each of the 16 is not relevant, and the other five are left alone.
    const validated = await ok(core.router.invoke('alert.validate', { caseId: core.caseId }, alice));
    assert.deepEqual(validated.counts, { qualified: 0, not_relevant: 16 });
    const ips = validated.results.map((r) => r.ips[0]).sort();
    assert.deepEqual([ips.filter((i) => i === '93.184.216.34').length, ips.filter((i) => i === '91.189.91.23').length], [6, 10]);
    const stored = core.store.db.prepare("SELECT count(*) AS n FROM alert_assessments WHERE validation = 'not_relevant'").get() as { n: number };
    assert.equal(stored.n, 16);
  });
});

describe('Suricata flows and IPv6', () => {
  test('a flow from a unique-local address to a feed IPv6 address is evidence, with its bytes; canonical forms join', async (t) => {
    const core = await coreWithCase(t);
    // The real flow and TLS records of the fixture; the flow's link-local ends are moved to a unique-local source
    // (RFC 4193, internal) and a documentation destination, written zero-padded as Suricata writes them.
    const lines = fixtureLines('suricata/eve-mixed-small.ndjson').map((b) => b.toString('utf8'));
    const flow = lines.find((l) => l.includes('"event_type":"flow"'))!
      .replace('fe80:0000:0000:0000:fada:0cff:fedc:87f1', 'fd00:0000:0000:0000:0000:0000:0000:0042')
      .replace('ff02:0000:0000:0000:0000:0000:0001:0002', '2001:0db8:0000:0000:0000:0000:0000:0066');
    const tls = lines.find((l) => l.includes('"event_type":"tls"') && l.includes('89.160.20.112'))!;
    const file = `${core.dir}/eve-flow.ndjson`;
    fs.writeFileSync(file, `${tls}\n${flow}\n`);
    await ok(core.router.invoke('evidence.import', { caseId: core.caseId, paths: [file] }, alice));
    const feed = `${core.dir}/v6.csv`;
    fs.writeFileSync(feed, 'value,type\n2001:DB8::66,ipv6\n');
    await ok(core.router.invoke('intel.feed.import', { path: feed, name: 'v6', reliability: 'E' }, alice));

    const rows = (await ok(core.router.invoke('event.list', { caseId: core.caseId }, alice))).rows;
    const flowRow = rows.find((r) => r.title.startsWith('Suricata flow'))!;
    const tlsRow = rows.find((r) => r.title.startsWith('TLS'))!;
    const rated = await ok(core.router.invoke('intel.rate', { caseId: core.caseId, eventIds: [flowRow.id] }, alice));
    assert.deepEqual([rated.rated[0]!.confirmations, rated.rated[0]!.feeds], [1, [{ name: 'v6', reliability: 'E' }]]);

    const result = await ok(core.router.invoke('alert.validate', { caseId: core.caseId, alertId: tlsRow.id, ips: ['2001:0db8::0066'] }, alice));
    assert.equal(result.results[0]!.status, 'qualified');
    assert.deepEqual(result.results[0]!.evidence, [
      {
        eventId: flowRow.id,
        format: 'suricata-eve',
        ts: '2018-07-05T19:51:54.001Z',
        internalIp: 'fd00::42',
        host: null,
        maliciousIp: '2001:db8::66',
        destinationPort: 547,
        bytes: 110,
      },
    ]);
  });
});
