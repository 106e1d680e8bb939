import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalizedEvent } from '../../model/index.js';
import { frameRecords, type RawRecord } from '../framing.js';
import { crowdstrikeAlert } from './crowdstrike-alert.js';
import { defenderAlert } from './defender-alert.js';
import { elasticAlert } from './elastic.js';
import { elasticAttackDiscovery } from './elastic-attack-discovery.js';
import { entraAudit } from './entra-audit.js';
import type { Doc } from './flatten.js';
import { m365Defender } from './m365-defender.js';
import { officeActivity } from './office-activity.js';
import type { NormalizeResult } from './types.js';
import { wazuhAlert } from './wazuh.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');

/** The alert and cloud formats, for detection tests that check each scores only its own records. */
export const ALERT_FORMATS = [elasticAlert, elasticAttackDiscovery, wazuhAlert, m365Defender, entraAudit, officeActivity, defenderAlert, crowdstrikeAlert];

/** Every record of a fixture file, framed as the importer frames it; a record that does not frame fails the test. */
export async function framed(rel: string): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const r of frameRecords(fs.createReadStream(path.join(FIXTURES, rel)))) {
    assert.ok(r.value, `${rel}:${r.line} did not frame: ${r.error}`);
    out.push(r.value);
  }
  return out;
}

export function asEvent(result: NormalizeResult): { event: NormalizedEvent; identity: string } {
  if (result.kind !== 'event') assert.fail(`expected an event, got ${result.kind}`);
  return result;
}

/** The framed records of a fixture file, damaged ones included, up to `limit`. */
export async function readFixtureRecords(rel: string, limit = Infinity): Promise<RawRecord[]> {
  const stream = fs.createReadStream(path.join(FIXTURES, rel));
  const out: RawRecord[] = [];
  try {
    for await (const r of frameRecords(stream)) {
      out.push(r);
      if (out.length >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return out;
}
