import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveDataLocation } from './location.js';

// Paths are built with the host's `path`, as resolveDataLocation builds them: it runs on the platform it describes.
const home = path.resolve('/home/ana');
const linux = { platform: 'linux' as const, homedir: home };
const inData = (dataDir: string, source: string) => ({ dataDir, dbPath: path.join(dataDir, 'quell.db'), source });

describe('where the case database lives', () => {
  test('--db wins over QUELL_HOME and the platform default, and is made absolute', () => {
    const env = { QUELL_HOME: '/srv/quell', XDG_DATA_HOME: '/data' };
    assert.deepEqual(resolveDataLocation({ ...linux, env, dbFlag: '/cases/ir-42.db' }), {
      dataDir: path.resolve('/cases'),
      dbPath: path.resolve('/cases/ir-42.db'),
      source: '--db',
    });
    assert.deepEqual(resolveDataLocation({ ...linux, env, dbFlag: 'ir-42.db' }), {
      dataDir: process.cwd(),
      dbPath: path.join(process.cwd(), 'ir-42.db'),
      source: '--db',
    });
  });

  test('QUELL_HOME wins over the platform default and holds quell.db', () => {
    assert.deepEqual(
      resolveDataLocation({ ...linux, env: { QUELL_HOME: '/srv/quell', XDG_DATA_HOME: '/data' } }),
      inData(path.resolve('/srv/quell'), 'QUELL_HOME'),
    );
    assert.deepEqual(resolveDataLocation({ ...linux, env: { QUELL_HOME: 'rel/home' } }), inData(path.resolve('rel/home'), 'QUELL_HOME'));
  });

  test('empty settings count as unset', () => {
    assert.deepEqual(
      resolveDataLocation({ ...linux, env: { QUELL_HOME: '', XDG_DATA_HOME: '' }, dbFlag: '' }),
      inData(path.join(home, '.local', 'share', 'quell'), 'default'),
    );
  });

  test('Linux: an absolute XDG_DATA_HOME is used; a relative one is ignored as the XDG spec says', () => {
    assert.deepEqual(resolveDataLocation({ ...linux, env: { XDG_DATA_HOME: '/data/xdg' } }), inData(path.join('/data/xdg', 'quell'), 'default'));
    assert.deepEqual(
      resolveDataLocation({ ...linux, env: { XDG_DATA_HOME: 'data/xdg' } }),
      inData(path.join(home, '.local', 'share', 'quell'), 'default'),
    );
    assert.deepEqual(resolveDataLocation({ ...linux, env: {} }), inData(path.join(home, '.local', 'share', 'quell'), 'default'));
  });

  test('macOS: Application Support; XDG is not consulted', () => {
    assert.deepEqual(
      resolveDataLocation({ platform: 'darwin', homedir: home, env: { XDG_DATA_HOME: '/data/xdg' } }),
      inData(path.join(home, 'Library', 'Application Support', 'Quell'), 'default'),
    );
  });

  test('Windows: %APPDATA%\\Quell, else the roaming folder under the home directory', () => {
    assert.deepEqual(
      resolveDataLocation({ platform: 'win32', homedir: home, env: { APPDATA: '/profiles/ana/Roaming' } }),
      inData(path.join('/profiles/ana/Roaming', 'Quell'), 'default'),
    );
    assert.deepEqual(
      resolveDataLocation({ platform: 'win32', homedir: home, env: {} }),
      inData(path.join(home, 'AppData', 'Roaming', 'Quell'), 'default'),
    );
  });

  test('other Unix platforms follow the Linux rules', () => {
    assert.deepEqual(
      resolveDataLocation({ platform: 'freebsd', homedir: home, env: { XDG_DATA_HOME: '/xdg' } }),
      inData(path.join('/xdg', 'quell'), 'default'),
    );
  });
});
