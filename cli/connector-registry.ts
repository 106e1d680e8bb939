// The vendor connectors the `quell` command knows (connector add/pull/action, emulate). One import and one entry
// per vendor: `import * as elastic from '../connectors/elastic/index.js';` then `elastic,` in the list.
import type { Connector, EmulatorDef } from '../connectors/sdk/index.js';

export interface BuiltInVendor {
  connector: Connector;
  emulator: EmulatorDef;
}

export const builtInVendors: readonly BuiltInVendor[] = [];
