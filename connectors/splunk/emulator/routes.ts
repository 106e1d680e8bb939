// splunkd's REST shape as the emulator speaks it: `/services/…` and `/servicesNS/<owner>/<app>/…`, form bodies,
// `output_mode=json` envelopes, the `messages[]` error body, search jobs that go QUEUED → RUNNING → DONE over
// successive polls, and `notable_update`.
import type { EmulatorContext, EmulatorReply, EmulatorRequest, EmulatorRoute } from '../../sdk/index.js';
import { rowId, rowTimeMs } from '../rows.js';
import type { Row } from './data.js';

export const VERSION = '9.2.1';
export const SERVER_NAME = 'splunk-emulator';

export interface SplunkState {
  alerts: Row[];
  username: string;
  password: string;
  token: string;
  sessions: Set<string>;
  jobs: Map<string, Job>;
  savedSearches: string[];
  nextSid: number;
  logins: number;
}

interface Job {
  sid: string;
  search: string;
  rows: Row[];
  polls: number;
  label?: string;
}

export const messages = (type: string, text: string) => ({ messages: [{ type, text }] });
const error = (status: number, type: string, text: string): EmulatorReply => ({ status, json: messages(type, text) });

/** `/services/<rest>` or `/servicesNS/<owner>/<app>/<rest>` (v2 job paths too). */
const path = (rest: string) => new RegExp(`^/services(?:NS/[^/]+/[^/]+)?${rest}$`);

