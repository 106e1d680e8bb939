import { useState } from 'react';
import type { RunWait } from '../../../core/model/index.js';
import { useRunner } from '../../state/runner-store.js';
import { formatTime } from '../common/format.js';
import { prettyJson } from './json.js';
import { RiskSummary } from './RiskSummary.js';

/** The run waits for a person to approve: what is asked, the risk and blast radius, and the decision with a comment. */
export function ApprovalPrompt({ wait }: { wait: RunWait }) {
  const decide = useRunner((s) => s.decide);
  const busy = useRunner((s) => s.busy);
  const [comment, setComment] = useState('');
  return (
    <section className="card approval" role="region" aria-label="Approval">
      <h3>Approval needed</h3>
      <p className="approval-prompt" data-testid="approval-prompt">
        {wait.prompt}
      </p>
      <p className="muted">
        Step <code>{wait.key}</code> · asked {formatTime(wait.since)}
        {wait.deadline && ` · until ${formatTime(wait.deadline)}`}
        {wait.assignee && ` · approvers ${wait.assignee}`}
      </p>
      {wait.risk && <RiskSummary risk={wait.risk} />}
      {wait.input !== null && wait.input !== undefined && (
        <details>
          <summary>What would be sent</summary>
          <pre className="raw">{prettyJson(wait.input)}</pre>
        </details>
      )}
      <label>
        Comment <span className="muted">(kept in the journal)</span>
        <textarea aria-label="Approval comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <div className="modal-actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void decide('reject', comment)}>
          Refuse
        </button>
        <button type="button" disabled={busy} onClick={() => void decide('approve', comment)}>
          Approve
        </button>
      </div>
    </section>
  );
}
