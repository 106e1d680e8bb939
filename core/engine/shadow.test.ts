import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { findPlaybooksDir } from './library.js';
import { openEngineCore, trail } from './engine.test-helpers.js';

test('shadow autonomy: runs as a dry run beside the analyst, and reports how often its decisions matched theirs', async (t) => {
  const core = await openEngineCore(t);
  const pb = {
    id: 'shadow-close',
    name: 'Shadow close',
    autonomy: 'shadow' as const,
    steps: [
      { id: 'ask', type: 'approval' as const, prompt: 'Close it?' },
      { id: 'close', type: 'action' as const, action: 'case.status', impact: 'high' as const, with: { status: 'closed', reason: 'benign' } },
      { id: 'follow-up', type: 'action' as const, action: 'case.task', with: { title: 'tell the owner' } },
    ],
  };
  const run = await core.run(pb);
  assert.deepEqual([run.status, run.dryRun, trail(run)], ['completed', true, ['ask:simulated', 'close:simulated', 'follow-up:simulated']]);
  const c = await core.call<{ status: string }>('case.get', { caseId: core.caseId });
  assert.equal(c.status, 'open', 'a shadow run changes nothing');
  // The analyst closes the case, and also asks for containment the playbook did not propose.
  await core.call('case.setStatus', { caseId: core.caseId, status: 'closed', reason: 'benign after review' });
  const report = await core.call<{ runs: number; decisions: number; matched: number; missed: number; agreement: number; details: { key: string; matched: boolean }[] }>(
    'playbook.shadow',
    { playbookId: 'shadow-close' },
  );
  assert.deepEqual(
    { runs: report.runs, decisions: report.decisions, matched: report.matched, missed: report.missed, agreement: report.agreement },
    { runs: 1, decisions: 2, matched: 1, missed: 0, agreement: 0.5 },
  );
  assert.deepEqual(report.details.map((d) => [d.key, d.matched]), [['close', true], ['follow-up', false]]);
});

test('the exported JSON Schema accepts every playbook Quell ships and names what is wrong in a broken one', async (t) => {
  const core = await openEngineCore(t);
  const { schema } = await core.call<{ schema: Record<string, unknown> }>('playbook.schema', {});
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const check = ajv.compile(schema);
  const dir = findPlaybooksDir()!;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  assert.equal(files.length >= 6, true, `playbooks/ holds ${files.length} playbooks`);
  for (const f of files) assert.equal(check(parse(fs.readFileSync(path.join(dir, f), 'utf8'))), true, `${f}: ${ajv.errorsText(check.errors)}`);
  assert.equal(check({ id: 'x', name: 'X', steps: [{ id: 'a', type: 'wait' }] }), false);
  assert.equal(ajv.errorsText(check.errors).includes("must have required property 'duration'"), true, ajv.errorsText(check.errors));
});
