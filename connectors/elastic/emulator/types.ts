/** A request as the emulator's routes see it: the body already parsed (JSON) or null. */
export interface EmuRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: unknown;
}

export interface EmuResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Alert ids this answer serves (counted only if the answer is not truncated). */
  served?: string[];
  /** Set on an action request: recorded after auth, as it arrived. */
  action?: string;
}
