// The few parts of Node-RED's embedding API (node-red 4.x, `lib/red.js`) the playbook benchmark uses. Node-RED ships
// no type declarations; this is a benchmark-only dev dependency, so a narrow hand-written surface is enough.
declare module 'node-red' {
  interface NodeRedNode {
    readonly id: string;
    readonly type: string;
    /** Delivers a message to the node's input handlers, in the caller's tick. */
    receive(msg?: Record<string, unknown>): void;
  }

  /** What the `onComplete` messaging hook receives: the node finished handling `msg` (with `error` if it failed). */
  interface NodeRedCompleteEvent {
    msg: Record<string, unknown>;
    error?: unknown;
    node: { id: string; node: NodeRedNode };
  }

  interface NodeRedApi {
    init(settings: Record<string, unknown>): void;
    init(httpServer: unknown, settings: Record<string, unknown>): void;
    start(): Promise<void>;
    stop(): Promise<void>;
    readonly nodes: { getNode(id: string): NodeRedNode | null };
    readonly events: {
      once(event: 'flows:started', listener: (event: unknown) => void): void;
      removeListener(event: string, listener: (...args: never[]) => void): void;
    };
    readonly hooks: {
      /** `name` is `<hook>.<label>`; removing `*.<label>` removes every hook with that label. */
      add(name: `onComplete.${string}`, hook: (event: NodeRedCompleteEvent) => void): void;
      remove(name: string): void;
    };
  }

  const RED: NodeRedApi;
  export = RED;
}
