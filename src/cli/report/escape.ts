/** HTML/SVG text escaping: every value that reaches the report goes through this. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/**
 * An identifier (ARN, resource ID) escaped, with a line-break opportunity after each `:` and `/`:
 * a narrow cell wraps it between its parts, never inside a name (the CSS forbids other breaks).
 */
export const breakable = (s: unknown): string => esc(s).replace(/([:/])/g, '$1<wbr>');
