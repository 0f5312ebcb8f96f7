/**
 * The text of `posture resources history` (a block per record, oldest first) and `posture changes`
 * (a block per changed resource and a summary line). The words of one record come from
 * #core/history-text.ts, which the console's resource page uses too; the grouping from
 * #compliance/change-digest.ts.
 */
import type { ChangeDigest, ResourceChanges } from '#compliance/change-digest.ts';
import type { HistoryRecord } from '#core/history.ts';
import { diffLines, recordWhat, timelineOrder } from '#core/history-text.ts';
import { provenanceText, utcTime } from '#core/provenance.ts';

/** One block per record: time and what, the trigger, the cause, the diff lines. */
export function historyText(records: readonly HistoryRecord[]): string {
  const out: string[] = [];
  for (const r of timelineOrder(records)) {
    out.push(`${utcTime(r.observedAt)}  ${recordWhat(r)}`);
    if (r.kind === 'finding') out.push(`  ${r.severity}${r.title ? `: ${r.title}` : ''}`);
    out.push(`  trigger: ${r.trigger}`);
    out.push(`  cause:   ${provenanceText(r.provenance) ?? 'not recorded'}`);
    if (r.kind === 'version') out.push(...diffLines(r.diff).map((l) => `    ${l}`));
    out.push('');
  }
  return out.join('\n');
}

function resourceBlock(r: ResourceChanges): string[] {
  const out = [`${r.resourceId}`, `  ${r.resourceType} · account ${r.accountId} · ${r.region}`];
  for (const v of r.versions) out.push(`  ${utcTime(v.observedAt)}  ${v.summary === v.change ? v.change : `${v.change}: ${v.summary}`}  [${v.trigger}]`);
  for (const a of r.actors) {
    const ips = a.sourceIPs.length ? ` from ${a.sourceIPs.join(', ')}` : '';
    out.push(`  by ${a.name}: ${a.eventNames.join(', ')}${ips} at ${a.times.map(utcTime).join(', ')}`);
  }
  if (r.moreActors) out.push(`  and ${r.moreActors} more event${r.moreActors === 1 ? '' : 's'} not kept`);
  for (const w of r.scanWindows) out.push(`  ${provenanceText({ window: w })!}`);
  for (const f of r.findings) {
    const alert = f.alert ? ` (alert ${f.alert})` : '';
    out.push(`  finding ${f.policyId} [${f.severity}] ${f.fromStatus ?? 'none'}→${f.toStatus ?? 'removed'}${alert}${f.title ? `: ${f.title}` : ''}`);
  }
  return out;
}

/** The digest: a block per resource, then one summary line. */
export function changesText(d: ChangeDigest, since: string): string {
  const t = d.totals;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = `${plural(t.resources, 'resource')} changed since ${utcTime(since)}, ${plural(t.findingsOpened, 'finding')} opened, ${t.findingsResolved} resolved, by ${plural(t.actors, 'actor')}`;
  return [...d.resources.flatMap((r) => [...resourceBlock(r), '']), summary].join('\n') + '\n';
}
