// The vendor connectors the desktop app knows. One import and one entry per vendor:
// `import * as elastic from '../connectors/elastic/index.js';` then `elastic,` in the list.
import * as elastic from '../connectors/elastic/index.js';
import * as crowdstrike from '../connectors/crowdstrike/index.js';
import * as defender from '../connectors/defender/index.js';
import type { Connector, EmulatorDef } from '../connectors/sdk/index.js';
import * as splunk from '../connectors/splunk/index.js';
import * as wazuh from '../connectors/wazuh/index.js';

export interface BuiltInVendor {
  connector: Connector;
  emulator: EmulatorDef;
}

export const builtInVendors: readonly BuiltInVendor[] = [elastic, splunk, wazuh, defender, crowdstrike];
