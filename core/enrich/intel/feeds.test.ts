// Feed import: each format read from a feed written in its real shape, exact indicator counts and canonical values,
// everything not taken accounted for, bad records refused with file and position, and a re-import replacing a feed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { fixture } from '../../ingest/import.test-helpers.js';
import { alice, openTestCore, type TestCore } from '../../store/journal.test-helpers.js';

const STIX = fixture('intel/stix-c2-bundle.json');
const MISP = fixture('intel/misp-event.json');
const CSV = fixture('intel/blocklist.csv');

async function importFeed(core: TestCore, input: Record<string, unknown>) {
  return core.router.invoke('intel.feed.import', input, alice);
}

function indicators(core: TestCore, feed: string): string[] {
  return (
    core.store.db
      .prepare('SELECT i.type, i.canonical FROM intel_indicators i JOIN intel_feeds f ON f.id = i.feed_id WHERE f.name = ? ORDER BY i.type, i.canonical')
      .all(feed) as { type: string; canonical: string }[]
  ).map((r) => `${r.type} ${r.canonical}`);
}

/** A feed written into the test's folder, for the damaged variants. */
function write(core: TestCore, name: string, text: string): string {
  const file = path.join(core.dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const count = (core: TestCore, sql: string) => (core.store.db.prepare(sql).get() as { n: number }).n;

describe('intel feeds', () => {
  test('STIX 2.1 bundle: OR patterns and SCOs become indicators; AND, FOLLOWEDBY, CIDR and sigma are reported unsupported', async (t: TestContext) => {
    const core = openTestCore(t);
    const result = await importFeed(core, { path: STIX, name: 'cti-stix', reliability: 'B' });
    assert.ok(result.ok, JSON.stringify(result));
    const r = result.value;
    assert.deepEqual([r.format, r.reliability, r.replaced], ['stix', 'B', false]);
    assert.deepEqual(r.report.byType, { ip: 1, domain: 1, url: 1, hash: 1 });
    assert.equal(r.report.indicators, 4);
    assert.equal(r.report.duplicates, 1); // the ipv4-addr SCO repeats the first indicator
    assert.deepEqual(r.report.skipped, { 'STIX identity': 1, 'STIX malware': 1, 'STIX relationship': 1 });
    assert.deepEqual(
      r.report.unsupported.map((u) => [u.ref, u.reason.split(':')[0]]),
      [
        ['indicator--0f3c6f5e-8a51-4b8e-9c7e-3e7f2d5c1a22', "ipv4-addr"],
        ['indicator--6a1d9c0e-2b7f-4d3a-a1e5-7c8b9d0e1f33', 'network-traffic'],
        ['indicator--7b2e0d1f-3c8a-4e4b-b2f6-8d9c0e1f2a44', 'FOLLOWEDBY is not supported (only comparisons joined by OR)'],
        ['indicator--8c3f1e20-4d9b-4f5c-83a7-9e0d1f2a3b55', 'pattern_type sigma (only stix patterns are read)'],
      ],
    );
    assert.equal(
      r.report.unsupported[0]!.reason,
      "ipv4-addr:value = '198.51.100.0/24' is a CIDR range (only single addresses are matched): [ipv4-addr:value = '198.51.100.0/24']",
    );
    assert.deepEqual(indicators(core, 'cti-stix'), [
      'domain update-check.example',
      'hash sha256:aad3b435b51404eeaad3b435b51404eeaad3b435b51404eeaad3b435b51404ee',
      'ip 10.0.5.13',
      'url http://10.0.5.13/winx64_payload.exe',
    ]);
    const confidence = core.store.db.prepare("SELECT confidence FROM intel_indicators WHERE canonical = '10.0.5.13'").get() as { confidence: number };
    assert.equal(confidence.confidence, 85);
  });

  test('MISP event: Attribute[] and Object[].Attribute[], only to_ids, composite values split', async (t) => {
    const core = openTestCore(t);
    const result = await importFeed(core, { path: MISP, name: 'misp', reliability: 'C' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.format, 'misp');
    assert.deepEqual(result.value.report, {
      indicators: 5,
      byType: { ip: 2, domain: 1, hash: 2 },
      duplicates: 1,
      unsupported: [],
      skipped: { 'MISP attribute not to_ids': 4 },
    });
    assert.deepEqual(indicators(core, 'misp'), [
      'domain update-check.example',
      'hash md5:31d6cfe0d16ae931b73c59d7e0c089c0',
      'hash sha256:aad3b435b51404eeaad3b435b51404eeaad3b435b51404eeaad3b435b51404ee',
      'ip 10.0.5.13',
      'ip 192.0.2.10',
    ]);
  });

  test('CSV list: header in any order and case, zero-padded IPv4, quoted fields, hash algorithm by length', async (t) => {
    const core = openTestCore(t);
    const result = await importFeed(core, { path: CSV, name: 'blocklist', reliability: 'A' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value.report, { indicators: 5, byType: { ip: 2, url: 1, hash: 2 }, duplicates: 0, unsupported: [], skipped: {} });
    assert.deepEqual(indicators(core, 'blocklist'), [
      'hash md5:d41d8cd98f00b204e9800998ecf8427e',
      'hash sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'ip 10.0.5.13',
      'ip 203.0.113.66',
      'url http://10.0.5.13/winx64_payload.exe',
    ]);
    const watch = await importFeed(core, { path: fixture('intel/watchlist.csv'), name: 'watch', reliability: 'D' });
    assert.ok(watch.ok);
    assert.deepEqual(indicators(core, 'watch'), ['domain login-portal.example', 'ip 198.51.100.23', 'ip 2001:db8::17']);
  });

  test('a bad record stops the import with file and position, and the stored feed stays as it was', async (t) => {
    const core = openTestCore(t);
    assert.ok((await importFeed(core, { path: CSV, name: 'blocklist', reliability: 'A' })).ok);
    const journalBefore = count(core, 'SELECT count(*) AS n FROM journal');
    const cases: [string, string, string, Record<string, unknown>?][] = [
      ['bad.csv', 'value,type\n10.0.5.13,ip\n\n10.0.5.999,ip\n', 'bad.csv: line 4: "10.0.5.999" is not an IPv4 or IPv6 address'],
      ['nohead.csv', '10.0.5.13,ip\n', 'nohead.csv: line 1: the header row must name the columns "value" and "type" (found "10.0.5.13", "ip")'],
      ['kind.csv', 'value,type\nbob@example.com,email\n', 'kind.csv: line 2: type "email" is not one of ip, ipv4, ipv6, ipv4-addr, ipv6-addr, ip-src, ip-dst, domain, domain-name, hostname, url, md5, sha1, sha-1, sha256, sha-256, hash'],
      ['short.csv', 'value,type,confidence\n10.0.5.13,ip\n', 'short.csv: line 2: 2 fields, the header has 3'],
      [
        'bundle.json',
        JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [{ type: 'identity', id: 'identity--1' }, { type: 'indicator', id: 'indicator--2', pattern_type: 'stix' }] }),
        'bundle.json: objects[1] (indicator--2): "pattern" is missing',
      ],
      [
        'hash.json',
        JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [{ type: 'indicator', id: 'indicator--3', pattern: "[file:hashes.MD5 = 'abc']", pattern_type: 'stix' }] }),
        'hash.json: objects[0] (indicator--3) pattern: "abc" is not an MD5 hash in hex',
      ],
      [
        'misp.json',
        JSON.stringify({ Event: { info: 'x', Attribute: [{ type: 'ip-dst', value: '10.0.5.13', to_ids: true }], Object: [{ name: 'file', Attribute: [{ type: 'sha256', to_ids: true }] }] } }),
        'misp.json: Event.Object[0].Attribute[0]: "value" is missing',
      ],
      ['notes.txt', 'just some text', 'notes.txt: cannot tell the feed format (a STIX 2.1 bundle, a MISP JSON event or a .csv file); name it with format.'],
    ];
    for (const [name, text, message] of cases) {
      const result = await importFeed(core, { path: write(core, name, text), name: 'blocklist', reliability: 'A' });
      assert.equal(result.ok, false, name);
      if (!result.ok) assert.deepEqual([result.error.code, result.error.message], ['invalid_input', message]);
    }
    const missing = await importFeed(core, { path: path.join(core.dir, 'nope.json'), name: 'x', reliability: 'A' });
    assert.deepEqual(missing.ok ? null : [missing.error.code, missing.error.message], ['not_found', `Cannot read feed file ${path.join(core.dir, 'nope.json')}: ENOENT.`]);
    assert.equal(indicators(core, 'blocklist').length, 5);
    assert.equal(count(core, 'SELECT count(*) AS n FROM journal'), journalBefore);
  });

  test('re-importing a feed replaces its indicators, and the journal (global chain) records both with counts', async (t) => {
    const core = openTestCore(t);
    assert.ok((await importFeed(core, { path: CSV, name: 'blocklist', reliability: 'A' })).ok);
    assert.ok((await importFeed(core, { path: MISP, name: 'misp', reliability: 'C' })).ok);
    const again = await importFeed(core, { path: fixture('intel/blocklist-v2.csv'), name: 'blocklist', reliability: 'B' });
    assert.ok(again.ok, JSON.stringify(again));
    assert.equal(again.value.replaced, true);
    assert.deepEqual(indicators(core, 'blocklist'), ['domain update-check.example', 'ip 203.0.113.66']);
    assert.equal(indicators(core, 'misp').length, 5);
    assert.equal(count(core, 'SELECT count(*) AS n FROM intel_indicators'), 7);
    const feeds = await core.router.invoke('intel.feed.list', {}, alice);
    assert.ok(feeds.ok);
    assert.deepEqual(feeds.value.feeds.map((f) => [f.name, f.reliability, f.report.indicators]), [['blocklist', 'B', 2], ['misp', 'C', 5]]);

    const journal = await core.router.invoke('journal.list', { limit: 100 }, alice);
    assert.ok(journal.ok);
    const entries = journal.value.entries.filter((e) => e.action === 'intel.feed.imported');
    assert.deepEqual(entries.map((e) => e.caseId), [null, null, null]);
    const last = entries[2]!.payload as Record<string, unknown>;
    assert.deepEqual(
      [last.feed, last.format, last.reliability, last.indicators, last.byType, last.replacedFeedId !== null, last.unsupported],
      ['blocklist', 'csv', 'B', 2, { domain: 1, ip: 1 }, true, 0],
    );
    const verified = await core.router.invoke('audit.verify', {}, alice);
    assert.ok(verified.ok && verified.value.ok);
  });
});
