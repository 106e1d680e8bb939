// A quick look at the playbook benchmark's baseline alone (not a figure, not a test):
//   node --import tsx bench/node-red-chain.check.ts [steps] [iterations]
// Starts a Node-RED chain of no-op function nodes, prints the median time per hop and stops; the process must then
// exit by itself (a handle left open would keep it alive, and that is a bug in node-red-chain.ts).
import { measurePerStep, startNodeRedChain } from './node-red-chain.js';

const steps = Number(process.argv[2] ?? 10);
const iterations = Number(process.argv[3] ?? 2000);

const t0 = performance.now();
const chain = await startNodeRedChain(steps);
const startMs = performance.now() - t0;
try {
  for (let i = 0; i < 200; i++) await chain.runOnce(); // warm-up: the vm scripts and the router's paths get compiled
  const ms = await measurePerStep(() => chain.runOnce(), steps, iterations);
  console.log(`Node-RED chain: ${steps} function nodes, ${iterations} runs, median ${(ms * 1000).toFixed(2)} µs per hop (started in ${Math.round(startMs)} ms)`);
} finally {
  await chain.stop();
}
const left = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
if (left.length) console.log(`still open after stop: ${left.join(', ')}`);
