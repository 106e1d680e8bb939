/** A usage mistake: shown with the help of the command it concerns, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly commandPath: string[] = [],
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  help: string;
  value?: string; // placeholder shown in help, e.g. PATH
  /** A one-letter alias, `-o` for `--out`. */
  short?: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean>;
}

/**
 * `--name value`, `--name=value` and bare `--flag`; `--` ends options. Unknown options are errors here rather than
 * ignored, because a mistyped `--case` on `audit verify` would otherwise verify everything and look like success.
 */
export function parseArgs(argv: readonly string[], specs: Record<string, OptionSpec>, where: string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    const alias = /^-([A-Za-z])$/.exec(arg)?.[1];
    const long = alias && Object.entries(specs).find(([, s]) => s.short === alias)?.[0];
    if (long) arg = `--${long}`;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-' && arg !== '-h') {
        throw new UsageError(`unknown option ${arg} (options are spelled --name)`, where);
      }
      if (arg === '-h') options.help = true;
      else positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`, where);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`, where);
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value (${spec.value ?? 'TEXT'})`, where);
    options[name] = value;
  }
  return { positionals, options };
}

/** A `--name JSON` option that must hold a JSON object; absent: `{}`, or a usage error when required. */
export function jsonObjectOption(options: Record<string, string | boolean>, name: string, where: string[], required = false): Record<string, unknown> {
  const text = options[name];
  if (typeof text !== 'string') {
    if (required) throw new UsageError(`--${name} JSON is required`, where);
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--${name} is not valid JSON: ${(e as Error).message}`, where);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`--${name} must be a JSON object`, where);
  return value as Record<string, unknown>;
}
