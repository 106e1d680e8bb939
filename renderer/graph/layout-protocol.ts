// Messages between the layout client (layout.ts) and the layout worker (layout-worker.ts).

export interface LayoutRequest {
  /** Answers carry it back, so the client can drop the answer of a request it has cancelled. */
  requestId: number;
  nodes: { id: string; parent?: string }[];
  edges: { id: string; source: string; target: string }[];
  /** Where nodes were last time (from the position cache): the layout starts there instead of at random. */
  seeds: Record<string, { x: number; y: number }>;
  /** Fixed for the tests and the benchmark, so the same graph is laid out the same way every time. */
  randomSeed: number;
}

export type LayoutAnswer =
  | {
      requestId: number;
      ok: true;
      /** x and y of nodes[i] of the request at 2i and 2i + 1. */
      positions: Float64Array;
      quality: 'draft' | 'default';
      tookMs: number;
    }
  | { requestId: number; ok: false; message: string };

/** Above this many nodes the layout is fcose's spectral "draft" only: seconds instead of minutes. */
export const DRAFT_ABOVE_NODES = 1_000;
