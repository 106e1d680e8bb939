// What a paused or waiting run is waiting for, and the commands that release it. One waiter at a time: a run is a
// single thread of steps (parallel branches run one after the other, as CACAO allows).
import { QuellError } from '../api/index.js';
import type { RunWait } from '../model/index.js';

export type Release =
  | { kind: 'step' }
  | { kind: 'continue' }
  | { kind: 'skip' }
  | { kind: 'override'; output: unknown }
  | { kind: 'resume' }
  | { kind: 'approve'; by: string; comment: string | null }
  | { kind: 'reject'; by: string; comment: string | null }
  | { kind: 'submit'; by: string; values: Record<string, unknown> }
  | { kind: 'timeout' };

/** Which releases each kind of wait accepts. */
const ACCEPTS: Record<RunWait['kind'], readonly Release['kind'][]> = {
  step: ['step', 'continue', 'skip', 'override'],
  breakpoint: ['step', 'continue', 'skip', 'override'],
  pause: ['resume', 'step', 'continue', 'skip', 'override'],
  approval: ['approve', 'reject', 'timeout'],
  manual: ['submit', 'timeout'],
  timer: ['timeout', 'skip'],
};

export class Waiter {
  private current: { wait: RunWait; resolve: (r: Release) => void; timer: ReturnType<typeof setTimeout> | null } | null = null;

  get wait(): RunWait | null {
    return this.current?.wait ?? null;
  }

  /** Waits for a release; a deadline releases it with `timeout` (the delay is measured from `nowMs`). */
  until(wait: RunWait, nowMs: number, signal: AbortSignal): Promise<Release> {
    if (this.current) throw new Error('a run waits for one thing at a time');
    return new Promise<Release>((resolve, reject) => {
      const done = (r: Release) => {
        if (this.current?.timer) clearTimeout(this.current.timer);
        this.current = null;
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onAbort = () => {
        if (this.current?.timer) clearTimeout(this.current.timer);
        this.current = null;
        reject(signal.reason);
      };
      const delay = wait.deadline ? Math.max(0, Date.parse(wait.deadline) - nowMs) : null;
      const timer = delay === null ? null : setTimeout(() => done({ kind: 'timeout' }), delay);
      this.current = { wait, resolve: done, timer };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Checks a release against what the run waits for; throws a conflict naming both when they do not match. */
  check(release: Release, key?: string): void {
    const w = this.current?.wait;
    if (!w) throw new QuellError('conflict', 'The run is not waiting for anything: it is running or has finished.');
    if (key !== undefined && key !== w.key) {
      throw new QuellError('conflict', `The run waits at step "${w.key}", not "${key}".`, { details: { waitingAt: w.key } });
    }
    if (!ACCEPTS[w.kind].includes(release.kind)) {
      throw new QuellError('conflict', `The run waits for ${describeWait(w)}; "${release.kind}" does not apply.`, {
        details: { waiting: w.kind, key: w.key },
      });
    }
  }

  release(release: Release): void {
    this.current?.resolve(release);
  }
}

export function describeWait(w: RunWait): string {
  switch (w.kind) {
    case 'step':
      return `the next command before step "${w.key}"`;
    case 'breakpoint':
      return `the next command at the breakpoint on "${w.stepId}"`;
    case 'pause':
      return `resume (paused before "${w.key}")`;
    case 'approval':
      return `an approval of step "${w.key}"`;
    case 'manual':
      return `the form of manual step "${w.key}"`;
    case 'timer':
      return `the wait of step "${w.key}" to end`;
  }
}
