/**
 * The member accounts' EventBridge rules as the registry derives them: memberEventPattern() packed
 * into rules that each fit EventBridge's pattern-size quota. The member templates, the demo's seed
 * and `accounts verify` use them through src/onboarding/member-template.ts.
 */
import { eventNamesBySource, eventPatternOf, type AnyResourceType } from './index.ts';

/** EventBridge's default quota on an event pattern's size (characters). */
export const EVENT_PATTERN_MAX = 2048;

export interface MemberRule {
  name: string;
  pattern: Record<string, unknown>;
}

/** A pattern's size as EventBridge may count it: serializers differ (`", "` vs `","`), so count the spaced form. */
const json = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s + ' '.repeat(s.match(/[,:]/g)?.length ?? 0);
};


/**
 * memberEventPattern() split into rules named `<prefix>-N` that each fit EventBridge's
 * pattern-size quota: the registry's types grouped by event source (a source whose own pattern is
 * too large is split by event name). Together the rules match exactly what memberEventPattern()
 * matches (per source only that source's event names), plus `extraSources` in every rule.
 */
export function packMemberRules(registry: readonly AnyResourceType[], opts: { prefix: string; extraSources?: readonly string[]; max?: number }): MemberRule[] {
  const max = opts.max ?? EVENT_PATTERN_MAX;
  const withCanary = (pattern: Record<string, unknown>): Record<string, unknown> => ({ ...pattern, source: [...(pattern.source as string[]), ...(opts.extraSources ?? [])] });
  // The smallest units: one source's event names (of every type that listens to that source,
  // related events included), or slices of them when even that is too large.
  const units: Record<string, unknown>[] = [];
  for (const [source, names] of eventNamesBySource(registry)) {
    const pattern = eventPatternOf([source], names);
    if (json(withCanary(pattern)).length <= max) {
      units.push(pattern);
      continue;
    }
    const detail = pattern.detail as { eventName: string[] };
    let slice: string[] = [];
    const flush = () => {
      if (slice.length) units.push({ ...pattern, detail: { ...detail, eventName: slice } });
      slice = [];
    };
    for (const name of detail.eventName) {
      const next = { ...pattern, detail: { ...detail, eventName: [...slice, name] } };
      if (slice.length && json(withCanary(next)).length > max) flush();
      slice.push(name);
    }
    flush();
  }
  // Greedy packing of whole sources (the merged pattern is memberEventPattern of the group).
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const da = a.detail as Record<string, string[]>;
    const db = b.detail as Record<string, string[]>;
    const u = (x: string[], y: string[]) => [...new Set([...x, ...y])].sort();
    return {
      source: u(a.source as string[], b.source as string[]),
      'detail-type': a['detail-type'],
      detail: { eventSource: u(da.eventSource!, db.eventSource!), eventName: u(da.eventName!, db.eventName!), errorCode: da.errorCode },
    };
  };
  const packed: Record<string, unknown>[] = [];
  for (const unit of units) {
    const last = packed.at(-1);
    const lastSources = (last?.detail as { eventSource: string[] } | undefined)?.eventSource ?? [];
    const unitSources = (unit.detail as { eventSource: string[] }).eventSource;
    // Never merge two slices of one source (that would only re-grow the pattern).
    if (last && !unitSources.some((s) => lastSources.includes(s)) && json(withCanary(merge(last, unit))).length <= max) {
      packed[packed.length - 1] = merge(last, unit);
    } else packed.push(unit);
  }
  return packed.map((p, i) => ({ name: `${opts.prefix}-${i + 1}`, pattern: withCanary(p) }));
}
