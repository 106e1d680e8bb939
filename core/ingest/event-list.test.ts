import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import type { CommandInput } from '../api/index.js';
import { alice } from '../store/journal.test-helpers.js';
import { coreWithCase, fixture } from './import.test-helpers.js';

/** A case holding the 21 Suricata alerts and 1 TLS event of eve-alerts, and the Wazuh sshd alert. */
async function mixedCase(t: TestContext) {
  const core = await coreWithCase(t);
  const imported = await core.router.invoke(
    'evidence.import',
    { caseId: core.caseId, paths: [fixture('suricata/eve-alerts.ndjson'), fixture('wazuh/alerts-json-sample.ndjson')] },
    alice,
  );
  assert.equal(imported.ok, true);
  const list = async (q: Omit<CommandInput<'event.list'>, 'caseId'>) => {
    const result = await core.router.invoke('event.list', { caseId: core.caseId, ...q }, alice);
    if (!result.ok) assert.fail(result.error.message);
    return result.value;
  };
  return { core, list };
}

describe('event.list: the queue and timeline filters', () => {
  test('kind, level, technique and full text narrow to exact counts', async (t) => {
    const { list } = await mixedCase(t);
    assert.equal((await list({})).total, 23);
    assert.equal((await list({ kind: 'alert' })).total, 22);
    assert.equal((await list({ kind: 'event' })).total, 1);
    assert.equal((await list({ kind: 'alert', levels: ['medium'] })).total, 7); // 6 Suricata severity 2 + Wazuh level 10
    assert.equal((await list({ technique: 'T1110' })).total, 1);
    assert.equal((await list({ technique: 't1110' })).total, 1);
    assert.equal((await list({ text: 'curl' })).total, 6);
    assert.equal((await list({ text: '"unbalanced quote' })).total, 0); // user text never breaks the FTS syntax
  });

  test('a tag is matched whole and case-insensitively, and rows carry their tags', async (t) => {
    const { list } = await mixedCase(t);
    const sshd = await list({ tag: 'SSHD' });
    assert.equal(sshd.total, 1);
    assert.deepEqual(sshd.rows[0]!.tags, ['syslog', 'sshd', 'authentication_failures']);
    assert.equal((await list({ tag: 'ssh' })).total, 0);
    assert.equal((await list({ tag: 'authentication_%' })).total, 0); // LIKE wildcards are literal
  });

  test('an entity filter finds every record naming it; sorting by risk puts the highest first', async (t) => {
    const { list } = await mixedCase(t);
    assert.equal((await list({ entity: { type: 'ip', canonical: '93.184.216.34' } })).total, 6);
    const byRisk = await list({ kind: 'alert', sort: 'risk', order: 'desc', limit: 3 });
    assert.deepEqual(byRisk.rows.map((r) => [r.format, r.risk, r.level]), [
      ['wazuh-alert', 67, 'medium'],
      ['suricata-eve', 47, 'medium'],
      ['suricata-eve', 47, 'medium'],
    ]);
    assert.equal(byRisk.total, 22);
  });
});
