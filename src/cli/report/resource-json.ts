/** A resource's JSON for the report: pretty-printed, and cut at a line boundary when it is too big for a page. */

/** Policies rarely need more than this to be understood; a page of many findings must stay openable. */
export const MAX_JSON_CHARS = 20_000;

export interface ResourceJson {
  text: string;
  /** Characters of the whole pretty-printed document, when `text` is a cut of it. */
  truncatedFrom?: number;
}

export function resourceJson(resource: unknown, max = MAX_JSON_CHARS): ResourceJson {
  const full = JSON.stringify(resource, null, 2) ?? 'null';
  if (full.length <= max) return { text: full };
  // At a line end when one is near; a single huge value is cut mid-line rather than to nothing.
  const cut = full.lastIndexOf('\n', max);
  return { text: full.slice(0, cut > max / 2 ? cut : max), truncatedFrom: full.length };
}
