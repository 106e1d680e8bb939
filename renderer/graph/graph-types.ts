// The plain data views hand to CyGraph: no cytoscape types, so views never depend on the library.

export interface GraphNode {
  id: string;
  label: string;
  /** Space-separated classes the stylesheet colours by (`type-action status-done current breakpoint`). */
  classes: string;
  /** The compound node this one is drawn inside (a region around its services). */
  parent?: string;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  classes: string;
}

/** A Cytoscape stylesheet as plain data: a selector and its style properties. */
export type GraphStyle = { selector: string; style: Record<string, string | number> }[];
