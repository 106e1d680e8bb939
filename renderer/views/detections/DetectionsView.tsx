import { useEffect } from 'react';
import type { CaseId } from '../../../core/model/index.js';
import { useSigma, type SigmaRunSummary } from '../../state/sigma-store.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { countOf } from '../common/format.js';
import { DetectionDetail } from './DetectionDetail.js';
import { DetectionList } from './DetectionList.js';
import { RuleBrowser } from './RuleBrowser.js';

/** Sigma in a case: run the shipped rules, browse them, and read each detection with the fields that fired it. */
export function DetectionsView({ caseId }: { caseId: CaseId }) {
  const { caseId: loadedFor, load, run, running, lastRun, runError } = useSigma();
  useEffect(() => void load(caseId), [caseId, load]);
  const ready = loadedFor === caseId;

  return (
    <section className="evidence-view detections-view" aria-labelledby="detections-view-title">
      <div className="view-header">
        <h2 id="detections-view-title">Sigma detections</h2>
        <button type="button" disabled={!ready || running} onClick={() => void run()}>
          {running ? 'Running rules…' : 'Run Sigma rules'}
        </button>
      </div>
      {runError && (
        <div className="error-banner" role="alert" data-code={runError.code}>
          <ApiErrorMessage error={runError} />
        </div>
      )}
      {lastRun && <RunSummary run={lastRun} />}
      <div className="detections-layout">
        <RuleBrowser />
        <DetectionList />
        <DetectionDetail />
      </div>
    </section>
  );
}

function RunSummary({ run }: { run: SigmaRunSummary }) {
  return (
    <p className="run-summary" role="status" data-testid="sigma-run-summary">
      {countOf(run.rules.loaded, 'rule')} over {countOf(run.records, 'record')}: {countOf(run.detections, 'detection')},{' '}
      {run.stored} new, {run.duplicates} already stored
      {run.rules.rejected.length > 0 && `; ${countOf(run.rules.rejected.length, 'rule')} rejected`}
      {run.unreadable > 0 && `; ${countOf(run.unreadable, 'record')} could not be read by field name`}.
    </p>
  );
}
