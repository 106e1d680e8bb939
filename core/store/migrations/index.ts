import { initial } from './001-initial.js';
import { ingest } from './002-ingest.js';
import { tags } from './003-tags.js';
import { assets } from './004-assets.js';
import { intel } from './005-intel.js';
import { sigma } from './006-sigma.js';
import { connectors } from './007-connectors.js';
import { playbooks } from './008-playbooks.js';
import { graphViews } from './009-graph-views.js';

/** Ordered; a migration's version is its position + 1 and is stored in `PRAGMA user_version`. Never edit one. */
export const migrations: readonly { name: string; sql: string }[] = [
  { name: 'initial', sql: initial },
  { name: 'ingest', sql: ingest },
  { name: 'tags', sql: tags },
  { name: 'assets', sql: assets },
  { name: 'intel', sql: intel },
  { name: 'sigma', sql: sigma },
  { name: 'connectors', sql: connectors },
  { name: 'playbooks', sql: playbooks },
  { name: 'graph-views', sql: graphViews },
];

export const SCHEMA_VERSION = migrations.length;
