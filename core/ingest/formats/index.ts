import { crowdstrikeAlert } from './crowdstrike-alert.js';
import { defenderAlert } from './defender-alert.js';
import { elasticAlert } from './elastic.js';
import { elasticAttackDiscovery } from './elastic-attack-discovery.js';
import { entraAudit } from './entra-audit.js';
import { m365Defender } from './m365-defender.js';
import { officeActivity } from './office-activity.js';
import { splunkNotable } from './splunk-notable.js';
import { suricataEve } from './suricata.js';
import type { FormatDef } from './types.js';
import { wazuhAlert } from './wazuh.js';
import { windowsEvtx } from './windows-evtx.js';
import { windowsNxlog } from './windows-nxlog.js';
import { windowsSentinel } from './windows-sentinel.js';
import { zeekLog, zeekTsv } from './zeek.js';

/** Every source format Quell reads, in the order `--format` lists them. Detection picks the best-scoring one. */
export const allFormats: readonly FormatDef[] = [
  suricataEve,
  zeekLog,
  zeekTsv,
  windowsNxlog,
  windowsSentinel,
  windowsEvtx,
  elasticAlert,
  elasticAttackDiscovery,
  wazuhAlert,
  m365Defender,
  entraAudit,
  officeActivity,
  defenderAlert,
  crowdstrikeAlert,
  splunkNotable,
];
