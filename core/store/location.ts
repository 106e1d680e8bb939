import path from 'node:path';

export interface LocationInput {
  /** `--db PATH`: wins over everything. */
  dbFlag?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
}

export interface DataLocation {
  dataDir: string;
  dbPath: string;
  /** Where the path came from, so error messages can say which setting to fix. */
  source: '--db' | 'QUELL_HOME' | 'default';
}

export const DB_FILE = 'quell.db';

/** The user's data directory as each platform defines it (XDG on Linux), then `QUELL_HOME`, then `--db`. */
export function resolveDataLocation(input: LocationInput): DataLocation {
  if (input.dbFlag) {
    const dbPath = path.resolve(input.dbFlag);
    return { dataDir: path.dirname(dbPath), dbPath, source: '--db' };
  }
  const home = input.env.QUELL_HOME;
  if (home) {
    const dataDir = path.resolve(home);
    return { dataDir, dbPath: path.join(dataDir, DB_FILE), source: 'QUELL_HOME' };
  }
  const dataDir = platformDataDir(input);
  return { dataDir, dbPath: path.join(dataDir, DB_FILE), source: 'default' };
}

function platformDataDir({ env, platform, homedir }: LocationInput): string {
  switch (platform) {
    case 'darwin':
      return path.join(homedir, 'Library', 'Application Support', 'Quell');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(homedir, 'AppData', 'Roaming'), 'Quell');
    default: {
      const xdg = env.XDG_DATA_HOME;
      // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
      const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir, '.local', 'share');
      return path.join(base, 'quell');
    }
  }
}
