/**
 * A history record in words, shared by `posture resources history` and the console's resource page
 * (the SPA bundles #core): what happened ("changed", "FINDING AWS.EC2.x FAIL→PASS (alert
 * resolved)") and the diff as lines ("+ path = after", "- path (was before)", "~ path: before → after").
 */
import type { HistoryRecord, StructuralDiff } from './history.ts';

/** What the record says happened, in a few words. */
export function recordWhat(r: HistoryRecord): string {
  if (r.kind === 'version') return r.change;
  const alert = r.alert ? ` (alert ${r.alert})` : '';
  return `FINDING ${r.policyId} ${r.fromStatus ?? 'none'}→${r.toStatus ?? 'removed'}${alert}`;
}

/** One line per diff entry, changed first, then added and removed; and how many more were not listed. */
export function diffLines(diff: StructuralDiff | undefined): string[] {
  if (!diff) return [];
  return [
    ...diff.changed.map((e) => `~ ${e.path}: ${e.before ?? 'null'} → ${e.after ?? 'null'}`),
    ...diff.added.map((e) => `+ ${e.path} = ${e.after ?? 'null'}`),
    ...diff.removed.map((e) => `- ${e.path} (was ${e.before ?? 'null'})`),
    ...(diff.more ? [`… and ${diff.more} more path${diff.more === 1 ? '' : 's'} not listed`] : []),
  ];
}

/**
 * Oldest first; at one observation, the version before the verdicts it moved (the store sorts
 * `#f#…` before `#v`). Reversed, newest first with the verdicts above their version.
 */
export const timelineOrder = (records: readonly HistoryRecord[]): HistoryRecord[] =>
  [...records].sort((a, b) => a.observedAt.localeCompare(b.observedAt) || (a.kind === b.kind ? 0 : a.kind === 'version' ? -1 : 1));
