// The alerts the emulator holds: the recorded Kibana alert documents (es_archiver ndjson, when a data folder is
// given) followed by generated volume that replicates them with new ids, hosts and times.
import fs from 'node:fs';
import path from 'node:path';
import { replicate, type Rng } from '../../sdk/index.js';
import type { Source, StoredDoc } from './query.js';

/** The recorded file, as copied into fixtures/elastic/ (tests) or content/emulators/elastic/ (shipped). */
export const RECORDED_FILE = 'kibana-es-archive-alert-docs.ndjson';

export const CONCRETE_INDEX = '.internal.alerts-security.alerts-default-000001';

export interface RecordedAlert {
  index: string;
  id: string;
  source: Source;
}

/**
 * Reads the es_archiver documents that are 8.x detection alerts (`kibana.alert.uuid`); 7.x `.siem-signals-*`
 * documents do not live in the 8.x alerts index the emulated Kibana reads, so they are left out.
 */
export function loadRecorded(contentDir: string | undefined): RecordedAlert[] {
  if (!contentDir) return [];
  const file = path.join(contentDir, 'elastic', RECORDED_FILE);
  if (!fs.existsSync(file)) return [];
  const out: RecordedAlert[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { value?: { index?: string; id?: string; source?: Source } };
    const v = record.value;
    if (!v?.source || typeof v.source['kibana.alert.uuid'] !== 'string' || !v.index?.startsWith('.internal.alerts-security.alerts-')) continue;
    out.push({ index: v.index, id: v.id ?? String(v.source['kibana.alert.uuid']), source: v.source });
  }
  return out;
}

/**
 * A template written for the emulator from the documented alert fields (CONNECTOR-APIS.md §1), used for generated
 * volume when no recorded documents are available (a build that does not ship them).
 */
export const BUILTIN_TEMPLATE: Source = {
  '@timestamp': '2025-01-01T00:00:00.000Z',
  'kibana.alert.uuid': 'template',
  'kibana.alert.status': 'active',
  'kibana.alert.workflow_status': 'open',
  'kibana.alert.severity': 'high',
  'kibana.alert.risk_score': 73,
  'kibana.alert.rule.name': 'Suspicious PowerShell Encoded Command',
  'kibana.alert.rule.uuid': '5d0a2b8e-6c1f-4b7e-9a51-0c3e8f2d1a10',
  'kibana.alert.rule.rule_id': 'e1e5f9a0-3c7d-4f1b-8a2e-7b6d5c4a3f21',
  'kibana.alert.rule.category': 'Custom Query Rule',
  'kibana.alert.rule.threat': [
    {
      framework: 'MITRE ATT&CK',
      tactic: { id: 'TA0002', name: 'Execution', reference: 'https://attack.mitre.org/tactics/TA0002/' },
      technique: [{ id: 'T1059', name: 'Command and Scripting Interpreter', subtechnique: [{ id: 'T1059.001', name: 'PowerShell' }] }],
    },
  ],
  'kibana.alert.reason': 'process event with process powershell.exe created high alert Suspicious PowerShell Encoded Command.',
  'kibana.alert.original_time': '2025-01-01T00:00:00.000Z',
  'kibana.alert.depth': 1,
  'kibana.space_ids': ['default'],
  'event.kind': 'signal',
  'event.category': ['process'],
  'event.type': ['start'],
  'event.action': 'start',
  host: { name: 'template', hostname: 'template', os: { name: 'Windows', platform: 'windows' } },
  agent: { id: 'template', type: 'endpoint', version: '8.15.0' },
  user: { name: 'svc-backup', domain: 'CORP' },
  process: { name: 'powershell.exe', executable: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', pid: 4242, command_line: 'powershell.exe -enc SQBFAFgA' },
};

/** Kibana's alert uuids are 64 hex characters (a sha256 of the source event and rule). */
export const alertUuid = (rng: Rng) => rng.hex(64);

export interface Host {
  name: string;
  agentId: string;
}

export function hostPool(rng: Rng, size = 48): Host[] {
  return Array.from({ length: size }, (_, i) => ({ name: `ws-${String(i + 1).padStart(3, '0')}.corp.example`, agentId: rng.uuid() }));
}

/**
 * The recorded alerts, then `count` alerts cloned from them (or from the built-in template), spread over the 12 hours before `now`, three to a millisecond so that
 * paging must break ties on the alert uuid.
 */
export function generate(recorded: RecordedAlert[], count: number, seed: number, hosts: Host[], now: number): RecordedAlert[] {
  const span = 12 * 3_600_000;
  const step = count ? Math.max(1, Math.floor(span / Math.ceil(count / 3))) : 0;
  const start = now - span;
  const templates = recorded.length ? recorded : [{ index: CONCRETE_INDEX, id: 'template', source: BUILTIN_TEMPLATE }];
  const all = replicate(templates, count, seed, (template, i, rng) => {
    const host = rng.pick(hosts);
    const ts = start + Math.floor(i / 3) * step;
    const id = alertUuid(rng);
    // Shallow: replicas share the template's nested objects, which nothing mutates (status updates write flat keys).
    const source: Source = { ...template.source };
    source['@timestamp'] = new Date(ts).toISOString();
    source['kibana.alert.original_time'] = new Date(ts - 5_000).toISOString();
    if ('kibana.alert.last_detected' in source) source['kibana.alert.last_detected'] = new Date(ts).toISOString();
    source['kibana.alert.uuid'] = id;
    source['kibana.alert.workflow_status'] = 'open';
    source['kibana.space_ids'] = ['default'];
    const prevHost = (source.host ?? {}) as Source;
    source.host = { ...prevHost, name: host.name, hostname: host.name.split('.')[0] };
    const prevAgent = (source.agent ?? {}) as Source;
    source.agent = { ...prevAgent, id: host.agentId, type: 'endpoint' };
    return { index: CONCRETE_INDEX, id, source };
  });
  // Without recorded alerts the built-in template only shapes the generated ones; it is not an alert itself.
  return recorded.length ? all : all.slice(1);
}

/** Stored in stream order, `@timestamp` then alert uuid, which is the order a complete pull sees them in. */
export function toStored(alerts: RecordedAlert[]): StoredDoc[] {
  return alerts
    .map((a) => ({ index: a.index, id: a.id, source: a.source, ts: Date.parse(String(a.source['@timestamp'])), seq: 0 }))
    .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((d, seq) => ({ ...d, seq }));
}
