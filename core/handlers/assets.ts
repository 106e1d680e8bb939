import { QuellError } from '../api/index.js';
import { blastRadius, importAssets, importDependencies, queryFor, resolveAsset } from '../enrich/index.js';
import type { AssetQuery } from '../model/index.js';
import type { Handler } from '../router.js';

// The inventory is organisation-wide, so its imports go on the global journal chain (caseId null).

export const importAssetFile: Handler<'asset.import'> = (input, ctx) => {
  const result = importAssets(ctx.store, input, ctx.now());
  ctx.journal(null, 'assets.imported', result);
  return result;
};

export const resolveAssets: Handler<'asset.resolve'> = (input, ctx) =>
  ctx.store.read(() => {
    let queries: AssetQuery[];
    if ('entities' in input) {
      queries = input.entities;
    } else {
      const found = ctx.store.events.get(input.caseId, input.eventId);
      if (!found) throw new QuellError('not_found', `No record ${input.eventId} in case ${input.caseId}.`, { details: { ...input } });
      queries = found.entities.filter((e) => e.type === 'host' || e.type === 'ip').map((e) => ({ type: e.type as 'host' | 'ip', value: e.canonical }));
    }
    return { resolutions: queries.map((q) => resolveAsset(ctx.store, q)) };
  });

export const lookupAsset: Handler<'asset.lookup'> = (input, ctx) => ctx.store.read(() => resolveAsset(ctx.store, queryFor(input.query)));

export const importDependencyFile: Handler<'deps.import'> = (input, ctx) => {
  const result = importDependencies(ctx.store, input, ctx.now());
  ctx.journal(null, 'dependencies.imported', result);
  return result;
};

export const dependencyGraph: Handler<'deps.graph'> = (input, ctx) => ctx.store.read(() => ctx.store.dependencies.graph(input.source));

export const blastRadiusOf: Handler<'deps.blastRadius'> = (input, ctx) =>
  ctx.store.read(() => blastRadius(ctx.store, input.name, input.maxDepth));
