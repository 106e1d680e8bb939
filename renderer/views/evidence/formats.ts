/**
 * The formats the import dialog offers to force. The core sniffs the format when none is named; an unknown name
 * comes back as an invalid_input error listing the ones it knows, so this list going stale fails loudly, not silently.
 */
export const importFormats = [
  'suricata-eve',
  'zeek',
  'zeek-tsv',
  'windows-nxlog',
  'windows-sentinel',
  'windows-evtx',
  'elastic-alert',
  'elastic-attack-discovery',
  'wazuh-alert',
  'm365-defender',
  'entra-audit',
  'office-activity',
] as const;
