import type { CliCommand } from './commands.js';
import { cliCommands } from './commands.js';
import { globalOptions } from './global-options.js';
import type { OptionSpec } from './args.js';

const usage = (c: CliCommand) =>
  ['quell', ...c.path, ...c.args.map((a) => `${a.required ? a.name : `[${a.name}]`}${a.variadic ? '...' : ''}`), ...Object.entries(c.options).map(([n, o]) => optionUsage(n, o))].join(' ');

const optionUsage = (name: string, o: OptionSpec) => (o.type === 'boolean' ? `[--${name}]` : `[--${name} ${o.value ?? 'TEXT'}]`);

function optionLines(options: Record<string, OptionSpec>): string {
  return Object.entries(options)
    .map(([name, o]) => `  ${`--${name}${o.type === 'string' ? ` ${o.value ?? 'TEXT'}` : ''}`.padEnd(18)} ${o.help}`)
    .join('\n');
}

export function helpText(command?: CliCommand): string {
  if (command) {
    const own = Object.keys(command.options).length ? `\nOptions:\n${optionLines(command.options)}\n` : '';
    const more = command.details ? `\n${command.details}\n` : '';
    return `${command.summary}.\n\nUsage: ${usage(command)}\n${more}${own}\nGlobal options:\n${optionLines(globalOptions)}\n`;
  }
  const width = Math.max(...cliCommands.map((c) => usage(c).length - 'quell '.length));
  const list = cliCommands.map((c) => `  ${usage(c).slice('quell '.length).padEnd(width)}  ${c.summary}`).join('\n');
  return (
    `Quell: an offline-first workbench for incident responders.\n\n` +
    `Usage: quell [--db PATH] [--json] COMMAND ...\n\nCommands:\n${list}\n  help [COMMAND]${' '.repeat(Math.max(0, width - 14))}  Show help for a command\n\n` +
    `Global options:\n${optionLines(globalOptions)}\n\n` +
    `The case database is --db PATH, else $QUELL_HOME/quell.db, else quell.db in the user data folder.\n`
  );
}
