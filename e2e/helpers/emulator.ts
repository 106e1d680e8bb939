import { spawn } from 'node:child_process';
import { repoRoot } from './quell.js';

export interface EmulatorProcess {
  url: string;
  /** The connector settings that reach it, secrets included (the emulator's own test credentials). */
  settings: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Starts `quell emulate VENDOR --json` (the real CLI, built bundle) and waits for its one line of JSON. */
export async function startEmulator(vendor: string, args: string[] = []): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['bin/quell.mjs', 'emulate', vendor, '--json', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const info = await new Promise<{ url: string; settings: Record<string, unknown> }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`quell emulate ${vendor} did not start in 15 s: ${stderr}`)), 15_000);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; settings: Record<string, unknown> });
      }
    });
    child.once('exit', (code) => reject(new Error(`quell emulate ${vendor} exited with ${code}: ${stderr}`)));
  });
  return {
    ...info,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
