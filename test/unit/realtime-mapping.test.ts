import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/events/envelope.ts';
import { mapEvent } from '../../src/events/map-event.ts';
import { trustRejection } from '../../src/events/trust.ts';
import { batchBySize } from '../../src/scan/evaluators.ts';
import type { Resource } from '../../src/core/resource.ts';

const event = (detail: Record<string, unknown>, envelope: Record<string, unknown> = {}) =>
  JSON.stringify({
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: '111111111111',
    region: 'us-east-1',
    detail: { eventID: 'e-1', eventTime: '2026-11-22T10:00:00Z', awsRegion: 'us-east-1', eventSource: 'ec2.amazonaws.com', ...detail },
    ...envelope,
  });

describe('realtime message parsing', () => {
  it('accepts a CloudTrail event and a deferred one', () => {
    const m = parseMessage(event({ eventName: 'AuthorizeSecurityGroupIngress', requestParameters: { groupId: 'sg-1' } }));
    expect(m.settled).toBe(false);
    expect(m.event.account).toBe('111111111111');
    const d = parseMessage(JSON.stringify({ settled: true, event: JSON.parse(event({ eventName: 'CreateSecurityGroup' })) }));
    expect(d.settled).toBe(true);
  });

  it('never takes the account from the detail: an envelope without one is malformed', () => {
    expect(() => parseMessage(event({ eventName: 'X', recipientAccountId: '222222222222' }, { account: undefined }))).toThrow(
      /^event e-1: account: missing: EventBridge always sets the sender account$/,
    );
  });

  it('rejects bad input with one line naming the field and event', () => {
    expect(() => parseMessage('{not json')).toThrow(/^message is not JSON/);
    expect(() => parseMessage(event({ eventName: '' }))).toThrow(/^event e-1: detail\.eventName: /);
    expect(() => parseMessage(event({ eventName: 'X' }, { 'detail-type': 'Scheduled Event' }))).toThrow(/detail-type/);
    expect(() => parseMessage(event({ eventName: 'X' }, { account: '12' }))).toThrow(/^event e-1: account: must be the 12-digit account EventBridge sets$/);
  });
});

describe('trust: only what EventBridge vouches for', () => {
  const trust = (detail: Record<string, unknown>, envelope: Record<string, unknown> = {}) =>
    trustRejection(parseMessage(event({ eventName: 'DeleteSecurityGroup', requestParameters: { groupId: 'sg-9' }, ...detail }, envelope)).event);

  it('accepts an AWS-sourced event whose CloudTrail recipient is the sender EventBridge names', () => {
    expect(trust({ recipientAccountId: '111111111111' })).toBeUndefined();
    expect(trust({})).toBeUndefined();
  });

  it('rejects a detail naming another account than the envelope (a forged recipient)', () => {
    expect(trust({ recipientAccountId: '222222222222' })).toEqual({
      reason: 'accountMismatch',
      message: 'event e-1 (ec2.amazonaws.com DeleteSecurityGroup): detail.recipientAccountId 222222222222 is not the account EventBridge names as its sender (111111111111)',
    });
  });

  it('rejects custom sources (anyone may PutEvents them), and the canary source only passes as a source', () => {
    expect(trust({}, { source: 'my.app' })).toEqual({ reason: 'untrustedSource', message: expect.stringMatching(/source my\.app is not an AWS service \(aws\.\*\)/) });
    expect(trust({}, { source: 'awsx.ec2' })?.reason).toBe('untrustedSource');
    expect(trust({}, { source: 'aws.ec2' })).toBeUndefined();
    expect(trust({}, { source: 'posture.canary' })).toBeUndefined();
  });

  it('maps to the envelope account only', () => {
    const out = mapEvent(parseMessage(event({ eventName: 'DeleteSecurityGroup', requestParameters: { groupId: 'sg-9' } }, { account: '333333333333' })).event);
    expect('targets' in out && [...new Set(out.targets.map((t) => t.accountId))]).toEqual(['333333333333']);
  });

  it('rejects an event that names no resource to act on, with a reason', () => {
    const out = mapEvent(parseMessage(event({ eventName: 'DeleteBucket', eventSource: 's3.amazonaws.com', requestParameters: {} }, { source: 'aws.s3' })).event);
    expect(out).toEqual({ rejected: { reason: 'noTarget', message: 'event e-1 (s3.amazonaws.com DeleteBucket): names no resource to rescan (AWS.S3.Bucket)' } });
  });
});

describe('event mapping through the registry', () => {
  const map = (detail: Record<string, unknown>) => mapEvent(parseMessage(event(detail)).event);

  it('maps a security-group change to a single-resource rescan', () => {
    const out = map({ eventName: 'AuthorizeSecurityGroupIngress', requestParameters: { groupId: 'sg-123' } });
    const targets = 'targets' in out ? out.targets : [];
    expect(targets.filter((t) => t.resourceType === 'AWS.EC2.SecurityGroup')).toEqual([
      expect.objectContaining({ accountId: '111111111111', region: 'us-east-1', resourceType: 'AWS.EC2.SecurityGroup', action: 'rescan', ref: { groupId: 'sg-123' } }),
    ]);
    // VPCs carry their security groups; the event does not name the VPC.
    expect(targets.filter((t) => t.resourceType === 'AWS.EC2.VPC')).toEqual([expect.objectContaining({ action: 'rescan-region' })]);
  });

  it('maps a delete to a delete target', () => {
    const out = map({ eventName: 'DeleteSecurityGroup', requestParameters: { groupId: 'sg-9' } });
    expect('targets' in out && out.targets[0]!.action).toBe('delete');
  });

  it('drops failed calls, read-only calls and unknown events', () => {
    expect(map({ eventName: 'AuthorizeSecurityGroupIngress', errorCode: 'Client.UnauthorizedOperation' })).toEqual({ dropped: 'failedCall' });
    expect(map({ eventName: 'DescribeSecurityGroups', readOnly: true })).toEqual({ dropped: 'readOnly' });
    expect(map({ eventName: 'RebootInstances' })).toEqual({ dropped: 'unknownEvent' });
  });
});

describe('engine request batching', () => {
  const res = (id: string, pad: number) => ({ ResourceId: id, pad: 'x'.repeat(pad) }) as unknown as Resource;
  it('splits under the byte budget and keeps every resource once, in order', () => {
    const input = [res('a', 40), res('b', 40), res('c', 40), res('d', 200)];
    const batches = batchBySize(input, 140);
    expect(batches.map((b) => b.map((r) => r.ResourceId))).toEqual([['a', 'b'], ['c'], ['d']]);
  });
});
