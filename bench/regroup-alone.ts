// Scratch measurement behind the import figure's memory: runs only the incident regrouping of one case of an existing
// Quell database (regroupIncidents, as an import's end runs it), then prints its peak RSS, its time and a digest of
// the grouped incidents and their members, so a change to the regrouping can be checked to give the very same
// incidents. It rewrites that case's grouped incidents: run it on a copy.
//
//   node --import tsx bench/regroup-alone.ts QUELL_DB CASE_ID
import { createHash } from 'node:crypto';
import { regroupIncidents } from '../core/ingest/index.js';
import { Store } from '../core/store/index.js';

const [dbFile, caseId] = process.argv.slice(2);
if (!dbFile || !caseId) {
  console.error('usage: node --import tsx bench/regroup-alone.ts QUELL_DB CASE_ID');
  process.exit(2);
}

const mb = (bytes: number) => Math.round(bytes / 1e6);
const store = Store.open(dbFile, { appVersion: 'bench' });
const before = process.resourceUsage().maxRSS * 1024;
const started = performance.now();
// A fixed time, so that the digest of two runs compares only what the grouping decided.
const result = regroupIncidents(store, caseId, { at: '2026-01-01T00:00:00.000Z', actor: { kind: 'importer', id: 'bench' } });
const seconds = (performance.now() - started) / 1000;
const peak = process.resourceUsage().maxRSS * 1024;
const digest = createHash('sha256');
const grouped = "i.case_id = ? AND i.origin = 'grouped'";
for (const row of store.db
  .prepare(`SELECT id, title, status, risk, level, rationale, first_ts, last_ts, summary, detail FROM incidents i WHERE ${grouped} ORDER BY id`)
  .raw()
  .iterate(caseId)) digest.update(JSON.stringify(row));
for (const row of store.db
  .prepare(`SELECT m.incident_id, m.event_id FROM incident_members m JOIN incidents i ON i.id = m.incident_id WHERE ${grouped} ORDER BY 1, 2`)
  .raw()
  .iterate(caseId)) digest.update(JSON.stringify(row));
store.close();
console.log(`${result.incidents} incidents, ${result.members} members in ${seconds.toFixed(1)} s; peak RSS ${mb(peak)} MB (${mb(before)} MB before the regroup); digest ${digest.digest('hex')}`);
