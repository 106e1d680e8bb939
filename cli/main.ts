import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EncryptedFileSecretStore,
  EnvSecretStore,
  LayeredSecretStore,
  openCore,
  QuellError,
  randomIds,
  resolveDataLocation,
  systemClock,
  type Actor,
  type Core,
} from '../core/index.js';
import { parseArgs, UsageError } from './args.js';
import { globalOptions } from './global-options.js';
import { findImportWorker } from './serve/renderer-dir.js';
import { cliVendors } from './connector-commands.js';
import { cliCommands, CommandFailed, unwrap, type CliCommand, type RunContext } from './commands.js';
import { helpText } from './help.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';


function findCommand(positionals: string[]): { command: CliCommand; rest: string[] } | undefined {
  for (const command of cliCommands) {
    if (command.path.every((word, i) => positionals[i] === word)) {
      return { command, rest: positionals.slice(command.path.length) };
    }
  }
  return undefined;
}

/** Positional words of argv, skipping the values of string options (`--db PATH case list` → case, list). */
function commandWords(argv: readonly string[]): string[] {
  const stringOptions = new Set(
    [globalOptions, ...cliCommands.map((c) => c.options)].flatMap((specs) =>
      Object.entries(specs).filter(([, o]) => o.type === 'string').map(([name]) => `--${name}`),
    ),
  );
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (stringOptions.has(arg)) i++;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  return words;
}

/** The whole CLI as a function, so tests drive exactly what `quell` runs. Returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let core: Core | undefined;
  let json = argv.includes('--json');
  try {
    // Words before the first option pick the command; its options are then parsed together with the global ones.
    const found = findCommand(commandWords(argv));
    const specs = { ...globalOptions, ...(found?.command.options ?? {}) };
    const { positionals, options } = parseArgs(argv, specs, found?.command.path ?? []);
    json = options.json === true;

    if (options.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (!found) {
      if (positionals.length === 0 || positionals[0] === 'help') {
        const topic = positionals.slice(1);
        const about = findCommand(topic)?.command;
        if (topic.length && !about) throw new UsageError(`no command "${topic.join(' ')}" to show help for`);
        io.stdout(helpText(about));
        return positionals.length === 0 && !options.help ? 2 : 0;
      }
      throw new UsageError(`unknown command "${positionals.join(' ')}"`);
    }
    const { command } = found;
    if (options.help) {
      io.stdout(helpText(command));
      return 0;
    }
    const rest = positionals.slice(command.path.length);
    const args: Record<string, string> = {};
    command.args.forEach((spec, i) => {
      // A variadic argument takes the rest, NUL-joined (no path contains NUL).
      const value = spec.variadic ? (rest.length > i ? rest.slice(i).join('\0') : undefined) : rest[i];
      if (value === undefined && spec.required) throw new UsageError(`missing ${spec.name}`, command.path);
      if (value !== undefined) args[spec.name] = value;
    });
    if (!command.args.some((a) => a.variadic) && rest.length > command.args.length) {
      throw new UsageError(`unexpected argument "${rest[command.args.length]}"`, command.path);
    }

    const actor: Actor = { kind: 'analyst', id: analystName(io.env) };
    const ctx: RunContext = {
      args,
      options,
      json,
      io,
      actor,
      core: () => (core ??= openFromEnv(options.db, io, command.live === true, options['secret-key-file'])),
      call: async (name, input) => unwrap(await ctx.core().router.invoke(name, input, actor)),
    };
    return await command.run(ctx);
  } catch (err) {
    return reportFailure(err, io, json);
  } finally {
    core?.close();
  }
}

function openFromEnv(dbFlag: string | boolean | undefined, io: CliIo, live: boolean, secretKeyFile: string | boolean | undefined): Core {
  const location = resolveDataLocation({
    dbFlag: typeof dbFlag === 'string' ? dbFlag : undefined,
    env: io.env,
    platform: process.platform,
    homedir: os.homedir(),
  });
  return openCore({
    dbPath: location.dbPath,
    createDir: location.source !== '--db',
    clock: systemClock,
    ids: randomIds(randomUUID),
    appVersion: VERSION,
    ...(live ? { watchIntervalMs: 300, ...worker() } : reader()),
    connectors: cliVendors(io).map((v) => v.connector),
    secrets: secretStore(path.join(path.dirname(location.dbPath), 'secrets.enc'), io, secretKeyFile),
    logBug: (command, err) => io.stderr(`quell: internal error in ${command}: ${err instanceof Error ? err.stack : String(err)}\n`),
  });
}

/**
 * Connector secrets: QUELL_SECRET_<NAME>_<FIELD> variables first, then the encrypted file beside the database when
 * a passphrase is given (QUELL_SECRET_KEY or --secret-key-file). Without one, secrets can only come from variables.
 */
function secretStore(file: string, io: CliIo, keyFile: string | boolean | undefined) {
  const env = new EnvSecretStore(io.env);
  let passphrase = io.env.QUELL_SECRET_KEY;
  if (typeof keyFile === 'string') {
    try {
      passphrase = fs.readFileSync(keyFile, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new QuellError('invalid_input', `Cannot read the secret key file ${keyFile} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
    }
  }
  return passphrase ? new LayeredSecretStore([env, new EncryptedFileSecretStore(file, passphrase)]) : env;
}

/** Long-running hosts import in a worker thread so they keep answering; see findImportWorker. */
function worker(): { importWorker?: string } {
  const script = findImportWorker();
  return script ? { importWorker: script } : {};
}

/** A CLI import writes in this thread and reads each file in a worker, so it uses two cores. */
function reader(): { readerWorker?: string } {
  const script = findImportWorker();
  return script ? { readerWorker: script } : {};
}

function analystName(env: CliIo['env']): string {
  try {
    return env.QUELL_ANALYST || os.userInfo().username || 'analyst';
  } catch {
    return 'analyst';
  }
}

function reportFailure(err: unknown, io: CliIo, json: boolean): number {
  if (err instanceof UsageError) {
    io.stderr(`quell: ${err.message}\nRun "quell ${[...err.commandPath, '--help'].join(' ')}" for usage.\n`);
    return 2;
  }
  const error =
    err instanceof CommandFailed
      ? err.error
      : err instanceof QuellError
        ? err.toApiError()
        : { code: 'bug' as const, message: `Unexpected failure: ${err instanceof Error ? err.message : String(err)}` };
  if (json) io.stdout(`${JSON.stringify({ ok: false, error }, null, 2)}\n`);
  io.stderr(`quell: ${err instanceof CommandFailed ? err.message : error.message}\n`);
  if (error.code === 'bug' && err instanceof Error && !(err instanceof QuellError)) io.stderr(`${err.stack}\n`);
  return 1;
}
