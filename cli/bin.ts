// Process entry of `quell`: wires runCli to the real process. Everything testable lives in main.ts.
import { runCli } from './main.js';

const untilStopped = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTTY: process.stderr.isTTY === true,
  untilStopped,
});
process.exitCode = code;
