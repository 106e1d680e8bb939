import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromCacao } from './import.js';
import { VALID, quellError, readFixture, schemasDir } from './cacao.test-helpers.js';
import { validateCacao } from './validate.js';

const EXC_MISSING = {
  path: 'workflow_exception',
  message: 'workflow_exception names "end--40131926-89e9-44df-a018-5f92f2df7914", which is not a step of the workflow',
};

describe('validateCacao', () => {
  for (const file of VALID) {
    test(`${file} is valid`, () => assert.deepEqual(validateCacao(readFixture(file), schemasDir), []));
  }

  test('invalid_playbook: an http-api agent whose type is "invalid" (schema), and a missing workflow_exception', () => {
    assert.deepEqual(validateCacao(readFixture('soarca/test/playbooks/invalid_playbook.json'), schemasDir), [
      { path: 'agent_definitions/http-api--7e9174ec-a293-43df-a72d-471c79e276bf/type', message: 'must be one of "http-api" (found "invalid")' },
      EXC_MISSING,
    ]);
  });

  test('changed-playbook: a workflow given as a JSON array gets one clear message', () => {
    assert.deepEqual(validateCacao(readFixture('soarca/test/playbooks/changed-playbook.json'), schemasDir), [
      { path: 'workflow', message: 'workflow is a JSON array (the pre-2.0 shape); CACAO 2.0 needs an object keyed by step id' },
    ]);
  });

  test('infinite_playbook: a cycle outside a while-condition body', () => {
    const id = 'action--6b23c237-ade8-4d00-9aa1-75999738d557';
    assert.deepEqual(validateCacao(readFixture('soarca/test/playbooks/infinite_playbook.json'), schemasDir), [
      EXC_MISSING,
      {
        path: `workflow/${id}/on_completion`,
        step: id,
        message: `step "${id}" (name "End SOARCA Main Flow"): on_completion leads back to "${id}", a cycle outside a while-condition body (${id} → ${id})`,
      },
    ]);
  });

  test('SOARCA test playbook.json: workflow_exception names a step that does not exist', () => {
    assert.deepEqual(validateCacao(readFixture('soarca/test/playbooks/playbook.json'), schemasDir), [EXC_MISSING]);
  });

  test('on_completion naming a missing step names the step and its name', () => {
    const id = 'action--000000ca-0000-4000-8000-0000000000ca';
    assert.deepEqual(validateCacao(readFixture('synthetic/missing-on-completion-target.json'), schemasDir), [
      {
        path: `workflow/${id}/on_completion`,
        step: id,
        message: `step "${id}" (name "Block IP"): on_completion names "end--000003e7-0000-4000-8000-0000000003e7", which is not a step of the workflow`,
      },
    ]);
  });

  test('workflow_start naming a missing step', () => {
    assert.deepEqual(validateCacao(readFixture('synthetic/missing-workflow-start.json'), schemasDir), [
      { path: 'workflow_start', message: 'workflow_start names "start--000003e6-0000-4000-8000-0000000003e6", which is not a step of the workflow' },
    ]);
  });

  test('on_completion combined with on_success, an undefined agent and target, an unknown step type', () => {
    const doc = structuredClone(readFixture('oasis-tcs-cacao/basic-example-1.json')) as { workflow: Record<string, Record<string, unknown>> };
    const action = doc.workflow['action--6398eb05-3eb8-43f5-87d3-f24e07492a41']!;
    action.on_success = 'end--116cdac5-63f1-4d8f-b3a8-e5667936e9b6';
    action.agent = 'individual--00000000-0000-4000-8000-000000000000';
    action.targets = ['linux--00000000-0000-4000-8000-000000000000'];
    doc.workflow['soarca--00000000-0000-4000-8000-000000000001'] = { type: 'goto' };
    const label = 'step "action--6398eb05-3eb8-43f5-87d3-f24e07492a41" (name "Block MAC address")';
    assert.deepEqual(
      validateCacao(doc, schemasDir).map((i) => i.message),
      [
        `${label}: on_completion cannot be combined with on_success`,
        `${label}: agent names "individual--00000000-0000-4000-8000-000000000000", which is not in agent_definitions`,
        `${label}: target "linux--00000000-0000-4000-8000-000000000000" is not in target_definitions`,
        'step "soarca--00000000-0000-4000-8000-000000000001": type "goto" is not a CACAO 2.0 step type',
      ],
    );
  });

  test('a cycle through a while-condition body is allowed', () => {
    const doc = structuredClone(readFixture('synthetic/every-step-type.json')) as { workflow: Record<string, Record<string, unknown>> };
    doc.workflow['action--00000006-0000-4000-8000-000000000006']!.on_completion = 'while-condition--00000005-0000-4000-8000-000000000005';
    assert.deepEqual(validateCacao(doc, schemasDir), []);
  });

  test('fromCacao refuses an invalid document with QuellError invalid_input and the issues', () => {
    const err = quellError(() => fromCacao(readFixture('soarca/test/playbooks/changed-playbook.json')));
    assert.equal(err.code, 'invalid_input');
    assert.equal(err.message, 'not a valid CACAO 2.0 playbook (1 issue)');
    assert.deepEqual(err.issues, [{ path: 'workflow', message: 'workflow is a JSON array (the pre-2.0 shape); CACAO 2.0 needs an object keyed by step id' }]);
  });
});
