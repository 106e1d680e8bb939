import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';

/**
 * Connector credentials, encrypted with the OS keychain (safeStorage) and stored beside the case database.
 * Plaintext never touches disk, the journal or logs; without a keychain we refuse rather than store in the clear.
 */
export class Keychain {
  constructor(private readonly file: string) {}

  available(): boolean {
    return safeStorage.isEncryptionAvailable();
  }

  set(name: string, secret: string): void {
    if (!this.available()) throw new Error('No OS keychain is available, so Quell will not store this secret.');
    const all = this.readAll();
    all[name] = safeStorage.encryptString(secret).toString('base64');
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(all), { mode: 0o600 });
  }

  get(name: string): string | undefined {
    const sealed = this.readAll()[name];
    return sealed === undefined ? undefined : safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  /** Forgets every secret whose name starts with `prefix` (a removed connector's). */
  deletePrefix(prefix: string): void {
    const all = this.readAll();
    const kept = Object.fromEntries(Object.entries(all).filter(([name]) => !name.startsWith(prefix)));
    if (Object.keys(kept).length === Object.keys(all).length) return;
    fs.writeFileSync(this.file, JSON.stringify(kept), { mode: 0o600 });
  }

  private readAll(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
}
