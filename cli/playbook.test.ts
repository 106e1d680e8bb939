import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { fixture } from '../core/ingest/import.test-helpers.js';
import { tempDir } from '../core/store/journal.test-helpers.js';
import { cliRunner } from './cli.test-helpers.js';

const cli = cliRunner;

const CALDERA = fixture('cacao/soarca/examples/caldera/flow-control.json');
const INFINITE = fixture('cacao/soarca/test/playbooks/infinite_playbook.json');
const EVERY = fixture('cacao/synthetic/every-step-type.json');

describe('quell playbook', () => {
  test('validate: a CACAO file is valid with its notes; a broken one exits 1 naming the step', async (t) => {
    const run = cli(t);
    const ok = await run('playbook', 'validate', CALDERA, '--json');
    assert.equal(ok.code, 0);
    const result = JSON.parse(ok.stdout) as { ok: boolean; format: string; steps: number; notes: { kind: string }[] };
    assert.deepEqual([result.ok, result.format, result.steps], [true, 'cacao', 4]);
    const bad = await run('playbook', 'validate', INFINITE);
    assert.equal(bad.code, 1);
    assert.equal(
      bad.stdout,
      `${INFINITE}: invalid (2 problems)\n` +
        '  workflow_exception: workflow_exception names "end--40131926-89e9-44df-a018-5f92f2df7914", which is not a step of the workflow\n' +
        '  workflow/action--6b23c237-ade8-4d00-9aa1-75999738d557/on_completion: step "action--6b23c237-ade8-4d00-9aa1-75999738d557" (name "End SOARCA Main Flow"): ' +
        'on_completion leads back to "action--6b23c237-ade8-4d00-9aa1-75999738d557", a cycle outside a while-condition body ' +
        '(action--6b23c237-ade8-4d00-9aa1-75999738d557 → action--6b23c237-ade8-4d00-9aa1-75999738d557)\n',
    );
    const missing = await run('playbook', 'validate', path.join(run.home, 'nope.yaml'));
    assert.deepEqual([missing.code, missing.stderr.split('\n')[0]], [2, `quell: cannot read ${path.join(run.home, 'nope.yaml')}: no such file`]);
  });

  test('convert: CACAO → Quell → CACAO keeps every step type; the Quell file validates and runs as a dry run', async (t) => {
    const run = cli(t);
    const yaml = path.join(run.home, 'every.yaml');
    const toQuell = await run('playbook', 'convert', EVERY, '--to', 'quell', '-o', yaml);
    assert.equal(toQuell.code, 0, toQuell.stderr);
    const back = path.join(run.home, 'every.cacao.json');
    assert.equal((await run('playbook', 'convert', yaml, '--to', 'cacao', '-o', back)).code, 0);
    const original = JSON.parse(fs.readFileSync(EVERY, 'utf8')) as { workflow: Record<string, { type: string }> };
    const again = JSON.parse(fs.readFileSync(back, 'utf8')) as { workflow: Record<string, { type: string }> };
    const types = (doc: typeof original) => [...new Set(Object.values(doc.workflow).map((s) => s.type))].sort();
    assert.deepEqual(types(again), types(original));
    assert.deepEqual(types(again), ['action', 'end', 'parallel', 'playbook-action', 'start', 'switch-condition', 'while-condition']);
    assert.equal((await run('playbook', 'validate', back)).code, 0);
    const caldera = path.join(run.home, 'caldera.cacao.json');
    assert.equal((await run('playbook', 'convert', CALDERA, '--to', 'cacao', '-o', caldera)).code, 0);
    assert.deepEqual(types(JSON.parse(fs.readFileSync(caldera, 'utf8')) as typeof original), ['action', 'end', 'if-condition', 'start']);
  });

  test('run: a playbook file on a case, as a dry run and for real, with its outcome and steps; list and show', async (t) => {
    const run = cli(t);
    const file = path.join(run.home, 'close.yaml');
    fs.writeFileSync(
      file,
      [
        'id: close-benign',
        'name: Close a benign case',
        'inputs:',
        '  reason: { type: string, required: true }',
        'steps:',
        '  - id: note',
        '    type: action',
        '    action: case.note',
        '    with: { text: "closing: {{ inputs.reason }}" }',
        '  - id: close',
        '    type: action',
        '    action: case.status',
        '    with: { status: closed, reason: "{{ inputs.reason }}" }',
        '  - id: end',
        '    type: end',
        '    outcome: closed',
      ].join('\n'),
    );
    const caseId = (await run('case', 'new', 'CLI run')).stdout.trim();
    const dry = await run('playbook', 'run', file, '--case', caseId, '--mode', 'dry-run', '--inputs', '{"reason":"false positive"}', '--json');
    assert.equal(dry.code, 0, dry.stderr);
    const dryRun = JSON.parse(dry.stdout) as { status: string; outcome: string; dryRun: boolean; steps: { key: string; status: string; simulated: boolean }[] };
    assert.deepEqual([dryRun.status, dryRun.outcome, dryRun.dryRun], ['completed', 'closed', true]);
    assert.deepEqual(dryRun.steps.map((s) => [s.key, s.status, s.simulated]), [['note', 'simulated', true], ['close', 'simulated', true], ['end', 'done', false]]);
    assert.equal(JSON.parse((await run('case', 'list', '--json')).stdout)[0].status, 'open', 'the dry run closed nothing');

    const real = await run('playbook', 'run', file, '--case', caseId, '--inputs', '{"reason":"false positive"}');
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /^run_\w+  close-benign v1  for real, auto\nSTEP   STATUS  RESULT\nnote   done    .+\nclose  done    .+\nend    done    \{"outcome":"closed","reason":null\}\ncompleted: closed\n$/);
    assert.equal(JSON.parse((await run('case', 'list', '--json')).stdout)[0].status, 'closed');

    const noInput = await run('playbook', 'run', file, '--case', caseId);
    assert.deepEqual([noInput.code, noInput.stderr.trim()], [1, 'quell: playbook "close-benign" needs input "reason"']);
    const runs = JSON.parse((await run('run', 'list', '--case', caseId, '--json')).stdout) as { status: string; dryRun: boolean }[];
    assert.deepEqual(runs.map((r) => [r.status, r.dryRun]), [['completed', false], ['completed', true]]);
  });

  test('list: the playbooks Quell ships', async (t) => {
    const run = cli(t);
    const out = await run('playbook', 'list', '--json');
    const ids = (JSON.parse(out.stdout) as { id: string }[]).map((p) => p.id);
    assert.deepEqual(ids, ['golden-saml-account', 'indicator-triage', 'lsass-credential-dumping', 'malicious-ip', 'notify-owners', 'ransomware-precursor']);
  });
});

