// The Splunk emulator's alerts: the recorded ES notable rows as they were captured, then generated notables made
// from them with new event ids, bucket offsets, hosts, users and times, in `_time` order.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedId, replicate, type Rng } from '../../sdk/index.js';
import { rowId, rowTimeMs } from '../rows.js';

export type Row = Record<string, unknown>;

export const RECORDED_FILES = ['demisto-SplunkPy-test_notable_event.json', 'demisto-SplunkPy-response_two_events.json'];

/** `content/emulators/splunk` of the checkout, for tests and `quell emulate` run from source (the CLI passes its own). */
export function defaultContentDir(): string | null {
  // import.meta.url is absent in the CommonJS bundle Electron loads; __dirname is there instead.
  let dir = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'content', 'emulators', 'splunk');
    if (fs.existsSync(path.join(candidate, RECORDED_FILES[0]!))) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}

/** The recorded rows: each file holds one row or an array of rows (SplunkPy's test data has no `results` envelope). */
export function loadRecorded(dir: string): Row[] {
  const rows: Row[] = [];
  for (const file of RECORDED_FILES) {
    const value = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Row | Row[];
    rows.push(...(Array.isArray(value) ? value : [value]));
  }
  return rows;
}

const RULES = [
  { name: 'Access - Brute Force Access Behavior Detected - Rule', domain: 'access', technique: 'T1110', tactic: 'TA0006', tacticName: 'credential-access' },
  { name: 'Endpoint - Recurring Malware Infection - Rule', domain: 'endpoint', technique: 'T1204', tactic: 'TA0002', tacticName: 'execution' },
  { name: 'Identity - Root sucess - Rule', domain: 'identity', technique: 'T1078', tactic: 'TA0004', tacticName: 'privilege-escalation' },
  { name: 'Network - Unusual Volume of Network Activity - Rule', domain: 'network', technique: undefined, tactic: undefined, tacticName: undefined },
];
const URGENCIES = ['informational', 'low', 'medium', 'high', 'critical'];
const USERS = ['alice', 'bob', 'svc_backup', 'root', 'carol'];
const INDEXER_GUID = '5E6DE97D-B137-47AB-8905-8C4F42998937';

/** Splunk's JSON `_time`: ISO-8601 with milliseconds and the server's offset (UTC here). */
const splunkTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function generate(template: Row, i: number, rng: Rng, seed: number, startMs: number): Row {
  const rule = RULES[i % RULES.length]!;
  const hash = generatedId(seed, i);
  const eventId = `${INDEXER_GUID}@@notable@@${hash}`;
  // Six alerts every seven seconds: some share a second, as notables from one correlation run do.
  const t = startMs + Math.floor((i * 6) / 7) * 1000;
  const host = `ws-${String(1 + rng.int(400)).padStart(3, '0')}`;
  const user = rng.pick(USERS);
  const row: Row = {
    ...template,
    _time: splunkTime(t),
    _indextime: String(Math.floor(t / 1000) + 3),
    _cd: `${700 + Math.floor(i / 5000)}:${i}`,
    _bkt: `notable~${700 + Math.floor(i / 5000)}~${INDEXER_GUID}`,
    _serial: String(i),
    index: 'notable',
    source: rule.name,
    search_name: rule.name,
    rule_name: rule.name,
    rule_title: rule.name,
    rule_description: `${rule.name} on ${host}`,
    security_domain: rule.domain,
    event_hash: hash,
    event_id: eventId,
    rule_id: eventId,
    indexer_guid: INDEXER_GUID,
    dest: host,
    dest_nt_host: host,
    dest_ip: `10.${rng.int(4)}.${rng.int(256)}.${1 + rng.int(254)}`,
    src: `192.0.2.${1 + rng.int(254)}`,
    user,
    src_user: user,
    urgency: rng.pick(URGENCIES),
    status: '1',
    status_label: 'New',
    status_default: 'true',
    owner: 'unassigned',
    owner_realname: 'unassigned',
  };
  if (rule.technique) {
    row['annotations.mitre_attack'] = [rule.technique];
    row['annotations.mitre_attack.mitre_technique_id'] = [rule.technique];
    row['annotations.mitre_attack.mitre_tactic_id'] = [rule.tactic];
    row['annotations.mitre_attack.mitre_tactic'] = [rule.tacticName];
  }
  return row;
}

/** Recorded rows, then `count` generated ones ending about now, in stream order (`_time`, then id). */
export function buildAlerts(dir: string, count: number, seed: number, nowMs: number): Row[] {
  const recorded = loadRecorded(dir);
  const startMs = Math.floor(nowMs / 60_000) * 60_000 - Math.ceil((count * 6) / 7) * 1000 - 60_000;
  const rows = replicate(recorded, count, seed, (template, i, rng) => generate(template, i, rng, seed, startMs));
  return rows
    .map((row) => ({ row, t: rowTimeMs(row), id: rowId(row) ?? '' }))
    .sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((x) => x.row);
}
