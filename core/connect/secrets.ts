// Where connector credentials live. Never the case database: the settings stored there have their secret fields
// removed, and the journal, logs and API output only ever say `<stored>`. The hosts choose the store: Electron
// safeStorage (electron/main), an AES-256-GCM file keyed by a passphrase, or environment variables.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { QuellError } from '../api/errors.js';

export interface SecretStore {
  /** Where secrets live, for messages; never holds a secret. */
  readonly label: string;
  get(connector: string, field: string): string | undefined;
  /** Throws a QuellError saying how to provide the secret when this store cannot keep one. */
  set(connector: string, field: string, value: string): void;
  /** Forgets every secret of a connector (it was removed). */
  deleteAll(connector: string): void;
}

/** `QUELL_SECRET_<CONNECTOR>_<FIELD>`: `prod-elastic` + `apiKey` → `QUELL_SECRET_PROD_ELASTIC_API_KEY`. */
export function secretEnvName(connector: string, field: string): string {
  const part = (s: string) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase();
  return `QUELL_SECRET_${part(connector)}_${part(field)}`;
}

/** Secrets read from the environment. It cannot store one: it says which variable to set instead. */
export class EnvSecretStore implements SecretStore {
  readonly label = 'environment variables (QUELL_SECRET_<CONNECTOR>_<FIELD>)';
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  get(connector: string, field: string): string | undefined {
    const v = this.env[secretEnvName(connector, field)];
    return v === undefined || v === '' ? undefined : v;
  }

  set(connector: string, field: string, value: string): void {
    // The same value already in the environment is fine (a settings object copied from `quell emulate`).
    if (this.get(connector, field) === value) return;
    throw new QuellError(
      'invalid_input',
      `Cannot store the secret ${field} of connector ${connector}: secrets are read from the environment here. ` +
        `Set ${secretEnvName(connector, field)} instead, or give a passphrase in QUELL_SECRET_KEY to keep secrets in an encrypted file.`,
      { details: { connector, field, variable: secretEnvName(connector, field) } },
    );
  }

  deleteAll(): void {
    // The environment is the user's; nothing to forget here.
  }
}

interface SealedFile {
  version: 1;
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
  /** Encrypts a fixed text, so a wrong passphrase is caught even before any secret is stored. */
  check: Sealed;
  entries: Record<string, Sealed>;
}
interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

const KDF = { N: 1 << 15, r: 8, p: 1 };
const CHECK_TEXT = 'quell-secret-store-v1';

/**
 * Secrets in one file, each sealed with AES-256-GCM under a key derived with scrypt from a passphrase (random
 * salt per file, the entry's name as associated data so entries cannot be swapped). Written atomically, mode 0600.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly label: string;
  private key: Buffer | undefined;
  private salt: string | undefined;

  constructor(
    private readonly file: string,
    private readonly passphrase: string,
  ) {
    if (passphrase.length < 8) {
      throw new QuellError('invalid_input', 'The secret store passphrase (QUELL_SECRET_KEY) must be at least 8 characters.');
    }
    this.label = `the encrypted file ${file}`;
  }

  get(connector: string, field: string): string | undefined {
    const { data, key } = this.open();
    const name = entryName(connector, field);
    const sealed = data.entries[name];
    return sealed ? unseal(key, sealed, name, this.file) : undefined;
  }

  set(connector: string, field: string, value: string): void {
    const { data, key } = this.open();
    const name = entryName(connector, field);
    data.entries[name] = seal(key, value, name);
    this.save(data);
  }

  deleteAll(connector: string): void {
    if (!fs.existsSync(this.file)) return;
    const { data } = this.open();
    const prefix = entryName(connector, '');
    let changed = false;
    for (const name of Object.keys(data.entries)) {
      if (name.startsWith(prefix)) {
        delete data.entries[name];
        changed = true;
      }
    }
    if (changed) this.save(data);
  }

  /**
   * Reads the file on every call (another process — `quell` beside the app — may have written it since); only the
   * derived key is kept, per salt, because scrypt is deliberately slow.
   */
  private open(): { data: SealedFile; key: Buffer } {
    let data: SealedFile;
    if (fs.existsSync(this.file)) {
      try {
        data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as SealedFile;
        if (data.version !== 1 || data.kdf?.name !== 'scrypt') throw new Error('unknown format');
      } catch (e) {
        throw new QuellError('unavailable', `The secret store ${this.file} cannot be read (${(e as Error).message}).`);
      }
      if (!this.key || this.salt !== data.kdf.salt) {
        const key = deriveKey(this.passphrase, data.kdf);
        unseal(key, data.check, '', this.file);
        this.key = key;
        this.salt = data.kdf.salt;
      }
    } else {
      const kdf = { name: 'scrypt' as const, salt: randomBytes(16).toString('base64'), ...KDF };
      this.key = deriveKey(this.passphrase, kdf);
      this.salt = kdf.salt;
      data = { version: 1, kdf, check: seal(this.key, CHECK_TEXT, ''), entries: {} };
    }
    return { data, key: this.key };
  }

  private save(data: SealedFile): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data, null, 1), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

/** Reads from each store in turn; stores in the first that accepts. (Environment first, then the file.) */
export class LayeredSecretStore implements SecretStore {
  readonly label: string;
  constructor(private readonly stores: readonly SecretStore[]) {
    this.label = stores.map((s) => s.label).join(', then ');
  }
  get(connector: string, field: string): string | undefined {
    for (const s of this.stores) {
      const v = s.get(connector, field);
      if (v !== undefined) return v;
    }
    return undefined;
  }
  set(connector: string, field: string, value: string): void {
    let last: unknown;
    for (const s of [...this.stores].reverse()) {
      try {
        s.set(connector, field, value);
        return;
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }
  deleteAll(connector: string): void {
    for (const s of this.stores) s.deleteAll(connector);
  }
}

function entryName(connector: string, field: string): string {
  return `${connector}\0${field}`;
}

function deriveKey(passphrase: string, kdf: SealedFile['kdf']): Buffer {
  return scryptSync(passphrase, Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
}

function seal(key: Buffer, text: string, name: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function unseal(key: Buffer, sealed: Sealed, name: string, file: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new QuellError('forbidden', `The secret store ${file} cannot be opened with this passphrase (QUELL_SECRET_KEY), or it was altered.`);
  }
}
