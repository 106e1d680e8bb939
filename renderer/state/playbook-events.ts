import type { QuellClient } from '../client/index.js';
import { usePlaybooks } from './playbooks-store.js';
import { useRunner } from './runner-store.js';

/**
 * Keeps the runner and the case's run list current: a run started here, from the CLI or by a schedule reports every
 * step and every stop with `run.updated`; the open run is read again and the list of its case reloaded.
 */
export function connectPlaybooks(client: QuellClient): () => void {
  return client.subscribe('run.updated', (update) => {
    useRunner.getState().onRunUpdated(update.runId);
    if (usePlaybooks.getState().caseId === update.caseId) void usePlaybooks.getState().refreshRuns();
  });
}
