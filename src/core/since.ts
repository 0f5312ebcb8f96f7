/**
 * The start of a look-back window as the CLI (`resources history --since`, `changes --since`) and
 * the console API (`/api/resource/history?since=`) take it: a duration back from now (`30d`, `24h`,
 * `90m`) or an ISO time. One parser, so both read the same values the same way.
 */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
const DURATION = /^(\d+)([dhm])$/;
/** A date, or a date and a time with an optional zone (no zone: UTC). */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export class SinceError extends Error {}

/** The window's start as an ISO time (UTC), or a SinceError naming what was wrong with `value`. */
export function parseSince(value: string, now: Date): string {
  const v = value.trim();
  const d = DURATION.exec(v);
  if (d) return new Date(now.getTime() - Number(d[1]) * UNIT_MS[d[2] as keyof typeof UNIT_MS]).toISOString();
  if (ISO.test(v)) {
    const zoned = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(v) || !v.includes('T') ? v : `${v}Z`;
    const t = new Date(v.includes('T') ? zoned : `${v}T00:00:00Z`);
    if (!Number.isNaN(t.getTime())) return t.toISOString();
  }
  throw new SinceError(`'${value}' is neither a duration like 30d, 24h or 90m nor an ISO time like 2026-12-01T09:00:00Z`);
}
