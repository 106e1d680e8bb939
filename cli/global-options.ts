import type { OptionSpec } from './args.js';

export const globalOptions: Record<string, OptionSpec> = {
  db: { type: 'string', value: 'PATH', help: 'case database file (default: $QUELL_HOME/quell.db, else the user data folder)' },
  json: { type: 'boolean', help: 'print machine-readable JSON' },
  'secret-key-file': { type: 'string', value: 'PATH', help: 'file holding the passphrase of the connector secret store (else $QUELL_SECRET_KEY)' },
  help: { type: 'boolean', help: 'show help' },
  version: { type: 'boolean', help: 'print the version' },
};
