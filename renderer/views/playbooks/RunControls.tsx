import { useState } from 'react';
import type { RunView } from '../../../core/model/index.js';
import { useRunner } from '../../state/runner-store.js';
import { parseJson } from './json.js';

/** Which commands the run accepts now: the same table the engine checks (core/engine/control.ts). */
export function allowedControls(run: RunView) {
  const kind = run.wait?.kind ?? null;
  const atStep = kind === 'step' || kind === 'breakpoint' || kind === 'pause';
  const live = run.status === 'running' || run.status === 'paused' || run.status === 'waiting';
  return {
    step: atStep,
    continue: atStep,
    skip: atStep || kind === 'timer',
    override: atStep,
    pause: run.status === 'running' && kind === null,
    resume: kind === 'pause',
    cancel: live,
  };
}

/** The debugger's buttons, and the output to put in place of the next step's when overriding it. */
export function RunControls({ run }: { run: RunView }) {
  const { control, override, resume, busy } = useRunner();
  const [overriding, setOverriding] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const allowed = allowedControls(run);

  const sendOverride = async () => {
    const parsed = parseJson(text, 'The override output');
    if ('error' in parsed) return setProblem(parsed.error);
    setProblem(null);
    if (await override(parsed.value)) {
      setOverriding(false);
      setText('');
    }
  };

  return (
    <div className="run-controls" role="toolbar" aria-label="Run controls">
      <div className="filter-line">
        <button type="button" disabled={busy || !allowed.step} onClick={() => void control('step')} title="Run the next step, then pause again">
          Step
        </button>
        <button type="button" disabled={busy || !allowed.continue} onClick={() => void control('continue')} title="Run on to the next breakpoint or stop">
          Continue
        </button>
        <button type="button" className="secondary" disabled={busy || !allowed.skip} onClick={() => void control('skip')}>
          Skip
        </button>
        <button type="button" className="secondary" disabled={busy || !allowed.override} aria-expanded={overriding} onClick={() => setOverriding(!overriding)}>
          Override output…
        </button>
        <button type="button" className="secondary" disabled={busy || !allowed.pause} onClick={() => void control('pause')}>
          Pause
        </button>
        <button type="button" className="secondary" disabled={busy || !allowed.resume} onClick={() => void control('resume')}>
          Resume
        </button>
        <button
          type="button"
          className="secondary danger"
          disabled={busy || !allowed.cancel}
          onClick={() => {
            if (window.confirm(`Cancel run ${run.id}? Steps already done stay done.`)) void control('cancel');
          }}
        >
          Cancel run
        </button>
        {run.status === 'interrupted' && (
          <button type="button" disabled={busy} onClick={() => void resume()}>
            Resume interrupted run
          </button>
        )}
      </div>
      {overriding && allowed.override && (
        <div className="override-box">
          <label>
            Output of <code>{run.wait?.key}</code> instead of running it (JSON)
            <textarea aria-label="Override output" rows={4} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder='{"owner": "net-team"}' />
          </label>
          {problem && (
            <p className="field-problem" role="alert">
              {problem}
            </p>
          )}
          <div className="modal-actions">
            <button type="button" className="secondary" onClick={() => setOverriding(false)}>
              Cancel
            </button>
            <button type="button" disabled={busy} onClick={() => void sendOverride()}>
              Use this output
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
