/**
 * Writes an upload's re-evaluation through the normal compliance path: the same versioned
 * transitions as a scan (alerts open on a transition into FAIL, resolve on PASS or suppression),
 * plus the removal of pairs whose policy no longer applies (their alerts resolve). The trigger
 * names the bundle, so findings and alerts say which upload changed them.
 */
import { mapLimit } from '#core/errors.ts';
import type { Trigger } from '#core/types.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import type { AlertItem } from '#compliance/model.ts';
import type { ResourceWrite } from './impact.ts';

const WRITE_CONCURRENCY = 8;

export const uploadTrigger = (contentHash: string): Trigger => `upload:${contentHash.slice(0, 12)}`;

export interface ApplyOutcome {
  changed: number;
  removed: number;
  opened: AlertItem[];
  resolved: AlertItem[];
}

export async function applyImpact(
  compliance: Pick<ComplianceStore, 'apply' | 'removePairs'>,
  writes: readonly ResourceWrite[],
  trigger: Trigger,
  now: Date,
  onAlerts?: (opened: AlertItem[], resolved: AlertItem[]) => Promise<void>,
): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { changed: 0, removed: 0, opened: [], resolved: [] };
  await mapLimit(writes, WRITE_CONCURRENCY, async (w) => {
    const t = await compliance.apply(w.ref, w.results, trigger, now, { current: w.current, observedAt: w.observedAt });
    out.changed += t.changed;
    out.opened.push(...t.opened);
    out.resolved.push(...t.resolved);
    if (w.stale.length) {
      out.resolved.push(...(await compliance.removePairs(w.stale, now, trigger)));
      out.removed += w.stale.length;
    }
  });
  if (onAlerts && (out.opened.length || out.resolved.length)) await onAlerts(out.opened, out.resolved);
  return out;
}
