/** A value as the responder reads it: indented JSON (`null` for a step that produced nothing). */
export function prettyJson(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value, null, 2);
}

/** Parses what the responder typed as JSON, with a message that says where it went wrong. */
export function parseJson(text: string, what: string): { value: unknown } | { error: string } {
  if (!text.trim()) return { error: `${what} is empty: write a JSON value, e.g. {"owner": "net-team"}, "text", 3 or null.` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}
