import fs from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/**
 * Which Chromium the e2e tests drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else whatever Playwright
 * itself installed (executablePath left unset). Under CI a missing browser must fail, never skip: .ci/run installs it.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((c): c is string => Boolean(c) && fs.existsSync(c!));
}

export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = findChromium();
  if (!executablePath && process.env.CI) {
    throw new Error('CI: no Chromium found (set CHROMIUM_PATH or install the chromium package); e2e tests must run under CI');
  }
  return {
    ...(executablePath ? { executablePath } : {}),
    // The flags keep Chromium from reaching for Google's services, which this offline machine refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
