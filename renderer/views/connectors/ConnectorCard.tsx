import { useState } from 'react';
import { useApp } from '../../state/app-store.js';
import { useConnectors, type ConnectorInfo } from '../../state/connectors-store.js';
import { ApiErrorMessage } from '../common/ApiErrorMessage.js';
import { countOf, formatTime } from '../common/format.js';

/** One configured connector: test it, pull now into a case, schedule it, and see what its last pull did. */
export function ConnectorCard({ connector }: { connector: ConnectorInfo }) {
  const cases = useApp((s) => s.cases);
  const activity = useConnectors((s) => s.activity[connector.name]) ?? {};
  const { test, pull, stop, setEnabled, setSchedule, remove } = useConnectors();
  const [caseId, setCaseId] = useState(connector.schedule?.caseId ?? cases[0]?.id ?? '');
  const [every, setEvery] = useState(String(connector.schedule?.everyMinutes ?? 15));
  const running = connector.running || activity.pulling === true;
  const last = connector.lastPull;
  const progress = activity.progress;

  return (
    <article className="connector-card" aria-label={`Connector ${connector.name}`} data-connector={connector.name}>
      <header className="connector-head">
        <div>
          <h3>{connector.name}</h3>
          <span className="muted">
            {connector.vendor}
            {!connector.known && ' · not built into this Quell'}
          </span>
        </div>
        <label className="level-toggle">
          <input type="checkbox" checked={connector.enabled} onChange={(e) => void setEnabled(connector.name, e.target.checked)} /> enabled
        </label>
      </header>

      <table className="fields">
        <tbody>
          {Object.entries(connector.settings).map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{typeof v === 'string' ? v : JSON.stringify(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="filter-line">
        <button type="button" onClick={() => void test(connector.name)} disabled={activity.testing === true}>
          {activity.testing ? 'Testing…' : 'Test connection'}
        </button>
        {activity.test && (
          <span role="status" data-testid="test-result" className={activity.test.ok ? 'test-ok' : 'test-failed'}>
            {activity.test.ok ? '✓ ' : '✗ '}
            {activity.test.message} ({activity.test.durationMs} ms)
          </span>
        )}
      </div>

      <div className="filter-line">
        <label>
          Case{' '}
          <select aria-label="Case to pull into" value={caseId} onChange={(e) => setCaseId(e.target.value)}>
            {cases.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button type="button" onClick={() => void stop(connector.name)}>
            Stop pull
          </button>
        ) : (
          <button type="button" disabled={!caseId || !connector.enabled} onClick={() => void pull(connector.name, caseId)}>
            Pull now
          </button>
        )}
        <label>
          every{' '}
          <input type="number" aria-label="Pull every (minutes)" min={1} value={every} onChange={(e) => setEvery(e.target.value)} className="minutes" /> min
        </label>
        <button type="button" disabled={!caseId || !(Number(every) >= 1)} onClick={() => void setSchedule(connector.name, { caseId, everyMinutes: Math.round(Number(every)) })}>
          Schedule
        </button>
        {connector.schedule && (
          <button type="button" className="secondary" onClick={() => void setSchedule(connector.name, null)}>
            Unschedule
          </button>
        )}
      </div>
      <p className="muted" data-testid="schedule">
        {connector.schedule
          ? `Pulls into ${cases.find((c) => c.id === connector.schedule?.caseId)?.name ?? connector.schedule.caseId} every ${countOf(connector.schedule.everyMinutes, 'minute')}${connector.enabled ? '' : ' (disabled)'}.`
          : 'Not scheduled.'}
      </p>

      {running && progress && (
        <p role="status" data-testid="pull-progress">
          Pulling: {countOf(progress.pages, 'page')}, {countOf(progress.read, 'alert')} read, {progress.stored} stored, {progress.duplicates} duplicates
          {progress.retries > 0 && `, ${countOf(progress.retries, 'retry', 'retries')}`}…
        </p>
      )}
      {activity.pull && (
        <p role="status" data-testid="pull-result">
          {activity.pull.stopped ? 'Stopped' : activity.pull.caughtUp ? 'Caught up' : 'Pulled'}: {countOf(activity.pull.totals.read, 'alert')} read,{' '}
          {activity.pull.totals.stored} stored, {activity.pull.totals.duplicates} duplicates, {activity.pull.totals.quarantined} quarantined in{' '}
          {countOf(activity.pull.pages, 'page')} ({countOf(activity.pull.requests, 'request')}, {countOf(activity.pull.retries, 'retry', 'retries')}).
        </p>
      )}
      {!activity.pull && last.at && (
        <p className="muted" data-testid="last-pull">
          Last pull {formatTime(last.at)}: {last.status ?? 'unknown'}
        </p>
      )}
      {last.error && (
        <p className="error-text" data-testid="last-error">
          Last error: {last.error}
        </p>
      )}
      {activity.error && (
        <div className="error-banner" role="alert">
          <ApiErrorMessage error={activity.error} />
        </div>
      )}
      {connector.cursors.length > 0 && (
        <p className="muted">
          {connector.cursors
            .map((c) => `${cases.find((x) => x.id === c.caseId)?.name ?? c.caseId}: ${countOf(c.records, 'alert')} in ${countOf(c.pages, 'page')}`)
            .join(' · ')}
        </p>
      )}
      <div className="modal-actions">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            if (window.confirm(`Remove connector ${connector.name} and its stored secrets? Pulled alerts stay in their cases.`)) void remove(connector.name);
          }}
        >
          Remove
        </button>
      </div>
    </article>
  );
}
