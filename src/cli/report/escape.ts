/** HTML/SVG text escaping: every value that reaches the report goes through this. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/**
 * An identifier (ARN, resource ID, URL) escaped so that a narrow cell wraps it only after a `:` or
 * `/`: each part between separators is a no-wrap <span> (browsers would break after a `-` inside
 * a name) and a <wbr> follows each separator. The text, copied, is the identifier unchanged.
 */
export const breakable = (s: unknown): string =>
  String(s ?? '')
    .split(/([:/])/)
    .map((part) => (part === ':' || part === '/' ? `${part}<wbr>` : part ? `<span>${esc(part)}</span>` : ''))
    .join('');
