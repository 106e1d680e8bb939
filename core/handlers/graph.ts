import { createHash } from 'node:crypto';
import { QuellError } from '../api/index.js';
import { caseGraph, elementRecords, entityNodeId, getView, listViews, neighbors, saveView, startGraph } from '../graph/index.js';
import { canonicalDomain, canonicalHost, canonicalIp, canonicalUser } from '../ingest/index.js';
import type { EntityType } from '../model/index.js';
import type { Handler } from '../router.js';
import { requireCase } from './cases.js';

export const graphCase: Handler<'graph.case'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const { stats, ...graph } = caseGraph(ctx.store, input.caseId, input);
  return { ...graph, records: stats.records };
};

export const graphNeighbors: Handler<'graph.neighbors'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return neighbors(ctx.store, input.caseId, input.nodeId, input);
};

export const graphStart: Handler<'graph.start'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return startGraph(ctx.store, input.caseId, 'eventId' in input ? { eventId: input.eventId, limit: input.limit } : { query: input.query, limit: input.limit });
};

export const graphRecords: Handler<'graph.records'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return elementRecords(ctx.store, input.caseId, 'nodeId' in input ? input.nodeId : input.edgeId, input);
};

export const graphViewSave: Handler<'graph.view.save'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const { caseId, name, ...state } = input;
  const view = saveView(ctx.store, caseId, name, state, ctx.now());
  // Positions are layout, not evidence: the journal says what was saved, not every coordinate.
  ctx.journal(caseId, 'graph.view.saved', {
    name,
    nodes: Object.keys(state.positions).length,
    filters: state.filters,
    hidden: state.hidden.length,
    pinned: state.pinned.length,
  });
  return view;
};

export const graphViewGet: Handler<'graph.view.get'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const view = getView(ctx.store, input.caseId, input.name);
  if (!view) throw new QuellError('not_found', `No graph view "${input.name}" in case ${input.caseId}.`, { details: { ...input } });
  return view;
};

export const graphViewList: Handler<'graph.view.list'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  return { views: listViews(ctx.store, input.caseId) };
};

const HASH_LENGTHS: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** Canonical forms as core/ingest extracts them, so a hand-added entity meets the imported one. */
function canonical(type: EntityType, value: string): string | null {
  switch (type) {
    case 'host':
      return canonicalHost(value);
    case 'user':
      return canonicalUser(value);
    case 'ip':
      return canonicalIp(value);
    case 'domain':
      return canonicalDomain(value);
    case 'url':
      return value.trim();
    case 'process':
      return value.trim().toLowerCase();
    case 'hash': {
      const algo = HASH_LENGTHS[value.length];
      return algo && /^[0-9a-f]+$/i.test(value) ? `${algo}:${value.toLowerCase()}` : null;
    }
  }
}

export const addEntity: Handler<'entity.add'> = (input, ctx) => {
  requireCase(ctx.store.cases.get(input.caseId), input.caseId);
  const c = canonical(input.type, input.value);
  if (c === null) {
    throw new QuellError('invalid_input', `"${input.value}" is not a ${input.type} Quell can use.`, {
      issues: [{ path: 'input.value', message: `not a valid ${input.type}` }],
    });
  }
  // The id import gives the same entity (core/ingest/prepare-record.ts), so adding a known one changes nothing.
  const id = `en_${createHash('sha256').update(`${input.caseId}\0${input.type}\0${c}`).digest('hex').slice(0, 32)}`;
  const created =
    ctx.store.db.prepare('INSERT OR IGNORE INTO entities (id, case_id, type, value, canonical) VALUES (?, ?, ?, ?, ?)').run(id, input.caseId, input.type, input.value, c)
      .changes > 0;
  ctx.journal(input.caseId, 'entity.added', { entityId: id, type: input.type, value: input.value, canonical: c, created });
  const graphType = input.type === 'host' || input.type === 'user' || input.type === 'ip' || input.type === 'domain' ? input.type : null;
  return { id, type: input.type, value: input.value, canonical: c, nodeId: graphType ? entityNodeId(graphType, input.value) : null, created };
};
