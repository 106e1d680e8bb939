import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { openCore } from '../core/app.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { RunDriver } from '../core/engine/driver.js';
import { runQuellChain } from './playbook.bench.js';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qprof-'));
const core = openCore({ dbPath: path.join(dir, 'q.db'), createDir: true, clock: systemClock, ids: sequentialIds(), appVersion: 'x', engine: { playbooksDir: null } });
const c = await core.router.invoke('case.create', { name: 'x' }, { kind: 'analyst', id: 'a' });
if (!c.ok) throw new Error('x');
const proto = RunDriver.prototype as any;
const times: Record<string, number> = {};
for (const m of ['commit', 'scope', 'eval', 'render']) {
  const orig = proto[m];
  proto[m] = function (...a: unknown[]) { const t = performance.now(); try { return orig.apply(this, a); } finally { times[m] = (times[m] ?? 0) + performance.now() - t; } };
}
for (let i = 0; i < 50; i++) await runQuellChain(core, c.value.id, 10);
for (const k of Object.keys(times)) times[k] = 0;
const t0 = performance.now();
for (let i = 0; i < 300; i++) await runQuellChain(core, c.value.id, 10);
const total = performance.now() - t0;
console.log('per step µs', (total * 1000) / 3000, Object.fromEntries(Object.entries(times).map(([k, v]) => [k, ((v * 1000) / 3000).toFixed(1)])));
const t1 = performance.now();
for (let i = 0; i < 3000; i++) core.store.write(() => core.store.journal.append({ at: new Date().toISOString(), caseId: c.value.id, actor: { kind: 'playbook', id: 'x', runId: 'r', stepId: 's' }, action: 'playbook.step', payload: { runId: 'r', key: 's1', status: 'done', output: { n: 1 } } }));
console.log('bare journal write µs', ((performance.now() - t1) * 1000) / 3000);
core.close();