/** Splunk time modifiers the emulator understands: `0`, `now`, epoch seconds, ISO-8601, `-<n><unit>` (snap ignored). */
export function parseTime(value: string | undefined, nowMs: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (value === 'now') return nowMs;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) === 0 ? Number.NEGATIVE_INFINITY : Math.round(Number(value) * 1000);
  const rel = /^-(\d+)(s|m|h|d|w)(@\w+)?$/.exec(value);
  if (rel) return nowMs - Number(rel[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[rel[2] as 's']!;
  const iso = Date.parse(value);
  if (!Number.isNaN(iso)) return iso;
  throw new Error(`Invalid earliest_time or latest_time: ${value}`);
}

function jobEntry(job: Job, state: string, url: string) {
  const done = state === 'DONE';
  return {
    links: {},
    origin: `${url}/services/search/jobs`,
    updated: new Date().toISOString(),
    generator: { build: 'emulator', version: VERSION },
    entry: [
      {
        name: job.label ?? job.search,
        id: `${url}/services/search/jobs/${job.sid}`,
        updated: new Date().toISOString(),
        links: { results: `/services/search/jobs/${job.sid}/results`, events: `/services/search/jobs/${job.sid}/events` },
        author: 'admin',
        content: {
          sid: job.sid,
          dispatchState: state,
          isDone: done,
          isFailed: false,
          doneProgress: done ? 1 : state === 'RUNNING' ? 0.5 : 0,
          eventCount: done ? job.rows.length : 0,
          resultCount: done ? job.rows.length : 0,
          messages: [],
        },
        acl: { app: 'search', owner: 'admin', sharing: 'global', perms: { read: ['admin'], write: ['admin'] } },
      },
    ],
    paging: { total: 1, perPage: 0, offset: 0 },
    messages: [],
  };
}

const form = (req: EmulatorRequest): Record<string, string> => (req.body && typeof req.body === 'object' ? (req.body as Record<string, string>) : {});
const param = (req: EmulatorRequest, name: string) => form(req)[name] ?? req.query.get(name) ?? undefined;

export function splunkRoutes(state: SplunkState, urlOf: () => string): EmulatorRoute[] {
  const newSid = () => `${Math.floor(Date.now() / 1000)}.${state.nextSid++}`;
  // The first poll finds the job still being set up, which splunkd answers with 204 No Content.
  const STATES = ['PARSING', 'QUEUED', 'RUNNING', 'DONE'];
  const jobState = (job: Job) => STATES[Math.min(job.polls, STATES.length - 1)]!;

  const createJob = (req: EmulatorRequest): EmulatorReply => {
    const search = param(req, 'search') ?? '';
    if (!/^\s*(search\s|\|)/.test(search)) return error(400, 'FATAL', `Error in 'SearchParser': Missing a search command before '${search.trim().split(/\s+/)[0] ?? ''}'.`);
    const now = Date.now();
    let earliest: number;
    let latest: number;
    try {
      earliest = parseTime(param(req, 'earliest_time'), now, Number.NEGATIVE_INFINITY);
      latest = parseTime(param(req, 'latest_time'), now, Number.POSITIVE_INFINITY);
    } catch (e) {
      return error(400, 'FATAL', (e as Error).message);
    }
    // `| sort 0 _time` asks for oldest first; otherwise an event search returns newest first.
    const ascending = /\|\s*sort\s+(?:0\s+)?\+?_time\b/.test(search);
    const rows = state.alerts.filter((r) => {
      const t = rowTimeMs(r);
      return t >= earliest && t < latest;
    });
    if (!ascending) rows.reverse();
    const sid = newSid();
    state.jobs.set(sid, { sid, search, rows, polls: 0 });
    return { status: 201, json: { sid } };
  };

  const readJob = (req: EmulatorRequest): EmulatorReply => {
    const job = state.jobs.get(req.params['sid'] ?? '');
    if (!job) return error(404, 'FATAL', 'Unknown sid.');
    const dispatchState = jobState(job);
    job.polls++;
    return dispatchState === 'PARSING' ? { status: 204, text: '' } : { json: jobEntry(job, dispatchState, urlOf()) };
  };

  const results = (req: EmulatorRequest): EmulatorReply => {
    const job = state.jobs.get(req.params['sid'] ?? '');
    if (!job) return error(404, 'FATAL', 'Unknown sid.');
    if (jobState(job) !== 'DONE') return { status: 204, text: '' };
    const offset = Number(param(req, 'offset') ?? '0');
    const requested = Number(param(req, 'count') ?? '100');
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(requested) || requested < 0) return error(400, 'FATAL', 'Invalid offset or count.');
    // count=0 means "all", up to maxresultrows (50,000 by default).
    const count = requested === 0 ? 50_000 : Math.min(requested, 50_000);
    const page = job.rows.slice(offset, offset + count);
    const fields = [...new Set(page.flatMap((r) => Object.keys(r)))].map((name) => ({ name }));
    return {
      json: { preview: false, init_offset: offset, messages: [], fields, results: page, highlighted: {} },
      served: page.map((r) => rowId(r) ?? ''),
    };
  };

  const notableUpdate = (req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply => {
    ctx.recordAction('updateNotable');
    const f = form(req);
    const ids = f['ruleUIDs'] ? [f['ruleUIDs']] : [];
    if (!ids.length && !f['searchID']) return { status: 400, json: { success: false, message: 'Either ruleUIDs or searchID must be specified' } };
    if (f['status'] !== undefined && !/^[0-5]$/.test(f['status'])) return { status: 400, json: { success: false, message: `Invalid status: ${f['status']}` } };
    let updated = 0;
    for (const id of ids) {
      const row = state.alerts.find((r) => r['event_id'] === id);
      if (!row) continue;
      if (f['status'] !== undefined) row['status'] = f['status'];
      if (f['urgency'] !== undefined) row['urgency'] = f['urgency'];
      if (f['newOwner'] !== undefined) row['owner'] = f['newOwner'];
      if (f['disposition'] !== undefined) row['disposition'] = f['disposition'];
      if (f['comment'] !== undefined) row['comment'] = f['comment'];
      updated++;
    }
    const failures = ids.length - updated;
    // The answer beyond `success`/`message` is not confirmed by a primary source (CONNECTOR-APIS.md §2).
    return failures
      ? { json: { success: false, message: `${failures} event(s) not found`, failure_count: failures, details: {} } }
      : { json: { success: true, message: `${updated} event${updated === 1 ? '' : 's'} updated successfully`, failure_count: 0, details: {} } };
  };

  const dispatchSaved = (req: EmulatorRequest, ctx: EmulatorContext): EmulatorReply => {
    const name = decodeURIComponent(req.params['name'] ?? '');
    if (!state.savedSearches.includes(name)) return error(404, 'ERROR', `Could not find object id=${name}`);
    ctx.recordAction('runSavedSearch');
    const rows = state.alerts.filter((r) => r['search_name'] === name || r['source'] === name);
    const sid = `scheduler__admin__search__RMD5${newSid().replace('.', '_')}`;
    state.jobs.set(sid, { sid, search: `savedsearch "${name}"`, rows, polls: 0, label: name });
    return { status: 201, json: { sid } };
  };

  return [
    {
      method: 'POST',
      path: path('/auth/login'),
      auth: 'token',
      handle: (req, ctx) => {
        const f = form(req);
        if (f['username'] !== state.username || f['password'] !== state.password) return error(401, 'WARN', 'Login failed');
        state.logins++;
        const key = ctx.rng.hex(40);
        state.sessions.add(key);
        return { json: { sessionKey: key } };
      },
    },
    {
      method: 'GET',
      path: path('/server/info'),
      handle: () => ({ json: { entry: [{ name: 'server-info', content: { version: VERSION, serverName: SERVER_NAME, build: 'emulator', os_name: 'Linux' } }] } }),
    },
    {
      method: 'GET',
      path: path('/authentication/current-context'),
      handle: () => ({ json: { entry: [{ name: 'context', content: { username: state.username, roles: ['admin', 'ess_admin'] } }] } }),
    },
    { method: 'POST', path: path('/search/(?:v2/)?jobs'), handle: createJob },
    { method: 'GET', path: path('/search/(?:v2/)?jobs/(?<sid>[^/]+)'), handle: readJob },
    {
      method: 'DELETE',
      path: path('/search/(?:v2/)?jobs/(?<sid>[^/]+)'),
      handle: (req) => {
        const sid = req.params['sid'] ?? '';
        if (!state.jobs.delete(sid)) return error(404, 'FATAL', 'Unknown sid.');
        return { json: messages('INFO', `Search job cancelled.`) };
      },
    },
    { method: ['GET', 'POST'], path: path('/search/(?:v2/)?jobs/(?<sid>[^/]+)/results'), handle: results },
    { method: 'POST', path: path('/notable_update'), handle: notableUpdate },
    { method: 'POST', path: path('/saved/searches/(?<name>[^/]+)/dispatch'), handle: dispatchSaved },
  ];
}
