// The Splunk connector against its emulator over real loopback HTTP: paging, faults, resume, actions, credentials.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openConnectorContext, parseFaults, type ActionOutcome, type Cursor } from '../sdk/index.js';
import { connector, startSplunkEmulator, SPLUNK_EMULATOR_TOKEN } from './index.js';

const FAST = { backoff: { baseMs: 5, maxMs: 40 } };

function open(settings: Record<string, unknown>) {
  return openConnectorContext(connector, settings, { http: FAST });
}

/** Pulls pages until `done`, from `cursor`; returns the ids in order and the last cursor. */
async function pullAll(ctx: Parameters<typeof connector.pullAlerts>[0], cursor: Cursor | null, maxPages = Infinity) {
  const ids: string[] = [];
  let pages = 0;
  for (;;) {
    const page = await connector.pullAlerts(ctx, cursor);
    ids.push(...page.records.map((r) => r.id));
    cursor = page.cursor;
    pages++;
    if (page.done || pages >= maxPages) return { ids, cursor, done: page.done, pages };
  }
}

describe('splunk connector: pulling notables through search jobs', () => {
  test('10,000 generated notables plus the 3 recorded ones, each exactly once, in _time order', async () => {
    const emu = await startSplunkEmulator({ alerts: 10_000, seed: 7 });
    const { ctx, close } = open({ ...emu.settings, pageSize: 500 });
    try {
      const { ids, pages } = await pullAll(ctx, null);
      assert.equal(ids.length, 10_003);
      assert.equal(new Set(ids).size, 10_003);
      assert.deepEqual(ids, emu.alertIds());
      assert.deepEqual(emu.served(), emu.alertIds());
      assert.equal(pages, 21);
      assert.equal(emu.logins(), 1);
    } finally {
      close();
      await emu.close();
    }
  });

  test('under 429, 503, truncated pages and expired session keys, still each exactly once', async () => {
    const emu = await startSplunkEmulator({ alerts: 10_000, seed: 11, faults: parseFaults('429:0.1,503:0.05,truncate:0.02,expire:0.01'), retryAfterSeconds: 0 });
    const { ctx, close } = open({ ...emu.settings, pageSize: 100 });
    try {
      const { ids } = await pullAll(ctx, null);
      assert.equal(ids.length, 10_003);
      assert.deepEqual(ids, emu.alertIds());
      const faults = emu.faultsInjected();
      for (const kind of ['429', '503', 'truncate', 'expire'] as const) assert.ok(faults[kind] > 0, `no ${kind} fault was injected: ${JSON.stringify(faults)}`);
      // Each expired session key was replaced by logging in again.
      assert.equal(emu.logins(), 1 + faults.expire);
      // Truncated pages are not served; what was served is exactly the stream, once.
      assert.deepEqual(emu.served(), emu.alertIds());
    } finally {
      close();
      await emu.close();
    }
  });

  test('responses held past the client timeout and 500s are retried too: still each exactly once', async () => {
    const emu = await startSplunkEmulator({ alerts: 1_000, seed: 21, faults: parseFaults('slow:0.1,500:0.1'), slowMs: 1_500 });
    const { ctx, close } = open({ ...emu.settings, pageSize: 100, timeoutMs: 1_000 });
    try {
      const { ids } = await pullAll(ctx, null);
      assert.deepEqual(ids, emu.alertIds());
      assert.equal(ids.length, 1003);
      const faults = emu.faultsInjected();
      assert.ok(faults.slow > 0 && faults['500'] > 0, JSON.stringify(faults));
    } finally {
      close();
      await emu.close();
    }
  });

  test('a pull stopped after 3 pages resumes from its cursor and stores the rest exactly once, also when the job expired', async () => {
    const emu = await startSplunkEmulator({ alerts: 2_000, seed: 3 });
    const { ctx, close } = open({ ...emu.settings, pageSize: 300 });
    try {
      const first = await pullAll(ctx, null, 3);
      assert.equal(first.done, false);
      assert.equal(first.ids.length, 900);
      // Resume with the job gone: a new job from the high-water mark, rows at the mark already stored dropped.
      const withoutJob = { mark: (first.cursor as { mark: unknown }).mark };
      const rest = await pullAll(ctx, JSON.parse(JSON.stringify(withoutJob)) as Cursor);
      const all = [...first.ids, ...rest.ids];
      assert.equal(all.length, 2_003);
      assert.deepEqual(all, emu.alertIds());
      // Caught up: the next pull finds nothing new.
      const again = await connector.pullAlerts(ctx, rest.cursor);
      assert.deepEqual([again.records.length, again.done], [0, true]);
    } finally {
      close();
      await emu.close();
    }
  });
  test('a job deleted on the search head mid-pull (404 Unknown sid) is dispatched again from the mark; finished jobs are deleted', async () => {
    const emu = await startSplunkEmulator({ alerts: 1_000, seed: 4 });
    const { ctx, close } = open({ ...emu.settings, pageSize: 150 });
    try {
      const first = await pullAll(ctx, null, 2);
      const sid = String((first.cursor as { sid: string }).sid);
      assert.deepEqual(emu.jobs(), [sid]);
      const basic = `Basic ${Buffer.from('admin:quell-emulator').toString('base64')}`;
      const res = await fetch(`${emu.url}/services/search/jobs/${sid}?output_mode=json`, { method: 'DELETE', headers: { authorization: basic } });
      assert.equal(res.status, 200);
      const rest = await pullAll(ctx, first.cursor);
      assert.deepEqual([...first.ids, ...rest.ids], emu.alertIds());
      assert.deepEqual(emu.jobs(), [], 'the second job was deleted once read to the end');
    } finally {
      close();
      await emu.close();
    }
  });
  test('latestTime holds back the newest rows for the next pull; the next pull (latestTime now) stores them once', async () => {
    const emu = await startSplunkEmulator({ alerts: 300, seed: 8 });
    const all = emu.alertIds();
    try {
      let o = open({ ...emu.settings, pageSize: 1000, latestTime: '-2h' });
      const held = await pullAll(o.ctx, null);
      o.close();
      // The generated rows all lie within the last few minutes: only the three recorded ones are older than 2 h.
      assert.deepEqual(held.ids, all.slice(0, 3));
      o = open({ ...emu.settings, pageSize: 1000 });
      const rest = await pullAll(o.ctx, held.cursor);
      o.close();
      assert.deepEqual([...held.ids, ...rest.ids], all);
    } finally {
      await emu.close();
    }
  });
});

