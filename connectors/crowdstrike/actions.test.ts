// CrowdStrike containment and RTR memory dump against the emulator over loopback HTTP, through the SDK alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openConnectorContext, parseFaults, type ActionOutcome } from '../sdk/index.js';
import { connector } from './connector.js';
import { startCrowdStrikeEmulator, type CrowdStrikeEmulator } from './emulator/index.js';

// A fault rate of 35% per request: eight attempts keep a give-up (0.35^8) out of the way of what is tested.
const fast = { sleep: async () => {}, timeoutMs: 5_000, maxAttempts: 8 };
const open = (emu: CrowdStrikeEmulator) => openConnectorContext(connector, emu.settings, { name: 'falcon-test', http: fast });
const deviceOf = (emu: CrowdStrikeEmulator, i: number) => [...emu.api.devices.values()][i]!.device_id;
const pending = (o: ActionOutcome) => (o as Extract<ActionOutcome, { status: 'pending' }>).poll;

test('contain: one devices-actions request, pending while the device is containment_pending, done when contained; lift undoes it', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 10 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const deviceId = deviceOf(emu, 0);

  const started = await connector.runAction(ctx, 'contain', { deviceId }, 'key-contain-1');
  assert.deepEqual(started, { status: 'pending', poll: { deviceId, want: 'contained' }, message: `contain accepted for device ${deviceId}` });
  assert.deepEqual(await connector.pollAction(ctx, 'contain', pending(started)), {
    status: 'pending', poll: { deviceId, want: 'contained' }, message: `device ${deviceId} is containment_pending`,
  });
  assert.deepEqual(await connector.pollAction(ctx, 'contain', pending(started)), { status: 'done', result: { deviceId, status: 'contained' } });
  // Asked again (a retry after a crash): the host is contained already, nothing is sent.
  assert.deepEqual(await connector.runAction(ctx, 'contain', { deviceId }, 'key-contain-1'), { status: 'done', result: { deviceId, status: 'contained' } });

  const lifted = await connector.runAction(ctx, 'lift_containment', { deviceId }, 'key-lift-1');
  assert.equal(lifted.status, 'pending');
  await connector.pollAction(ctx, 'lift_containment', pending(lifted));
  assert.deepEqual(await connector.pollAction(ctx, 'lift_containment', pending(lifted)), { status: 'done', result: { deviceId, status: 'normal' } });

  const recorded = emu.actions();
  assert.deepEqual(recorded.map((a) => [a.action, a.method, a.path, a.body]), [
    ['contain', 'POST', '/devices/entities/devices-actions/v2?action_name=contain', { ids: [deviceId] }],
    ['lift_containment', 'POST', '/devices/entities/devices-actions/v2?action_name=lift_containment', { ids: [deviceId] }],
  ]);
  assert.equal(recorded[0]!.headers['authorization'], '<redacted>');
});

test('memory dump: RTR session, then memdump, then command status polled until complete', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 10 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const deviceId = deviceOf(emu, 3);
  const started = await connector.runAction(ctx, 'memory_dump', { deviceId, pid: 4242 }, 'key-dump-1');
  assert.equal(started.status, 'pending');
  const handle = pending(started);
  const [session] = [...emu.api.sessions.keys()];
  assert.deepEqual(handle, { cloudRequestId: handle['cloudRequestId'], sessionId: session, deviceId, file: 'C:\\Windows\\Temp\\quell-4242.dmp' });
  assert.equal((await connector.pollAction(ctx, 'memory_dump', handle)).status, 'pending');
  assert.deepEqual(await connector.pollAction(ctx, 'memory_dump', handle), {
    status: 'done',
    result: { ...handle, stdout: 'Process 4242 memory dumped to C:\\Windows\\Temp\\quell-4242.dmp', stderr: '' },
  });
  assert.deepEqual(emu.actions().map((a) => [a.action, a.path, a.body]), [
    ['rtr_session', '/real-time-response/entities/sessions/v1', { device_id: deviceId, origin: 'quell', queue_offline: false }],
    ['memdump', '/real-time-response/entities/active-responder-command/v1', {
      base_command: 'memdump', command_string: 'memdump 4242 "C:\\Windows\\Temp\\quell-4242.dmp"', device_id: deviceId, session_id: session, persist: true,
    }],
  ]);
});

test('an unknown device fails clearly; bad input is a config error naming the field', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 10 });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  assert.deepEqual(await connector.runAction(ctx, 'contain', { deviceId: '0'.repeat(32) }, 'k'), { status: 'failed', reason: `CrowdStrike knows no device ${'0'.repeat(32)}` });
  await assert.rejects(connector.runAction(ctx, 'memory_dump', { deviceId: deviceOf(emu, 0), pid: -1 }, 'k'), {
    kind: 'config',
    message: 'connector falcon-test: memory_dump: pid: Too small: expected number to be >0',
  });
  assert.deepEqual(emu.actions(), []);
});

test('under 429, 503, cut-off answers and expired tokens each containment reaches Falcon exactly once', async (t) => {
  const emu = await startCrowdStrikeEmulator({ alerts: 10, seed: 6, faults: parseFaults('429:0.1,503:0.1,truncate:0.1,expire:0.05') });
  t.after(() => emu.close());
  const { ctx, close } = open(emu);
  t.after(close);
  const ids = Array.from({ length: 20 }, (_, i) => deviceOf(emu, i));
  const outcomes = [];
  for (const [i, deviceId] of ids.entries()) outcomes.push((await connector.runAction(ctx, 'contain', { deviceId }, `fault-key-${i}`)).status);
  // A lost answer is settled by reading the device, and those reads may already see it contained.
  assert.ok(outcomes.every((o) => o === 'pending' || o === 'done'), outcomes.join());
  assert.ok(outcomes.includes('done'), 'some answers were lost and recovered by reading the device');
  const sent = emu.actions().map((a) => (a.body as { ids: string[] }).ids[0]);
  assert.deepEqual([...sent].sort(), [...ids].sort());
  for (const id of ids) assert.ok(['containment_pending', 'contained'].includes(emu.api.devices.get(id)!.status));
  const injected = emu.faultsInjected();
  assert.ok(injected['503'] > 0 && injected.truncate > 0, JSON.stringify(injected));
});
