/**
 * Trust on the real-time path (DESIGN §5), end to end on moto with the real engine: anyone the
 * central bus admits can send a CloudTrail-shaped event, so forged ones — another account named
 * in the detail, a custom source, a delete of a live resource, a canary for someone else's
 * account — must change nothing, and be counted as rejected with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, DeleteBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CANARY_SOURCE, CLOUDTRAIL_DETAIL_TYPE } from '../../../src/events/envelope.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import type { StoredResource } from '../../../src/store/resource-store.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';

let rt: LocalRuntime;
let victim: Member;
let attacker: Member;
let bucketArn: string;
let bucketName: string;
const logged: { msg: string; extra?: Record<string, unknown> }[] = [];

const envelope = (o: { account: string; source?: string; eventName: string; detail?: Record<string, unknown>; requestParameters?: Record<string, unknown> }) =>
  JSON.stringify({
    'detail-type': CLOUDTRAIL_DETAIL_TYPE,
    source: o.source ?? 'aws.s3',
    account: o.account,
    region: 'us-east-1',
    detail: {
      eventID: crypto.randomUUID(),
      eventName: o.eventName,
      eventTime: new Date().toISOString(),
      eventSource: 's3.amazonaws.com',
      awsRegion: 'us-east-1',
      recipientAccountId: victim.account.accountId,
      requestParameters: o.requestParameters ?? { bucketName },
      ...o.detail,
    },
  });

async function deliver(...bodies: string[]) {
  const sqs = rt.clients.get(SQSClient);
  for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: rt.infra.queues.realtime, MessageBody: body }));
  return rt.pollRealtime();
}

async function snapshot(): Promise<{ resource: StoredResource | undefined; findings: string; open: number }> {
  const resource = await rt.deps.resources.get(bucketArn);
  const findings = JSON.stringify([...(await rt.deps.compliance.forResource(bucketArn)).values()].map((i) => [i.policyId, i.status, i.version]).sort());
  const open = (await rt.deps.compliance.alerts('OPEN')).filter((a) => a.resourceId === bucketArn).length;
  return { resource, findings, open };
}

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  rt.deps.registry = FOUNDATION_TYPES;
  const log = rt.deps.log;
  rt.deps.log = { ...log, warn: (msg, extra) => (logged.push({ msg, extra }), log.warn(msg, extra)) };
  victim = await createMember(securityAccountId, { excludeRegions: [] });
  attacker = await createMember(securityAccountId);
  await rt.deps.accounts.put(victim.account);
  await rt.deps.accounts.put(attacker.account);
  bucketName = `victim-public-${victim.account.accountId}`;
  bucketArn = `arn:aws:s3:::${bucketName}`;
  const s3 = victim.clients.get(S3Client);
  await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  await s3.send(new PutBucketAclCommand({ Bucket: bucketName, ACL: 'public-read' }));
  // A genuine event puts the bucket and its open alerts in the store.
  const out = await deliver(envelope({ account: victim.account.accountId, eventName: 'PutBucketAcl' }));
  expect(out.stats.rescanned).toBe(1);
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

describe('forged real-time events change nothing and are counted as rejected', () => {
  it('the baseline: the public bucket is stored with an open alert', async () => {
    const s = await snapshot();
    expect(s.resource?.deleted).toBe(false);
    expect(s.open).toBeGreaterThan(0);
  });

  it('a detail naming another account than the EventBridge sender (a forged recipient) is rejected', async () => {
    const before = await snapshot();
    const out = await deliver(envelope({ account: attacker.account.accountId, eventName: 'DeleteBucket' }));
    expect(out.stats.rejected).toEqual({ accountMismatch: 1, untrustedSource: 0, noTarget: 0 });
    expect(out.stats.rescanned).toBe(0);
    expect(await snapshot()).toEqual(before);
    expect(logged.at(-1)).toEqual({
      msg: 'realtime event rejected',
      extra: expect.objectContaining({ reason: 'accountMismatch', detail: expect.stringContaining(`detail.recipientAccountId ${victim.account.accountId} is not the account EventBridge names`) }),
    });
  });

  it('a custom source (PutEvents can send it) is rejected, even from the right account', async () => {
    const before = await snapshot();
    const out = await deliver(envelope({ account: victim.account.accountId, source: 'my.forged.s3', eventName: 'DeleteBucket' }));
    expect(out.stats.rejected.untrustedSource).toBe(1);
    expect(out.stats.rescanned).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('the central rule itself does not queue custom sources', async () => {
    const detail = JSON.stringify((JSON.parse(envelope({ account: victim.account.accountId, eventName: 'DeleteBucket' })) as { detail: unknown }).detail);
    const send = (source: string) =>
      rt.clients.get(EventBridgeClient).send(new PutEventsCommand({ Entries: [{ EventBusName: rt.infra.busName, Source: source, DetailType: CLOUDTRAIL_DETAIL_TYPE, Detail: detail }] }));
    await send('my.forged.s3');
    await send('aws-lookalike.s3');
    expect((await rt.pollRealtime()).stats.received).toBe(0);
  });

  it('a genuine delete event of a bucket that still exists is only a hint: described, not tombstoned, alerts stay open', async () => {
    const before = await snapshot();
    const out = await deliver(envelope({ account: victim.account.accountId, eventName: 'DeleteBucket' }));
    expect(out.stats.rescanned).toBe(1);
    expect(out.stats.deleteNotConfirmed).toBe(1);
    const after = await snapshot();
    expect(after.resource?.deleted).toBe(false);
    expect(after.findings).toBe(before.findings);
    expect(after.open).toBe(before.open);
  });

  it('a delete event tombstones once AWS says the resource is gone', async () => {
    // Another bucket, emptied of its ACL risk, really deleted.
    const gone = `victim-gone-${victim.account.accountId}`;
    const s3 = victim.clients.get(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: gone }));
    await deliver(envelope({ account: victim.account.accountId, eventName: 'CreateBucket', requestParameters: { bucketName: gone } }));
    expect((await rt.deps.resources.get(`arn:aws:s3:::${gone}`))?.deleted).toBe(false);
    await s3.send(new DeleteBucketCommand({ Bucket: gone }));
    const out = await deliver(envelope({ account: victim.account.accountId, eventName: 'DeleteBucket', requestParameters: { bucketName: gone } }));
    expect(out.stats.deleteNotConfirmed).toBe(0);
    expect((await rt.deps.resources.get(`arn:aws:s3:::${gone}`))?.deleted).toBe(true);
  });

  it('an event that names no resource (DeleteBucket without a bucket name) is rejected with a reason', async () => {
    const before = await snapshot();
    const out = await deliver(envelope({ account: victim.account.accountId, eventName: 'DeleteBucket', requestParameters: {} }));
    expect(out.stats.rejected.noTarget).toBe(1);
    expect(await snapshot()).toEqual(before);
    expect(logged.at(-1)?.extra).toMatchObject({ reason: 'noTarget', detail: expect.stringMatching(/DeleteBucket\): names no resource to rescan \(AWS\.S3\.Bucket\)/) });
  });

  it('a canary for another account is rejected; a canary is only ever recorded for its sender', async () => {
    const canary = (account: string, recipient: string) =>
      JSON.stringify({
        'detail-type': CLOUDTRAIL_DETAIL_TYPE,
        source: CANARY_SOURCE,
        account,
        region: 'us-east-1',
        detail: {
          eventID: `posture-canary-${crypto.randomUUID()}`,
          eventName: 'CreateBucket',
          eventSource: 's3.amazonaws.com',
          eventTime: new Date().toISOString(),
          awsRegion: 'us-east-1',
          recipientAccountId: recipient,
          posture: { canary: true },
        },
      });
    const forged = await deliver(canary(attacker.account.accountId, victim.account.accountId));
    expect(forged.stats.rejected.accountMismatch).toBe(1);
    expect(forged.stats.canaries).toBe(0);
    expect((await rt.deps.accounts.canaryArrivals(victim.account.accountId)).size).toBe(0);
    // A stranger's own canary (not onboarded) is dropped; the attacker's own is recorded for the attacker only.
    const stranger = randomAccountId();
    expect((await deliver(canary(stranger, stranger))).stats.dropped.notOnboarded).toBe(1);
    expect((await deliver(canary(attacker.account.accountId, attacker.account.accountId))).stats.canaries).toBe(1);
    expect((await rt.deps.accounts.canaryArrivals(attacker.account.accountId)).size).toBe(1);
    expect((await rt.deps.accounts.canaryArrivals(victim.account.accountId)).size).toBe(0);
  });
});
