import type { BuiltInVendor } from './connector-registry.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Progress lines are drawn only on a terminal. */
  isTTY?: boolean;
  /** Resolves when the command should stop (serve runs until then); the real CLI ties it to SIGINT/SIGTERM. */
  untilStopped: Promise<void>;
  /** Called by long-running commands once they are ready (serve: with its URL). */
  onReady?: (info: { url: string }) => void;
  /** The connector vendors (default: cli/connector-registry.ts); tests pass the test-only one. */
  vendors?: readonly BuiltInVendor[];
}