describe('quell report', () => {
  test('the case report lists the runs with simulated steps marked, the approvals and the journal check', async (t) => {
    const run = cli(t);
    const file = path.join(run.home, 'note.yaml');
    fs.writeFileSync(file, 'id: tell\nname: Tell\nsteps:\n  - { id: say, type: action, action: case.note, with: { text: "looked at it" } }\n');
    const caseId = (await run('case', 'new', 'Report me')).stdout.trim();
    assert.equal((await run('playbook', 'run', file, '--case', caseId, '--mode', 'dry-run')).code, 0);
    assert.equal((await run('playbook', 'run', file, '--case', caseId)).code, 0);
    const out = path.join(run.home, 'report.md');
    const done = await run('report', '--case', caseId, '-o', out);
    assert.equal(done.code, 0, done.stderr);
    const md = fs.readFileSync(out, 'utf8');
    assert.match(md, /^# Case report: Report me\n/);
    assert.match(md, /\| Alerts \| Events \| Incidents \| Quarantined records \| Journal entries \|\n\| --- \| --- \| --- \| --- \| --- \|\n\| 0 \| 0 \| 0 \| 0 \| \d+ \|/);
    assert.match(md, /### Tell \(tell\), dry run: completed\n[\s\S]*\| say \| simulated \| yes \|  \|/);
    assert.match(md, /### Tell \(tell\), for real: completed\n[\s\S]*\| say \| done \| no \|  \|/);
    assert.match(md, /- \S+ tell: looked at it/);
    assert.match(md, /Journal verified: \d+ entries, hash chain intact\./);
    const html = await run('report', '--case', caseId, '--format', 'html', '--json');
    const parsed = JSON.parse(html.stdout) as { fileName: string; text: string; journalOk: boolean };
    assert.deepEqual([parsed.fileName, parsed.journalOk], ['quell-report-report-me.html', true]);
    assert.equal(parsed.text.includes('<script'), false);
    assert.match(parsed.text, /<td>say<\/td><td>simulated<\/td><td>yes<\/td>/);
  });
});
