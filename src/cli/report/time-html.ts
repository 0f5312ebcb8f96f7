/**
 * Timestamps as a reader wants them: "2026-12-05 02:31 UTC" with the age at the time the report was
 * generated ("3 days earlier"), the exact ISO instant kept in <time datetime> and its tooltip.
 */
import { esc } from './escape.ts';

/** "2026-12-05 02:31 UTC"; an unparsable value is shown as it came. */
export function utcMinute(iso: string | Date): string {
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const UNITS: [limitMs: number, unitMs: number, name: string][] = [
  [3_600_000, 60_000, 'min'],
  [2 * 86_400_000, 3_600_000, 'h'],
  [60 * 86_400_000, 86_400_000, 'days'],
  [730 * 86_400_000, 30 * 86_400_000, 'months'],
  [Infinity, 365 * 86_400_000, 'years'],
];

/** "5 min", "7 h", "12 days", "3 months" between `then` and `now` ("just now" under a minute; null when unreadable or later). */
export function age(then: string, now: Date): string | null {
  const ms = now.getTime() - new Date(then).getTime();
  if (Number.isNaN(ms) || ms < 0) return null;
  if (ms < 60_000) return 'just now';
  const [, unit, name] = UNITS.find(([limit]) => ms < limit)!;
  return `${Math.floor(ms / unit)} ${name}`;
}

/** A <time> element: the UTC minute, the full instant in its tooltip. */
export const timeHtml = (iso: string): string => `<time datetime="${esc(iso)}" title="${esc(iso)}">${esc(utcMinute(iso))}</time>`;

/** `timeHtml` plus its age when the report was generated ("12 days old"), for table cells. */
export function timeWithAge(iso: string, now: Date): string {
  const a = age(iso, now);
  return `${timeHtml(iso)}${a ? ` <small class="age">${esc(a === 'just now' ? 'new' : `${a} old`)}</small>` : ''}`;
}
