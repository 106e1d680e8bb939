// The layout client: sends a graph to the layout worker and answers its positions, one request at a time. A new
// request cancels the one in flight (the worker is stopped and a fresh one started: a running fcose cannot be
// interrupted otherwise). Positions are cached per case and view (layout-cache.ts) and reused when the same graph
// opens again; a changed graph starts from the positions of the last one.
import { cachedPositions, graphHash, latestPositions, savePositions, type LayoutCacheKey } from './layout-cache.js';
import type { LayoutAnswer, LayoutRequest } from './layout-protocol.js';
import type { Position } from './level-of-detail.js';

export interface LayoutInput {
  nodes: { id: string; parent?: string }[];
  edges: { id: string; source: string; target: string }[];
}

export interface LaidOut {
  positions: Map<string, Position>;
  /** cache: reused as saved; worker: computed now (`quality` draft above DRAFT_ABOVE_NODES without seeds). */
  from: 'cache' | 'worker';
  quality: 'draft' | 'default' | null;
  tookMs: number;
}

export class LayoutCancelled extends Error {
  constructor() {
    super('The layout was replaced by a newer one.');
    this.name = 'LayoutCancelled';
  }
}

/**
 * Vite sees `new Worker(new URL(…, import.meta.url), { type: 'module' })` and emits the worker as its own
 * same-origin file under assets/ (never a blob: or data: URL, which the CSP would refuse).
 */
function startWorker(): Worker {
  return new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module', name: 'quell-layout' });
}

interface Pending {
  requestId: number;
  resolve(answer: LayoutAnswer): void;
  reject(err: Error): void;
}

export class LayoutClient {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;

  /** Positions of every node: from the cache when this exact graph was laid out before, else from the worker. */
  async layout(input: LayoutInput, key: LayoutCacheKey): Promise<LaidOut> {
    this.cancel();
    const started = performance.now();
    const hash = graphHash(
      input.nodes.map((n) => n.id),
      input.edges.map((e) => e.id),
    );
    const cached = cachedPositions(key, hash);
    if (cached && input.nodes.every((n) => cached.has(n.id))) {
      return { positions: cached, from: 'cache', quality: null, tookMs: performance.now() - started };
    }
    const seeds: Record<string, Position> = {};
    const latest = latestPositions(key);
    if (latest) for (const n of input.nodes) if (latest.has(n.id)) seeds[n.id] = latest.get(n.id)!;
    const answer = await this.send({ requestId: this.nextId++, nodes: input.nodes, edges: input.edges, seeds, randomSeed: 2291 });
    if (!answer.ok) throw new Error(`Layout failed: ${answer.message}`);
    const positions = new Map<string, Position>();
    input.nodes.forEach((n, i) => positions.set(n.id, { x: answer.positions[2 * i]!, y: answer.positions[2 * i + 1]! }));
    savePositions(key, hash, positions);
    return { positions, from: 'worker', quality: answer.quality, tookMs: performance.now() - started };
  }

  /** Drops the request in flight, if any (its promise rejects with LayoutCancelled). */
  cancel(): void {
    if (!this.pending) return;
    this.pending.reject(new LayoutCancelled());
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
  }

  dispose(): void {
    this.cancel();
    this.worker?.terminate();
    this.worker = null;
  }

  private send(request: LayoutRequest): Promise<LayoutAnswer> {
    const worker = (this.worker ??= this.attach(startWorker()));
    return new Promise((resolve, reject) => {
      this.pending = { requestId: request.requestId, resolve, reject };
      worker.postMessage(request);
    });
  }

  private attach(worker: Worker): Worker {
    worker.onmessage = (event: MessageEvent<LayoutAnswer>) => {
      const p = this.pending;
      if (!p || p.requestId !== event.data.requestId) return; // the answer of a cancelled request
      this.pending = null;
      p.resolve(event.data);
    };
    worker.onerror = (event) => {
      const p = this.pending;
      this.pending = null;
      this.worker = null;
      worker.terminate();
      p?.reject(new Error(`The layout worker failed: ${event.message || 'it could not start'}`));
    };
    return worker;
  }
}
