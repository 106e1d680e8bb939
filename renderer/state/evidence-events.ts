import type { CaseId } from '../../core/model/index.js';
import type { QuellClient } from '../client/index.js';
import { useAttack } from './attack-store.js';
import { useConnectors } from './connectors-store.js';
import { useAlerts, useTimeline } from './event-list.js';
import { useImport } from './import-store.js';
import { useIncidents } from './incidents-store.js';
import { useQuarantine } from './quarantine-store.js';

/** Journal actions after which a case's evidence lists are out of date. */
const CHANGES_EVIDENCE = new Set(['import.finished', 'incidents.regrouped', 'connector.pull.page']);

/**
 * Keeps the evidence slices current: import progress goes to the import dialog, and the lists of a case that are
 * loaded are reloaded when an import or a regroup of that case finishes (from this window, the CLI or anywhere).
 */
export function connectEvidence(client: QuellClient): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  // One import of several files ends in several entries in quick succession; reload once they have settled.
  const refreshSoon = (caseId: CaseId) => {
    clearTimeout(timers.get(caseId));
    timers.set(caseId, setTimeout(() => refreshCase(caseId), 150));
  };

  const offJournal = client.subscribe('journal.appended', (entry) => {
    useImport.getState().onJournal(entry);
    if (entry.caseId && CHANGES_EVIDENCE.has(entry.action)) refreshSoon(entry.caseId);
    // A scheduled pull, or one started from the CLI, shows on the Connectors page as it happens.
    if (entry.action.startsWith('connector.')) useConnectors.getState().refreshSoon();
  });
  const offProgress = client.subscribe('import.progress', (p) => useImport.getState().onProgress(p));
  const offPull = client.subscribe('connector.progress', (p) => useConnectors.getState().onProgress(p));
  return () => {
    offJournal();
    offProgress();
    offPull();
    for (const t of timers.values()) clearTimeout(t);
  };
}

export function refreshCase(caseId: CaseId): void {
  for (const list of [useAlerts, useTimeline]) if (list.getState().caseId === caseId) list.getState().refresh();
  if (useQuarantine.getState().caseId === caseId) void useQuarantine.getState().load(caseId);
  if (useIncidents.getState().caseId === caseId) void useIncidents.getState().load(caseId);
  if (useAttack.getState().caseId === caseId) void useAttack.getState().load(caseId);
}
