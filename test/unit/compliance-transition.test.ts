/** The compliance transition rules as pure functions: no emulator, no clock. */
import { describe, expect, it } from 'vitest';
import type { ComplianceItem } from '../../src/compliance/model.ts';
import { planRemoval, planTransition, type TransitionContext } from '../../src/compliance/transition.ts';
import type { PolicyResult } from '../../src/core/types.ts';

const resource = { resourceId: 'arn:aws:s3:::b', resourceType: 'AWS.S3.Bucket', accountId: '111111111111', region: 'us-east-1', scope: '111111111111#global#AWS.S3.Bucket' };
const now = new Date('2026-06-01T00:00:10Z');
const ctx = (extra: Partial<TransitionContext> = {}): TransitionContext => ({ resource, trigger: 'scheduled', now, observedAt: '2026-06-01T00:00:05.000Z', ...extra });
const result = (status: PolicyResult['status'], extra: Partial<PolicyResult> = {}): PolicyResult => ({
  policyId: 'P',
  resourceId: resource.resourceId,
  resourceType: resource.resourceType,
  status,
  errorMessage: status === 'ERROR' ? 'KeyError: x' : null,
  severity: 'High',
  title: status === 'FAIL' ? 'bad bucket' : null,
  dedup: null,
  suppressed: false,
  ...extra,
});

/** The item a first transition stores, to use as the previous state of the next. */
function stored(status: PolicyResult['status'], extra: Partial<PolicyResult> = {}, observedAt = '2026-06-01T00:00:00.000Z'): ComplianceItem {
  const t = planTransition(undefined, result(status, extra), ctx({ observedAt }));
  if (t.kind !== 'change') throw new Error('expected a change');
  return t.item;
}

describe('planTransition', () => {
  it('a first FAIL opens exactly one alert, keyed by policy and resource (or dedup), and stores version 1', () => {
    const t = planTransition(undefined, result('FAIL', { destinations: ['hook'] }), ctx());
    expect(t).toMatchObject({
      kind: 'change',
      item: { status: 'FAIL', version: 1, statusKey: 'FAIL#P', observedAt: '2026-06-01T00:00:05.000Z', alertKey: 'P#arn:aws:s3:::b', alertDestinations: ['hook'] },
      opened: { alertKey: 'P#arn:aws:s3:::b', openedAt: `${now.toISOString()}#arn:aws:s3:::b`, status: 'OPEN', title: 'bad bucket', destinations: ['hook'] },
    });
    const deduped = planTransition(undefined, result('FAIL', { dedup: 'grp' }), ctx());
    expect(deduped.kind === 'change' && deduped.opened?.alertKey).toBe('P#grp');
  });

  it('an unchanged verdict writes nothing; with touch, only a newer observation moves', () => {
    const prev = stored('FAIL');
    expect(planTransition(prev, result('FAIL'), ctx())).toEqual({ kind: 'unchanged' });
    expect(planTransition(prev, result('FAIL'), ctx({ touch: true }))).toEqual({ kind: 'touch', previous: prev });
    expect(planTransition(prev, result('FAIL'), ctx({ touch: true, observedAt: prev.observedAt! }))).toEqual({ kind: 'unchanged' });
  });

  it('PASS resolves the open alert by the trigger; a suppression resolves it as suppressed', () => {
    const prev = stored('FAIL');
    const fixed = planTransition(prev, result('PASS'), ctx({ trigger: 'realtime:PutBucketEncryption' }));
    expect(fixed).toMatchObject({ kind: 'change', item: { status: 'PASS', version: 2, title: 'bad bucket' }, resolved: { status: 'RESOLVED', resolvedBy: 'realtime:PutBucketEncryption' } });
    expect(fixed.kind === 'change' && fixed.item.alertKey).toBeUndefined();
    const suppressed = planTransition(prev, result('FAIL', { suppressed: true, suppressedBy: 'exc-1' }), ctx());
    expect(suppressed).toMatchObject({ kind: 'change', resolved: { resolvedBy: 'suppressed' } });
  });

  it('ERROR keeps an open alert open and opens none', () => {
    const prev = stored('FAIL');
    const err = planTransition(prev, result('ERROR'), ctx());
    expect(err).toMatchObject({ kind: 'change', item: { status: 'ERROR', alertKey: prev.alertKey } });
    expect(err.kind === 'change' && (err.opened ?? err.resolved)).toBeUndefined();
    expect(planTransition(undefined, result('ERROR'), ctx())).toMatchObject({ kind: 'change', item: { status: 'ERROR' } });
    expect((planTransition(undefined, result('ERROR'), ctx()) as { opened?: unknown }).opened).toBeUndefined();
  });

  it('a result observed before the stored verdict is stale, whatever it says', () => {
    const prev = stored('PASS', {}, '2026-06-01T00:00:20.000Z');
    expect(planTransition(prev, result('FAIL'), ctx())).toEqual({ kind: 'stale' });
    expect(planTransition(prev, result('PASS'), ctx({ touch: true }))).toEqual({ kind: 'stale' });
    // Items written before observations were recorded are never stale.
    const legacy = { ...prev, observedAt: undefined };
    expect(planTransition(legacy, result('FAIL'), ctx()).kind).toBe('change');
  });
});

describe('planRemoval', () => {
  it('removes a pair, resolving its open alert by the cause; one without an alert resolves nothing', () => {
    const failing = stored('FAIL');
    expect(planRemoval(failing, now, 'deleted')).toMatchObject({ kind: 'remove', resolved: { status: 'RESOLVED', resolvedBy: 'deleted', alertKey: failing.alertKey } });
    expect(planRemoval(stored('PASS'), now, 'upload:abc')).toEqual({ kind: 'remove', previous: expect.objectContaining({ status: 'PASS' }) });
  });

  it('a removal observed before the verdict is stale (the resource was seen alive later)', () => {
    const prev = stored('FAIL', {}, '2026-06-01T00:00:20.000Z');
    expect(planRemoval(prev, now, 'deleted', '2026-06-01T00:00:05.000Z')).toEqual({ kind: 'stale' });
    expect(planRemoval(prev, now, 'deleted', '2026-06-01T00:00:30.000Z').kind).toBe('remove');
  });
});
