/** A plain fixed-width text table for terminals (no colors when not a TTY). */
export function renderTable(headers: string[], rows: string[][], maxWidth = 60): string {
  const clip = (s: string) => (s.length > maxWidth ? `…${s.slice(s.length - maxWidth + 1)}` : s);
  const cells = rows.map((r) => r.map(clip));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
