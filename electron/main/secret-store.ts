// Connector secrets in the desktop app: the OS keychain through safeStorage (Keychain), behind core's SecretStore.
import type { SecretStore } from '../../core/index.js';
import { QuellError } from '../../core/index.js';
import type { Keychain } from './keychain.js';

const entry = (connector: string, field: string) => `connector:${connector}:${field}`;

export function keychainSecretStore(keychain: Keychain): SecretStore {
  return {
    label: 'the OS keychain (safeStorage)',
    get: (connector, field) => keychain.get(entry(connector, field)),
    set: (connector, field, value) => {
      if (!keychain.available()) {
        throw new QuellError('unavailable', `No OS keychain is available, so Quell will not store the secret ${field} of connector ${connector}.`);
      }
      keychain.set(entry(connector, field), value);
    },
    deleteAll: (connector) => keychain.deletePrefix(`connector:${connector}:`),
  };
}
