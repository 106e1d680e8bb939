import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface QuellServer {
  url: string;
  port: number;
  home: string;
  /** Runs the real `quell` CLI against the same data directory. */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/**
 * Starts the real `quell serve` (built bundle) in a fresh data directory and waits for its URL. `extraEnv` adds to
 * the environment of the server and of `cli()` (a playbook library folder, the analyst's name …).
 */
export async function startQuell(extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<QuellServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'quell-e2e-'));
  // A passphrase for the connector secret store, as a responder would set QUELL_SECRET_KEY before `quell serve`.
  const env = { ...process.env, QUELL_HOME: home, QUELL_SECRET_KEY: 'e2e secret store passphrase', ...extraEnv };
  const child: ChildProcess = spawn(process.execPath, ['bin/quell.mjs', 'serve', '--json', ...extraArgs], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const info = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`quell serve did not start in 15 s: ${stderr}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; port: number });
      }
    });
    child.once('exit', (code) => reject(new Error(`quell serve exited with ${code}: ${stderr}`)));
  });
  return {
    ...info,
    home,
    cli: (args) =>
      new Promise((resolve) => {
        const p = spawn(process.execPath, ['bin/quell.mjs', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let err = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr: err }));
      }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export const test = base.extend<{ quell: QuellServer }>({
  quell: async ({}, use) => {
    const server = await startQuell();
    await use(server);
    await server.stop();
  },
});

export { expect } from '@playwright/test';
