import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../store/journal.test-helpers.js';
import { EncryptedFileSecretStore, EnvSecretStore, LayeredSecretStore, secretEnvName } from './secrets.js';

test('environment variable names: QUELL_SECRET_<CONNECTOR>_<FIELD>', () => {
  assert.equal(secretEnvName('prod-elastic', 'apiKey'), 'QUELL_SECRET_PROD_ELASTIC_API_KEY');
  assert.equal(secretEnvName('mde.eu', 'clientSecret'), 'QUELL_SECRET_MDE_EU_CLIENT_SECRET');
  assert.equal(secretEnvName('wazuh_1', 'password'), 'QUELL_SECRET_WAZUH_1_PASSWORD');
  const env = new EnvSecretStore({ QUELL_SECRET_PROD_ELASTIC_API_KEY: 'k1', QUELL_SECRET_EMPTY_X: '' });
  assert.equal(env.get('prod-elastic', 'apiKey'), 'k1');
  assert.equal(env.get('empty', 'x'), undefined);
  env.set('prod-elastic', 'apiKey', 'k1'); // the same value: nothing to store
  assert.throws(() => env.set('prod-elastic', 'apiKey', 'other'), { code: 'invalid_input', message: /^Cannot store the secret apiKey of connector prod-elastic: .* Set QUELL_SECRET_PROD_ELASTIC_API_KEY instead/ });
});

test('the encrypted file keeps secrets sealed, per entry, and refuses a wrong passphrase or an edit', (t) => {
  const file = path.join(tempDir(t), 'secrets.enc');
  const store = new EncryptedFileSecretStore(file, 'passphrase-1');
  assert.equal(store.get('a', 'x'), undefined);
  store.set('a', 'x', 'value-of-a-x');
  store.set('b', 'x', 'value-of-b-x');
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(!text.includes('value-of'));
  assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');
  const reopened = new EncryptedFileSecretStore(file, 'passphrase-1');
  assert.deepEqual([reopened.get('a', 'x'), reopened.get('b', 'x')], ['value-of-a-x', 'value-of-b-x']);
  reopened.deleteAll('a');
  assert.deepEqual([new EncryptedFileSecretStore(file, 'passphrase-1').get('a', 'x'), new EncryptedFileSecretStore(file, 'passphrase-1').get('b', 'x')], [undefined, 'value-of-b-x']);
  assert.throws(() => new EncryptedFileSecretStore(file, 'passphrase-2').get('b', 'x'), { code: 'forbidden' });
  // Swapping two entries' ciphertexts is detected: the entry name is authenticated with it.
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, unknown> };
  data.entries['c\0x'] = data.entries['b\0x'];
  fs.writeFileSync(file, JSON.stringify(data));
  assert.throws(() => new EncryptedFileSecretStore(file, 'passphrase-1').get('c', 'x'), { code: 'forbidden' });
  assert.throws(() => new EncryptedFileSecretStore(file, 'short'), { message: 'The secret store passphrase (QUELL_SECRET_KEY) must be at least 8 characters.' });
});

test('two stores on one file (the app and the CLI) do not overwrite each other', (t) => {
  const file = path.join(tempDir(t), 'secrets.enc');
  const app = new EncryptedFileSecretStore(file, 'passphrase-1');
  const cli = new EncryptedFileSecretStore(file, 'passphrase-1');
  app.set('a', 'x', '1');
  cli.set('b', 'x', '2');
  app.set('c', 'x', '3');
  assert.deepEqual([cli.get('a', 'x'), cli.get('b', 'x'), cli.get('c', 'x')], ['1', '2', '3']);
});

test('layered: the environment wins on read, the file takes what is stored', (t) => {
  const file = path.join(tempDir(t), 'secrets.enc');
  const layered = new LayeredSecretStore([new EnvSecretStore({ QUELL_SECRET_S_TOKEN: 'from-env' }), new EncryptedFileSecretStore(file, 'passphrase-1')]);
  layered.set('s', 'token', 'from-file');
  layered.set('t', 'token', 'only-file');
  assert.deepEqual([layered.get('s', 'token'), layered.get('t', 'token')], ['from-env', 'only-file']);
});
