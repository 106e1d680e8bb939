// Defender machine actions against the emulator over loopback HTTP, through the SDK alone: each action is one
// request the emulator records, pending until its machine action succeeds, and never sent twice for one key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openConnectorContext, parseFaults, type ActionOutcome } from '../sdk/index.js';
import { connector } from './connector.js';
import { startDefenderEmulator, type DefenderEmulator } from './emulator/index.js';

// A fault rate of 35% per request: eight attempts keep a give-up (0.35^8) out of the way of what is tested.
const fast = { sleep: async () => {}, timeoutMs: 5_000, maxAttempts: 8 };

function open(emu: DefenderEmulator) {
  return openConnectorContext(connector, emu.settings, { name: 'mde-test', http: fast });
}

/** A generated workstation (not the recorded machine). */
const machineOf = (emu: DefenderEmulator, i: number) => [...emu.api.machines.values()][1 + i]!.id;

test('isolate: one request with the case-sensitive body, pending until the machine action succeeds; unisolate undoes it', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 10 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const machineId = machineOf(emu, 0);

  const started = await connector.runAction(ctx, 'isolate', { machineId, comment: 'Case 42: ransomware on ws-0001' }, 'key-iso-1');
  assert.equal(started.status, 'pending');
  const handle = (started as Extract<ActionOutcome, { status: 'pending' }>).poll;
  const id = String(handle['machineActionId']);
  assert.deepEqual(handle, { machineActionId: id });

  const first = await connector.pollAction(ctx, 'isolate', handle);
  assert.deepEqual(first, { status: 'pending', poll: handle, message: `Isolate InProgress (machine action ${id})` });
  const second = await connector.pollAction(ctx, 'isolate', handle);
  assert.equal(second.status, 'done');
  const result = (second as Extract<ActionOutcome, { status: 'done' }>).result;
  assert.deepEqual([result['type'], result['status'], result['machineId'], result['scope'], result['requestorComment']], [
    'Isolate', 'Succeeded', machineId, 'Full', 'Case 42: ransomware on ws-0001 [quell:key-iso-1]',
  ]);

  // The same intent asked again (a retry after a crash) finds its machine action instead of sending a second one.
  assert.equal((await connector.runAction(ctx, 'isolate', { machineId, comment: 'Case 42: ransomware on ws-0001' }, 'key-iso-1')).status, 'done');

  const released = await connector.runAction(ctx, 'unisolate', { machineId, comment: 'Case 42: cleaned' }, 'key-uniso-1');
  assert.equal(released.status, 'pending');

  const recorded = emu.actions();
  assert.deepEqual(recorded.map((a) => [a.action, a.method, a.path, a.body]), [
    ['Isolate', 'POST', `/api/machines/${machineId}/isolate`, { Comment: 'Case 42: ransomware on ws-0001 [quell:key-iso-1]', IsolationType: 'Full' }],
    ['Unisolate', 'POST', `/api/machines/${machineId}/unisolate`, { Comment: 'Case 42: cleaned [quell:key-uniso-1]' }],
  ]);
  assert.equal(recorded[0]!.headers['authorization'], '<redacted>');
  assert.equal(recorded[0]!.headers['content-type'], 'application/json');
});

test('AV scan and investigation package: their own paths, bodies and machine action types', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 10 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const machineId = machineOf(emu, 1);
  const scan = await connector.runAction(ctx, 'run_av_scan', { machineId, comment: 'sweep', scanType: 'Full' }, 'k-scan');
  const pkg = await connector.runAction(ctx, 'collect_investigation_package', { machineId, comment: 'forensics' }, 'k-pkg');
  assert.deepEqual([scan.status, pkg.status], ['pending', 'pending']);
  assert.deepEqual(emu.actions().map((a) => [a.action, a.path, a.body]), [
    ['RunAntiVirusScan', `/api/machines/${machineId}/runAntiVirusScan`, { Comment: 'sweep [quell:k-scan]', ScanType: 'Full' }],
    ['CollectInvestigationPackage', `/api/machines/${machineId}/collectInvestigationPackage`, { Comment: 'forensics [quell:k-pkg]' }],
  ]);
  const id = String((pkg as Extract<ActionOutcome, { status: 'pending' }>).poll['machineActionId']);
  const status = await connector.runAction(ctx, 'machine_action_status', { id }, 'k-status');
  assert.equal(status.status, 'done');
  assert.equal((status as Extract<ActionOutcome, { status: 'done' }>).result['type'], 'CollectInvestigationPackage');
});

test('an unknown machine fails with what Defender said; bad input is a config error naming the field', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 10 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const ghost = 'f'.repeat(40);
  assert.deepEqual(await connector.runAction(ctx, 'isolate', { machineId: ghost, comment: 'x' }, 'k1'), {
    status: 'failed',
    reason: `connector mde-test: POST /api/machines/${ghost}/isolate: HTTP 404: ResourceNotFound: Machine ${ghost} was not found`,
  });
  await assert.rejects(connector.runAction(ctx, 'isolate', { machineId: 'WS-01', comment: 'x' }, 'k2'), {
    kind: 'config',
    message: 'connector mde-test: isolate: machineId: a Defender machine id is 40 hex characters',
  });
});

test('under 429, 503, cut-off answers and expired tokens each action reaches Defender exactly once', async (t) => {
  const emu = await startDefenderEmulator({ alerts: 10, seed: 5, faults: parseFaults('429:0.1,503:0.1,truncate:0.1,expire:0.05') });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const outcomes: string[] = [];
  for (let i = 0; i < 20; i++) {
    const outcome = await connector.runAction(ctx, 'isolate', { machineId: machineOf(emu, i), comment: `case ${i}` }, `fault-key-${i}`);
    outcomes.push(outcome.status);
  }
  assert.deepEqual(outcomes, Array(20).fill('pending'));
  const perKey = new Map<string, number>();
  for (const a of emu.actions()) {
    const key = /\[quell:(.+)\]$/.exec(String((a.body as Record<string, unknown>)['Comment']))![1]!;
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  assert.deepEqual([...perKey.keys()].sort(), Array.from({ length: 20 }, (_, i) => `fault-key-${i}`).sort());
  assert.deepEqual([...new Set(perKey.values())], [1]);
  assert.equal(emu.api.machineActions.size, 20);
  const injected = emu.faultsInjected();
  assert.ok(injected['503'] > 0 && injected.truncate > 0, JSON.stringify(injected));
});
