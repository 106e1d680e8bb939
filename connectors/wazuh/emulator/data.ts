// The Wazuh emulator's data: agents from the API spec's recorded `GET /agents` example plus generated ones, and
// alerts: the recorded alerts.json sample as captured, then generated alerts made from it with new ids, agents,
// source addresses and times, in the order the indexer sorts them (timestamp, id).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { replicate, type Rng } from '../../sdk/index.js';

export type Doc = Record<string, unknown>;

export const SPEC_EXAMPLES = 'api-spec-examples-4.14.9.json';
export const ALERT_SAMPLE = 'alerts-json-sample.ndjson';

export interface Agent {
  id: string;
  name: string;
  ip: string;
  status: 'active' | 'pending' | 'never_connected' | 'disconnected';
  [k: string]: unknown;
}

/** `content/emulators/wazuh` of the checkout, for tests and `quell emulate` run from source. */
export function defaultContentDir(): string | null {
  // import.meta.url is absent in the CommonJS bundle Electron loads; __dirname is there instead.
  let dir = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'content', 'emulators', 'wazuh');
    if (fs.existsSync(path.join(candidate, ALERT_SAMPLE))) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}

export function loadSpecExamples(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, SPEC_EXAMPLES), 'utf8')) as Record<string, unknown>;
}

/** The manager (000), the three agents of the spec's example, and generated ones; 010 is disconnected, as in the doc's example. */
export function buildAgents(spec: Record<string, unknown>): Agent[] {
  const example = spec['GET /agents 200'] as { data: { affected_items: Agent[] } };
  const agents: Agent[] = [{ id: '000', name: 'wazuh-manager', ip: '127.0.0.1', status: 'active', version: 'Wazuh v4.14.0', node_name: 'node01' }];
  agents.push(...example.data.affected_items);
  for (let n = 4; n <= 12; n++) {
    const id = String(n).padStart(3, '0');
    agents.push({
      id,
      name: `web-${id}`,
      ip: `10.0.1.${n}`,
      status: id === '010' ? 'disconnected' : 'active',
      os: { name: 'Ubuntu', platform: 'ubuntu', version: '22.04' },
      version: 'Wazuh v4.14.0',
      group: ['default'],
      node_name: 'node01',
      lastKeepAlive: '2025-11-01T00:00:00Z',
      status_code: 0,
    });
  }
  return agents;
}

export function loadRecordedAlerts(dir: string): Doc[] {
  return fs
    .readFileSync(path.join(dir, ALERT_SAMPLE), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Doc);
}

const RULES = [
  { id: '5712', level: 10, description: 'sshd: brute force trying to get access to the system. Non existent user.', mitre: { id: ['T1110'], tactic: ['Credential Access'], technique: ['Brute Force'] } },
  { id: '5710', level: 5, description: 'sshd: Attempt to login using a non-existent user', mitre: { id: ['T1110.001'], tactic: ['Credential Access'], technique: ['Password Guessing'] } },
  { id: '5715', level: 3, description: 'sshd: authentication success.', mitre: { id: ['T1078'], tactic: ['Defense Evasion', 'Persistence', 'Privilege Escalation', 'Initial Access'], technique: ['Valid Accounts'] } },
  { id: '5503', level: 5, description: 'PAM: User login failed.', mitre: { id: ['T1110.001'], tactic: ['Credential Access'], technique: ['Password Guessing'] } },
];
const USERS = ['paco', 'admin', 'oracle', 'test', 'ubuntu'];

/** Wazuh's alert time: `2022-05-11T12:29:19.905+0000`. */
export const wazuhTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

function generate(template: Doc, i: number, rng: Rng, agents: Agent[], startMs: number): Doc {
  const rule = RULES[i % RULES.length]!;
  const agent = agents[1 + rng.int(agents.length - 1)]!;
  // Five alerts every four seconds: some share a millisecond-exact time, so the id tie-breaker matters.
  const t = startMs + Math.floor((i * 4) / 5) * 1000;
  const srcip = `203.0.113.${1 + rng.int(254)}`;
  const port = 30_000 + rng.int(30_000);
  const user = rng.pick(USERS);
  const stamp = new Date(t);
  const syslog = `${stamp.toUTCString().slice(8, 11)} ${String(stamp.getUTCDate()).padStart(2, ' ')} ${stamp.toISOString().slice(11, 19)}`;
  const templateRule = (template['rule'] ?? {}) as Doc;
  return {
    ...template,
    timestamp: wazuhTime(t),
    rule: { ...templateRule, ...rule, firedtimes: 1 + rng.int(20), mail: false, groups: ['syslog', 'sshd', rule.level >= 5 ? 'authentication_failed' : 'authentication_success'] },
    agent: { id: agent.id, name: agent.name, ip: agent.ip },
    manager: { name: 'wazuh-manager' },
    // `<epoch>.<offset in alerts.json>`: unique per manager, increasing with the file.
    id: `${Math.floor(t / 1000)}.${1_000_000 + i * 1187}`,
    full_log: `${syslog} ${agent.name} sshd[${10_000 + rng.int(50_000)}]: Invalid user ${user} from ${srcip} port ${port}`,
    previous_output: undefined,
    predecoder: { program_name: 'sshd', timestamp: syslog, hostname: agent.name },
    decoder: { parent: 'sshd', name: 'sshd' },
    data: { srcip, srcport: String(port), srcuser: user },
    location: '/var/log/auth.log',
  };
}

const timeMs = (a: Doc) => Date.parse(String(a['timestamp']).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

/** Recorded alerts, then `count` generated ones ending about now, sorted as the indexer sorts them. */
export function buildAlerts(dir: string, agents: Agent[], count: number, seed: number, nowMs: number): Doc[] {
  const startMs = Math.floor(nowMs / 60_000) * 60_000 - Math.ceil((count * 4) / 5) * 1000 - 60_000;
  const alerts = replicate(loadRecordedAlerts(dir), count, seed, (template, i, rng) => generate(template, i, rng, agents, startMs)).map((a) => {
    const out: Doc = {};
    for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v;
    return out;
  });
  return alerts
    .map((a) => ({ a, t: timeMs(a), id: String(a['id']) }))
    .sort((x, y) => x.t - y.t || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .map((x) => x.a);
}

export { timeMs as alertTimeMs };
