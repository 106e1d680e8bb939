import { z } from 'zod';
import {
  AssetFormat,
  AssetImportResult,
  AssetQuery,
  AssetResolution,
  BlastRadius,
  CaseId,
  DepEdge,
  DepNode,
  DepsFormat,
  DepsImportResult,
  EventId,
} from '../../model/index.js';
import { defineCommand } from '../contract.js';

const ImportInput = z.object({
  path: z.string().min(1),
  /** A name for what was imported; re-importing the same source replaces it. Default: format and file name. */
  source: z.string().min(1).max(200).optional(),
});

export const importAssets = defineCommand({
  name: 'asset.import',
  summary: 'Import an asset inventory (NetBox export, or a CSV/YAML asset file), replacing what its source held',
  mutates: true,
  input: ImportInput.extend({ format: AssetFormat.optional() }),
  output: AssetImportResult,
});

export const resolveAssets = defineCommand({
  name: 'asset.resolve',
  summary: 'The assets of host names and IP addresses, or of the host and IP entities of one record',
  mutates: false,
  input: z.union([
    z.object({ entities: z.array(AssetQuery).min(1).max(1000) }),
    z.object({ caseId: CaseId, eventId: EventId }),
  ]),
  output: z.object({ resolutions: z.array(AssetResolution) }),
});

export const lookupAsset = defineCommand({
  name: 'asset.lookup',
  summary: 'The asset of one host name or IP address (which one is told from the text)',
  mutates: false,
  input: z.object({ query: z.string().min(1).max(300) }),
  output: AssetResolution,
});

export const importDependencies = defineCommand({
  name: 'deps.import',
  summary: 'Import an application dependency graph (Vizceral JSON, or a CSV/YAML service → depends_on file)',
  mutates: true,
  input: ImportInput.extend({ format: DepsFormat.optional() }),
  output: DepsImportResult,
});

export const dependencyGraph = defineCommand({
  name: 'deps.graph',
  summary: 'The dependency graph as plain node and edge lists (edge from → to: from depends on to)',
  mutates: false,
  input: z.object({ source: z.string().min(1).optional() }),
  output: z.object({ nodes: z.array(DepNode), edges: z.array(DepEdge) }),
});

export const blastRadius = defineCommand({
  name: 'deps.blastRadius',
  summary: 'Everything that depends on a service, transitively, with depth, traffic weight and the owners to inform',
  mutates: false,
  input: z.object({ name: z.string().min(1).max(500), maxDepth: z.number().int().min(1).max(1000).optional() }),
  output: BlastRadius,
});