describe('splunk connector: actions', () => {
  test('updateNotable sends notable_update with the form fields Splunk ES reads, once', async () => {
    const emu = await startSplunkEmulator({ alerts: 5, seed: 2 });
    const { ctx, close } = open(emu.settings);
    try {
      const eventId = emu.alertIds().find((id) => id.includes('@@notable@@') && !id.startsWith('5E6DE97D-B137-47AB-8905-8C4F42998937@@notable@@e4f0'))!;
      const outcome = await connector.runAction(ctx, 'updateNotable', { eventId, status: 'in_progress', urgency: 'high', owner: 'analyst1', comment: 'triaged by Quell' }, 'k1');
      assert.deepEqual(outcome, {
        status: 'done',
        result: { eventId, changes: { status: '2', urgency: 'high', newOwner: 'analyst1', comment: 'triaged by Quell' }, message: '1 event updated successfully', failureCount: 0 },
      });
      const recorded = emu.actions();
      assert.equal(recorded.length, 1);
      assert.equal(recorded[0]!.action, 'updateNotable');
      assert.equal(recorded[0]!.method, 'POST');
      assert.equal(recorded[0]!.path, '/services/notable_update?output_mode=json');
      assert.equal(recorded[0]!.headers['authorization'], '<redacted>');
      assert.equal(recorded[0]!.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.deepEqual(recorded[0]!.body, { ruleUIDs: eventId, status: '2', urgency: 'high', newOwner: 'analyst1', comment: 'triaged by Quell' });
      assert.deepEqual([emu.notable(eventId)?.['status'], emu.notable(eventId)?.['owner']], ['2', 'analyst1']);
    } finally {
      close();
      await emu.close();
    }
  });

  test('updateNotable of an unknown event is failed with what Splunk said; bad input is refused before any request', async () => {
    const emu = await startSplunkEmulator({ alerts: 0 });
    const { ctx, close } = open(emu.settings);
    try {
      const outcome = await connector.runAction(ctx, 'updateNotable', { eventId: 'nope@@notable@@0', status: 'closed' }, 'k2');
      assert.deepEqual(outcome, {
        status: 'failed',
        reason: 'Splunk did not update notable nope@@notable@@0: 1 event(s) not found',
        result: { eventId: 'nope@@notable@@0', changes: { status: '5' }, message: '1 event(s) not found', failureCount: 1 },
      });
      await assert.rejects(connector.runAction(ctx, 'updateNotable', { eventId: 'x' }, 'k3'), /give at least one of status, urgency, owner, comment, disposition/);
      assert.equal(emu.actions().length, 1);
    } finally {
      close();
      await emu.close();
    }
  });

  test('runSavedSearch dispatches, is pending while the job is not ready (204), QUEUED and RUNNING, then done with its result count', async () => {
    const emu = await startSplunkEmulator({ alerts: 40, seed: 5 });
    const { ctx, close } = open(emu.settings);
    try {
      const name = 'Access - Brute Force Access Behavior Detected - Rule';
      const started = await connector.runAction(ctx, 'runSavedSearch', { name, earliestTime: '-24h' }, 'k4');
      assert.equal(started.status, 'pending');
      const poll = (started as { poll: Record<string, unknown> }).poll;
      assert.match(String(poll['sid']), /^scheduler__admin__search__RMD5/);
      const states: string[] = [];
      let outcome: ActionOutcome = started;
      while (outcome.status === 'pending') {
        outcome = await connector.pollAction(ctx, 'runSavedSearch', (outcome as { poll: Record<string, unknown> }).poll);
        states.push(outcome.status === 'pending' ? String(outcome.message) : outcome.status);
      }
      assert.deepEqual(states, [`job ${String(poll['sid'])} is not ready yet`, `job ${String(poll['sid'])} is QUEUED`, `job ${String(poll['sid'])} is RUNNING`, 'done']);
      assert.deepEqual(outcome, { status: 'done', result: { sid: poll['sid'], dispatchState: 'DONE', resultCount: 10, eventCount: 10 } });
      const recorded = emu.actions();
      assert.deepEqual(
        recorded.map((a) => [a.action, a.method, a.path, a.body]),
        [['runSavedSearch', 'POST', `/servicesNS/nobody/SplunkEnterpriseSecuritySuite/saved/searches/${encodeURIComponent(name)}/dispatch?output_mode=json`, { trigger_actions: '0', 'dispatch.earliest_time': '-24h' }]],
      );
      await assert.rejects(connector.runAction(ctx, 'runSavedSearch', { name: 'No such search' }, 'k5'), {
        message: 'connector splunk: POST /servicesNS/nobody/SplunkEnterpriseSecuritySuite/saved/searches/No%20such%20search/dispatch: HTTP 404: ERROR Could not find object id=No such search',
      });
    } finally {
      close();
      await emu.close();
    }
  });
});

describe('splunk connector: connection test and credentials', () => {
  test('test() names the version, server and user, with a session key, a bearer token or basic auth', async () => {
    const emu = await startSplunkEmulator({ alerts: 0 });
    try {
      for (const auth of [{}, { authKind: 'token', token: SPLUNK_EMULATOR_TOKEN }, { authKind: 'basic' }]) {
        const { ctx, close } = open({ ...emu.settings, ...auth });
        assert.deepEqual(await connector.test(ctx), { ok: true, message: 'Splunk 9.2.1 on splunk-emulator, user admin (roles admin, ess_admin), app SplunkEnterpriseSecuritySuite' });
        close();
      }
    } finally {
      await emu.close();
    }
  });

  test('a wrong password, a wrong token and a wrong basic password each give a clear error', async () => {
    const emu = await startSplunkEmulator({ alerts: 0 });
    try {
      const cases: [Record<string, unknown>, string][] = [
        [{ password: 'wrong' }, 'connector splunk: POST /services/auth/login: HTTP 401: Splunk refused the login of user admin: WARN Login failed'],
        [{ authKind: 'token', token: 'wrong' }, 'connector splunk: GET /services/server/info: HTTP 401: Splunk did not accept the credentials (check the token, or the username and password): WARN call not properly authenticated'],
        [{ authKind: 'basic', password: 'wrong' }, 'connector splunk: GET /services/server/info: HTTP 401: Splunk did not accept the credentials (check the token, or the username and password): WARN call not properly authenticated'],
      ];
      for (const [auth, message] of cases) {
        const { ctx, close } = open({ ...emu.settings, ...auth });
        assert.deepEqual(await connector.test(ctx), { ok: false, message });
        await assert.rejects(connector.pullAlerts(ctx, null), { message: message.replace('GET /services/server/info', 'POST /servicesNS/nobody/SplunkEnterpriseSecuritySuite/search/jobs') });
        close();
      }
    } finally {
      await emu.close();
    }
  });
});
