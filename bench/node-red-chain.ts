// The playbook benchmark's baseline: a chain of Node-RED `function` nodes, each `return msg;`, run by Node-RED
// embedded in this process (no editor, no HTTP server, nothing written outside a temp folder). Node-RED is a dev
// dependency used only here; its function nodes run their code in a `vm` sandbox, which is Node-RED's business —
// Quell's own code never evaluates code.
import fs from 'node:fs';
import path from 'node:path';
import RED from 'node-red';
import { tempDir } from './figure.js';

export interface NodeRedChain {
  /** Sends one message into the chain and resolves when the last function node has finished with it. */
  runOnce(): Promise<void>;
  /** Stops the flows and the runtime and removes the temp folder; the process then has nothing left open. */
  stop(): Promise<void>;
}

const TAB = 'quell-bench-tab';
const ENTRY = 'quell-bench-entry';
/** Labels our messaging hook, so stop() removes exactly it. */
const HOOK_LABEL = 'quellbench';
const stepId = (i: number) => `quell-bench-fn-${i}`;

/**
 * The flow: a `junction` (Node-RED's own pass-through node) as the entry, wired to `steps` function nodes in a row.
 * Entering through the junction means every function node, the first included, gets its message through Node-RED's
 * router (hooks, then `setImmediate`), so each step costs one routed hop plus one function execution.
 */
export function chainFlow(steps: number): Record<string, unknown>[] {
  const fns = Array.from({ length: steps }, (_, k) => ({
    id: stepId(k + 1),
    type: 'function',
    z: TAB,
    name: `step ${k + 1}`,
    func: 'return msg;',
    outputs: 1,
    timeout: 0,
    noerr: 0,
    initialize: '',
    finalize: '',
    libs: [],
    x: 200 + 150 * k,
    y: 100,
    wires: k + 1 < steps ? [[stepId(k + 2)]] : [[]],
  }));
  return [
    { id: TAB, type: 'tab', label: 'quell bench chain', disabled: false, info: '' },
    { id: ENTRY, type: 'junction', z: TAB, x: 100, y: 100, wires: [[stepId(1)]] },
    ...fns,
  ];
}

/**
 * Embedded runtime settings: no admin or node HTTP endpoints (and so no server at all), state in a temp userDir, no
 * console output below errors, no credential secret (the flow has no credentials), no telemetry or update check,
 * no palette or module installs, no projects.
 */
function embeddedSettings(userDir: string): Record<string, unknown> {
  return {
    userDir,
    flowFile: 'flows.json',
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    credentialSecret: false,
    logging: { console: { level: 'error', metrics: false, audit: false } },
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: false, ui: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false, allowUpdate: false, allowUpload: false }, modules: { allowInstall: false } },
    functionExternalModules: false,
    editorTheme: { projects: { enabled: false } },
  };
}

let running = false;

/** Starts Node-RED in this process with a chain of `steps` no-op function nodes. One chain per process at a time. */
export async function startNodeRedChain(steps: number): Promise<NodeRedChain> {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`a chain needs at least one step, got ${steps}`);
  // Node-RED's runtime is a module-level singleton: a second chain would replace the first one's flows.
  if (running) throw new Error('a Node-RED chain is already running in this process; stop it first');
  running = true;

  const userDir = tempDir('node-red');
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(chainFlow(steps)));
  const lastId = stepId(steps);

  // The message in flight: one at a time, so a single pending slot is enough.
  let pending: { payload: number; completions: number; resolve: () => void; reject: (err: unknown) => void } | null = null;
  const settle = (err?: unknown) => {
    const p = pending;
    pending = null;
    if (err === undefined) p?.resolve();
    else p?.reject(err);
  };

  try {
    const started = new Promise<void>((resolve) => RED.events.once('flows:started', () => resolve()));
    RED.init(embeddedSettings(userDir));
    // onComplete runs when a node's input handler calls done(): a function node does that right after it has sent
    // its result on, in the same tick. The hook is synchronous and only compares an id, so it adds no wait.
    // It also counts the nodes that handled this very message, so a run that skipped a node cannot pass for a fast one.
    RED.hooks.add(`onComplete.${HOOK_LABEL}`, (event) => {
      if (!pending || event.msg['payload'] !== pending.payload) return;
      pending.completions++;
      if (event.error !== undefined && event.error !== null) settle(event.error);
      else if (event.node.id === lastId) {
        settle(pending.completions === steps + 1 ? undefined : new Error(`the message passed ${pending.completions - 1} of ${steps} function nodes`));
      }
    });
    await RED.start();
    // start() resolves before the flows are loaded and started; wait for them.
    await started;
  } catch (err) {
    running = false;
    fs.rmSync(userDir, { recursive: true, force: true });
    throw err;
  }

  const entry = RED.nodes.getNode(ENTRY);
  const fnCount = Array.from({ length: steps }, (_, k) => RED.nodes.getNode(stepId(k + 1))).filter((n) => n?.type === 'function').length;
  if (!entry || fnCount !== steps) {
    await RED.stop();
    running = false;
    throw new Error(`Node-RED started ${fnCount} of ${steps} function nodes${entry ? '' : ' and no entry junction'}`);
  }

  let counter = 0;
  let stopped = false;
  return {
    runOnce() {
      if (stopped) return Promise.reject(new Error('the Node-RED chain is stopped'));
      if (pending) return Promise.reject(new Error('runOnce: the previous message is still in the chain'));
      return new Promise<void>((resolve, reject) => {
        pending = { payload: ++counter, completions: 0, resolve, reject };
        entry.receive({ payload: counter });
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      settle(new Error('the Node-RED chain was stopped'));
      RED.hooks.remove(`*.${HOOK_LABEL}`);
      await RED.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
      running = false;
    },
  };
}

/** Median, over `iterations` runs of the chain, of one run's time divided by `steps`: milliseconds per step. */
export async function measurePerStep(runOnce: () => Promise<void>, steps: number, iterations: number): Promise<number> {
  const perStep: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await runOnce();
    perStep.push((performance.now() - start) / steps);
  }
  perStep.sort((a, b) => a - b);
  const mid = perStep.length >> 1;
  return perStep.length % 2 ? perStep[mid]! : (perStep[mid - 1]! + perStep[mid]!) / 2;
}
