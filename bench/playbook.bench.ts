// One playbook step, durable (run state and journal committed), against one hop of an embedded Node-RED flow of
// function nodes, in memory. Both sides run the same chain of no-op steps many times; each run's time is divided by
// its step count, and the figure is the median of that over the runs.
import fs from 'node:fs';
import path from 'node:path';
import { openCore, type Core } from '../core/app.js';
import { type Actor, type PlaybookSource } from '../core/model/index.js';
import { sequentialIds, systemClock } from '../core/runtime.js';
import { tempDir, type BenchOptions, type Figure, type Trial } from './figure.js';
import { measurePerStep, startNodeRedChain, type NodeRedChain } from './node-red-chain.js';

// A long chain, so that what is measured is mostly the step, not the run around it: starting and finishing a run
// (two transactions, the run's view) still count, spread over its 100 steps.
const STEPS = 100;
const ACTOR: Actor = { kind: 'analyst', id: 'bench' };


/** `steps` `set` steps in a row, each adding one to `n`: the engine's smallest real step, no action, no I/O. */
export function chainPlaybook(steps: number): PlaybookSource {
  return {
    id: 'bench-chain',
    name: `Bench: ${steps} set steps`,
    autonomy: 'full-auto',
    variables: { n: 0 },
    steps: Array.from({ length: steps }, (_, k) => ({ id: `s${k + 1}`, type: 'set' as const, vars: { n: '{{ vars.n + 1 }}' } })),
  };
}

const playbooks = new Map<number, PlaybookSource>();

/**
 * Runs the chain once through the router, as a host would: `run.start` with an inline playbook, auto mode, for
 * real (not a dry run), waiting for the run to finish.
 */
export async function runQuellChain(core: Core, caseId: string, steps: number): Promise<void> {
  let playbook = playbooks.get(steps);
  if (!playbook) playbooks.set(steps, (playbook = chainPlaybook(steps)));
  const result = await core.router.invoke('run.start', { caseId, playbook, mode: 'auto', dryRun: false, wait: true, withSteps: false }, ACTOR);
  if (!result.ok) throw new Error(`run.start failed: ${result.error.code}: ${result.error.message}`);
  const { status, vars } = result.value;
  // Every step ran once (n counted up to the chain length); that each was committed with its journal entry is
  // checked once in setup, outside the timed runs.
  if (status !== 'completed' || Number(vars['n']) !== steps) {
    throw new Error(`the bench chain ended ${status} with n = ${String(vars['n'])} of ${steps}`);
  }
}

async function setup({ quick }: BenchOptions): Promise<Trial> {
  const runs = quick ? 50 : 300;
  const dir = tempDir('playbook');
  let core: Core | undefined;
  let chain: NodeRedChain | undefined;
  const cleanUp = () => {
    core?.close();
    const stopping = chain?.stop() ?? Promise.resolve();
    // Trial.close is synchronous; Node-RED's stop is not. It settles by itself before the process exits.
    void stopping
      .catch((err: unknown) => console.error(`playbook bench: Node-RED did not stop cleanly: ${String(err)}`))
      .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
  };
  try {
    core = openCore({ dbPath: path.join(dir, 'quell.db'), createDir: false, clock: systemClock, ids: sequentialIds(), appVersion: 'bench' });
    const opened = await core.router.invoke('case.create', { name: 'playbook bench' }, ACTOR);
    if (!opened.ok) throw new Error(`case.create failed: ${opened.error.message}`);
    const caseId = opened.value.id;

    // Durable means each step's state and journal entry are committed: one untimed run must journal every step.
    const before = core.store.journal.headSeq();
    await runQuellChain(core, caseId, STEPS);
    const journaled = core.store.journal.headSeq() - before;
    if (journaled < STEPS) throw new Error(`a ${STEPS}-step run journaled ${journaled} entries: its steps are not durable`);

    chain = await startNodeRedChain(STEPS);
    const quellCore = core;
    const nodeRed = chain;
    return {
      workload: { steps: STEPS, runsPerRepetition: runs, stepType: 'set', nodeRedNode: 'function (return msg;)', journalEntriesPerRun: journaled },
      quell: async () => 1000 * (await measurePerStep(() => runQuellChain(quellCore, caseId, STEPS), STEPS, runs)),
      baseline: async () => 1000 * (await measurePerStep(() => nodeRed.runOnce(), STEPS, runs)),
      close: cleanUp,
    };
  } catch (err) {
    cleanUp();
    throw err;
  }
}

export const figures: Figure[] = [
  {
    name: 'playbook step',
    what:
      `a ${STEPS}-step playbook of set steps run through the router (run.start, auto, not a dry run: run state and journal committed per step) ` +
      `vs the same chain as ${STEPS} Node-RED function nodes (return msg;) embedded in-process, in memory; median per step over the runs`,
    unit: 'µs/step',
    better: 'lower',
    // The goal: Quell's durable step at most twice Node-RED's in-memory hop, i.e. baseline / quell ≥ 0.5.
    target: 0.5,
    setup,
  },
];
