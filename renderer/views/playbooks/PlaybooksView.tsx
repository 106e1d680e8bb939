import { useEffect } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { usePlaybooks } from '../../state/playbooks-store.js';
import { useRunner } from '../../state/runner-store.js';
import { PlaybookLibrary } from './PlaybookLibrary.js';
import { RunList } from './RunList.js';
import { RunnerView } from './RunnerView.js';
import { StartRunForm } from './StartRunForm.js';

/** A case's playbooks: the library and the case's runs on the left; the start form or one run's runner beside them. */
export function PlaybooksView({ caseId, runId }: { caseId: CaseId; runId: string | null }) {
  const load = usePlaybooks((s) => s.load);
  const picked = usePlaybooks((s) => s.picked);
  const open = useRunner((s) => s.open);
  const close = useRunner((s) => s.close);
  useEffect(() => void load(caseId), [caseId, load]);
  useEffect(() => {
    if (runId) void open(runId);
    else close();
  }, [runId, open, close]);

  return (
    <section className="evidence-view playbooks-view" aria-labelledby="playbooks-view-title">
      <h2 id="playbooks-view-title" className="sr-only">
        Playbooks
      </h2>
      <div className="playbooks-layout">
        <div className="playbooks-side">
          <PlaybookLibrary caseId={caseId} />
          <RunList caseId={caseId} active={runId} />
        </div>
        <div className="playbooks-main">
          {runId ? (
            <RunnerView caseId={caseId} />
          ) : picked ? (
            <StartRunForm caseId={caseId} />
          ) : (
            <p className="empty">Pick a playbook to run it on this case, or a run to follow it.</p>
          )}
        </div>
      </div>
    </section>
  );
}
