// Search jobs: dispatch, poll to a final state, read a page of results. Shared by the alert pull and the
// "run a saved search" action.
import { z } from 'zod';
import { abortableSleep } from '../sdk/index.js';
import { ConnectorError } from '../sdk/index.js';
import { call, failure, splunkMessages, type SplunkContext } from './client.js';

const Sid = z.object({ sid: z.string().min(1) });

const JobEntry = z.object({
  entry: z
    .array(
      z.object({
        name: z.string().optional(),
        content: z
          .object({
            sid: z.string().optional(),
            dispatchState: z.string(),
            isDone: z.union([z.boolean(), z.string(), z.number()]).optional(),
            isFailed: z.union([z.boolean(), z.string(), z.number()]).optional(),
            doneProgress: z.number().optional(),
            resultCount: z.number().optional(),
            eventCount: z.number().optional(),
            messages: z.array(z.object({ type: z.string().optional(), text: z.string().optional() })).optional(),
          })
          .passthrough(),
      }),
    )
    .min(1),
});
export type JobState = z.infer<typeof JobEntry>['entry'][number]['content'];

const Results = z.object({
  results: z.array(z.record(z.string(), z.unknown())),
  init_offset: z.number().optional(),
  preview: z.boolean().optional(),
});

/** The sid of a 201 `{"sid": …}` answer. */
export function readSid(body: unknown, request: string): string {
  const parsed = Sid.safeParse(body);
  if (!parsed.success) throw new ConnectorError('protocol', 'the answer has no sid', { request });
  return parsed.data.sid;
}

/**
 * Creates a job and returns its sid. `once`: a dispatch that timed out may still have started a job, and sending it
 * again would run the search twice; for an action that matters, for the pull's own read-only search it does not.
 */
export async function dispatchSearch(ctx: SplunkContext, path: string, form: Record<string, string>, once: boolean): Promise<string> {
  const res = await call(ctx, { method: 'POST', path, form, ...(once ? { noRetry: true } : {}) });
  return readSid(res.body, `POST ${path}`);
}

/** The job's state; null while splunkd answers 204 No Content (the job exists but is not ready to describe). */
export async function jobState(ctx: SplunkContext, path: string): Promise<JobState | null> {
  const res = await call(ctx, { method: 'GET', path });
  if (res.status === 204) return null;
  const parsed = JobEntry.safeParse(res.body);
  if (!parsed.success) throw new ConnectorError('protocol', `the job answer is not an entry with dispatchState: ${parsed.error.issues[0]?.message ?? ''}`, { connector: ctx.name, request: `GET ${path}` });
  return parsed.data.entry[0]!.content;
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';
export const isFailed = (j: JobState) => j.dispatchState === 'FAILED' || truthy(j.isFailed);
export const isDone = (j: JobState) => j.dispatchState === 'DONE' || truthy(j.isDone);

/** Why a failed job failed, from its messages. */
export const jobError = (j: JobState) => splunkMessages({ messages: j.messages ?? [] }) ?? `dispatchState ${j.dispatchState}`;

/** Polls until the job is DONE (or FAILED), backing off from 100 ms to 2 s between polls. */
export async function waitForJob(ctx: SplunkContext, path: string, timeoutMs: number): Promise<JobState> {
  const started = Date.now();
  for (let delay = 100; ; delay = Math.min(2000, delay * 2)) {
    const state = await jobState(ctx, path);
    if (state && (isDone(state) || isFailed(state))) return state;
    if (Date.now() - started > timeoutMs) {
      throw new ConnectorError('timeout', `the search job is still ${state?.dispatchState ?? 'not ready'} after ${Math.round(timeoutMs / 1000)} s`, { connector: ctx.name, request: `GET ${path}` });
    }
    await abortableSleep(delay, ctx.signal);
  }
}

/** One page of a finished job's results; null when the job is gone (expired or deleted: 404 "Unknown sid."). */
export async function resultsPage(ctx: SplunkContext, jobPath: string, offset: number, count: number): Promise<Record<string, unknown>[] | null> {
  const path = `${jobPath}/results`;
  const res = await ctx.http.request({ method: 'GET', path, query: { output_mode: 'json', offset, count } });
  if (res.status === 404) return null;
  if (res.status === 204) throw new ConnectorError('protocol', 'the job has no results yet (204) although it reported DONE', { connector: ctx.name, request: `GET ${path}` });
  if (res.status < 200 || res.status >= 300) throw failure(ctx, res, { method: 'GET', path });
  const parsed = Results.safeParse(res.body);
  if (!parsed.success) throw new ConnectorError('protocol', `the results answer has no results[]: ${parsed.error.issues[0]?.message ?? ''}`, { connector: ctx.name, request: `GET ${path}` });
  // Preview rows are interim; a finished job should not send any, and they must never be stored.
  return parsed.data.preview === true ? [] : parsed.data.results;
}

/** Deletes a finished job; best effort, since Splunk expires it on its own (`ttl`) if this does not get through. */
export async function cancelJob(ctx: SplunkContext, jobPath: string): Promise<void> {
  try {
    await ctx.http.request({ method: 'DELETE', path: jobPath, query: { output_mode: 'json' } });
  } catch (e) {
    if (ctx.signal.aborted) throw e;
  }
}
