// Splunk's actions: update a notable event (Splunk ES `notable_update`, synchronous) and run a saved search
// (dispatch, then the job is polled to DONE).
import { z } from 'zod';
import type { ActionOutcome, ActionSpec, PollHandle } from '../sdk/index.js';
import { ConnectorError } from '../sdk/index.js';
import { call, ns, type SplunkContext } from './client.js';
import { dispatchSearch, isDone, isFailed, jobError, jobState } from './jobs.js';

/** ES status ids as shipped (`reviewstatuses.conf`); a deployment can add its own, so a bare id is accepted too. */
export const NOTABLE_STATUS = { unassigned: '0', new: '1', in_progress: '2', pending: '3', resolved: '4', closed: '5' } as const;
const StatusName = z.enum(Object.keys(NOTABLE_STATUS) as [keyof typeof NOTABLE_STATUS, ...(keyof typeof NOTABLE_STATUS)[]]);

export const UpdateNotableInput = z
  .object({
    /** The notable's `event_id` (`<indexer guid>@@notable@@<hash>`). */
    eventId: z.string().min(1),
    status: z.union([StatusName, z.string().regex(/^\d+$/, 'a status name or a numeric status id')]).optional(),
    urgency: z.enum(['informational', 'low', 'medium', 'high', 'critical']).optional(),
    owner: z.string().min(1).optional(),
    comment: z.string().min(1).optional(),
    /** `disposition:1` … `disposition:7`. */
    disposition: z.string().regex(/^disposition:\d+$/).optional(),
  })
  .strict()
  .refine((i) => i.status !== undefined || i.urgency !== undefined || i.owner !== undefined || i.comment !== undefined || i.disposition !== undefined, {
    message: 'give at least one of status, urgency, owner, comment, disposition',
  });

export const RunSavedSearchInput = z
  .object({
    name: z.string().min(1),
    earliestTime: z.string().min(1).optional(),
    latestTime: z.string().min(1).optional(),
    /** Whether the saved search's own alert actions fire (`trigger_actions`). */
    triggerActions: z.boolean().default(false),
  })
  .strict();

export const SPLUNK_ACTIONS: Record<string, ActionSpec> = {
  updateNotable: {
    name: 'updateNotable',
    summary: 'Set a notable event\'s status, urgency or owner, or add a comment (Splunk ES)',
    input: UpdateNotableInput,
    impact: {
      changes: 'changes the notable event\'s review status, urgency, owner or disposition in Splunk ES (and adds a comment)',
      reversible: true,
      undo: 'updateNotable',
      risk: 'low',
    },
  },
  runSavedSearch: {
    name: 'runSavedSearch',
    summary: 'Dispatch a saved search and wait for its job to finish',
    input: RunSavedSearchInput,
    impact: {
      changes: 'runs a saved search on the search head (uses search capacity; with triggerActions its alert actions fire)',
      reversible: false,
      risk: 'low',
    },
  },
};

const UpdateAnswer = z.object({ success: z.boolean(), message: z.string().optional(), failure_count: z.number().optional() }).passthrough();

async function updateNotable(ctx: SplunkContext, input: z.infer<typeof UpdateNotableInput>): Promise<ActionOutcome> {
  const changes: Record<string, string> = {};
  if (input.status !== undefined) changes['status'] = input.status in NOTABLE_STATUS ? NOTABLE_STATUS[input.status as keyof typeof NOTABLE_STATUS] : input.status;
  if (input.urgency !== undefined) changes['urgency'] = input.urgency;
  if (input.owner !== undefined) changes['newOwner'] = input.owner;
  if (input.comment !== undefined) changes['comment'] = input.comment;
  if (input.disposition !== undefined) changes['disposition'] = input.disposition;
  const path = '/services/notable_update';
  const res = await call(ctx, { method: 'POST', path, form: { ruleUIDs: input.eventId, ...changes } });
  const answer = UpdateAnswer.safeParse(res.body);
  if (!answer.success) throw new ConnectorError('protocol', 'the notable_update answer has no success flag', { connector: ctx.name, request: `POST ${path}`, status: res.status });
  const result = { eventId: input.eventId, changes, message: answer.data.message ?? '', failureCount: answer.data.failure_count ?? 0 };
  return answer.data.success && (answer.data.failure_count ?? 0) === 0
    ? { status: 'done', result }
    : { status: 'failed', reason: `Splunk did not update notable ${input.eventId}: ${answer.data.message ?? 'no message'}`, result };
}

async function runSavedSearch(ctx: SplunkContext, input: z.infer<typeof RunSavedSearchInput>): Promise<ActionOutcome> {
  const form: Record<string, string> = { trigger_actions: input.triggerActions ? '1' : '0' };
  if (input.earliestTime) form['dispatch.earliest_time'] = input.earliestTime;
  if (input.latestTime) form['dispatch.latest_time'] = input.latestTime;
  const sid = await dispatchSearch(ctx, ns(ctx.settings, `/saved/searches/${encodeURIComponent(input.name)}/dispatch`), form, true);
  return { status: 'pending', poll: { sid, name: input.name }, message: `saved search "${input.name}" dispatched as job ${sid}` };
}

const PollSid = z.object({ sid: z.string().min(1), name: z.string().optional() });

async function pollSavedSearch(ctx: SplunkContext, handle: PollHandle): Promise<ActionOutcome> {
  const h = PollSid.safeParse(handle);
  if (!h.success) throw new ConnectorError('config', 'the poll handle has no sid', { connector: ctx.name });
  const state = await jobState(ctx, ns(ctx.settings, `/search/jobs/${encodeURIComponent(h.data.sid)}`));
  if (!state) return { status: 'pending', poll: { ...h.data }, message: `job ${h.data.sid} is not ready yet` };
  const result = { sid: h.data.sid, dispatchState: state.dispatchState, resultCount: state.resultCount ?? 0, eventCount: state.eventCount ?? 0 };
  if (isFailed(state)) return { status: 'failed', reason: `job ${h.data.sid} failed: ${jobError(state)}`, result };
  if (isDone(state)) return { status: 'done', result };
  return { status: 'pending', poll: { ...h.data }, message: `job ${h.data.sid} is ${state.dispatchState}` };
}

export async function runAction(ctx: SplunkContext, action: string, input: unknown): Promise<ActionOutcome> {
  switch (action) {
    case 'updateNotable':
      return updateNotable(ctx, UpdateNotableInput.parse(input));
    case 'runSavedSearch':
      return runSavedSearch(ctx, RunSavedSearchInput.parse(input));
    default:
      throw new ConnectorError('config', `Splunk has no action "${action}" (actions: ${Object.keys(SPLUNK_ACTIONS).join(', ')})`, { connector: ctx.name });
  }
}

export async function pollAction(ctx: SplunkContext, action: string, handle: PollHandle): Promise<ActionOutcome> {
  if (action === 'runSavedSearch') return pollSavedSearch(ctx, handle);
  throw new ConnectorError('config', `Splunk action "${action}" finishes at once and has nothing to poll`, { connector: ctx.name });
}
