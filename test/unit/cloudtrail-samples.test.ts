/**
 * Every event name of every registry type, with a CloudTrail sample in AWS's shape: each maps to
 * exactly the expected targets (type, action, ResourceId or ref, settle delay), and no
 * (eventSource, eventName) of the registry's event map is left without a sample.
 */
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/events/envelope.ts';
import { mapEvent, type RescanTarget } from '../../src/events/map-event.ts';
import { eventMap, getResourceType, REGISTRY } from '../../src/resources/index.ts';
import { ACCOUNT, envelope, REGION, SAMPLES, type Expected, type Sample } from '../fixtures/cloudtrail/samples.ts';

function actual(t: RescanTarget): Expected {
  const out: Expected = [t.resourceType, t.action];
  if (t.action === 'rescan' || t.action === 'delete') {
    const id = getResourceType(t.resourceType).resourceId({ accountId: t.accountId, region: t.region, partition: 'aws' }, t.ref);
    out.push(id ?? (t.ref as Record<string, unknown>));
  }
  if (t.settleSeconds !== undefined) {
    if (out.length === 2) out.push(undefined);
    out.push(t.settleSeconds);
  }
  return out;
}

const sortKey = (e: Expected) => JSON.stringify(e);
const sorted = (xs: Expected[]) => [...xs].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
const label = (s: Sample) => `${s.eventSource} ${s.eventName}${s.note ? ` (${s.note})` : ''}`;

describe('CloudTrail samples map to their targets', () => {
  it.each(SAMPLES.map((s, i) => [label(s), s, i] as const))('%s', (_label, sample, i) => {
    const { event } = parseMessage(JSON.stringify(envelope(sample, `sample-${i}`)));
    const out = mapEvent(event);
    // An event that names nothing to rescan is rejected with a reason (counted), never mapped to nothing.
    if (sample.expect.length === 0) {
      expect(out).toEqual({ rejected: { reason: 'noTarget', message: expect.stringMatching(new RegExp(`^event sample-${i} \\(.*\\): names no resource to rescan`)) } });
      return;
    }
    expect('targets' in out).toBe(true);
    const targets = 'targets' in out ? out.targets : [];
    for (const t of targets) expect(t).toMatchObject({ accountId: ACCOUNT, region: REGION, eventID: `sample-${i}`, eventName: sample.eventName });
    expect(sorted(targets.map(actual))).toEqual(sorted(sample.expect));
  });
});

describe('sample coverage', () => {
  it('every (eventSource, eventName) of the registry has a sample', () => {
    const covered = new Set(SAMPLES.map((s) => `${s.eventSource} ${s.eventName}`));
    const missing: string[] = [];
    for (const [source, names] of eventMap(REGISTRY)) for (const name of names.keys()) if (!covered.has(`${source} ${name}`)) missing.push(`${source} ${name}`);
    expect(missing).toEqual([]);
  });

  it('every sample names an event the registry maps (no stale samples)', () => {
    const map = eventMap(REGISTRY);
    expect(SAMPLES.filter((s) => !map.get(s.eventSource)?.has(s.eventName)).map(label)).toEqual([]);
  });

  it('every type with events has a sample that targets it', () => {
    const targeted = new Set(SAMPLES.flatMap((s) => s.expect.map((e) => e[0])));
    expect(REGISTRY.filter((t) => Object.keys(t.events).length > 0 && !targeted.has(t.type)).map((t) => t.type)).toEqual([]);
  });
});
