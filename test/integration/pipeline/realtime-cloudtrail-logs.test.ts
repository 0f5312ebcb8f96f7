/**
 * The CloudTrail log-file source end to end on moto with the real engine: real-shaped gzip log
 * files land in trail buckets, S3 itself notifies the source's queue (directly, and through
 * EventBridge), rt.pollLogFiles() reads them and forwards only the write events of onboarded
 * accounts to the realtime queue, and rt.pollRealtime() rescans. Rejections are counted with
 * reasons; malformed notifications and oversize records go to the DLQ; an unreadable object is
 * retried. moto delivers a bucket's notifications only to queues of the bucket's own account, so
 * the trail buckets live in the security account here (deployed, a log archive account owns them).
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PutRuleCommand, PutTargetsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CLOUDTRAIL_DETAIL_TYPE } from '../../../src/events/envelope.ts';
import type { LogSourceStats } from '../../../src/events/cloudtrail-logs.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';

const REGION = 'us-east-1';
let rt: LocalRuntime;
let securityAccountId: string;
let member: Member;
let unlinked: Member;
let trailBucket: string;
let bridgedTrailBucket: string;
let strangerBucket: string;
let groupId: string;
let bucketName: string;
const warnings: string[] = [];
/** eventIDs whose rescan actually ran (not skipped as already processed). */
const ran: string[] = [];
let fileSeq = 0;

const sqs = () => rt.clients.get(SQSClient);
const s3 = () => rt.clients.get(S3Client);

function logKey(account: string, region = REGION, prefix = 'org-trail/') {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13);
  return `${prefix}AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/2026/12/05/${account}_CloudTrail_${region}_${stamp}Z_${String(++fileSeq).padStart(4, '0')}abcdEFGH.json.gz`;
}

/** A CloudTrail record as a trail writes it (userIdentity, source IP, user agent, request). */
function record(account: string, o: { eventSource: string; eventName: string; requestParameters?: Record<string, unknown> | null; eventID?: string } & Record<string, unknown>) {
  const { eventSource, eventName, requestParameters, eventID, ...rest } = o;
  return {
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:deploy-pipeline',
      arn: `arn:aws:sts::${account}:assumed-role/Admin/deploy-pipeline`,
      accountId: account,
      accessKeyId: 'ASIAEXAMPLEKEY',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: `arn:aws:iam::${account}:role/Admin`, accountId: account, userName: 'Admin' },
        attributes: { creationDate: '2026-12-05T12:58:01Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource,
    eventName,
    awsRegion: REGION,
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.22.0 md/awscrt#0.23.4 ua/2.0 os/linux#6.8 md/arch#x86_64 lang/python#3.12.6',
    requestParameters: requestParameters ?? null,
    responseElements: null,
    requestID: crypto.randomUUID(),
    eventID: eventID ?? crypto.randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${eventSource.split('.')[0]}.${REGION}.amazonaws.com` },
    ...rest,
  };
}

const authorize = (account: string, extra: Record<string, unknown> = {}) =>
  record(account, {
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    requestParameters: { groupId, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } },
    ...extra,
  });
const putPolicy = (account: string, extra: Record<string, unknown> = {}) =>
  record(account, { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: { bucketName, policy: { Version: '2012-10-17', Statement: [] }, Host: `${bucketName}.s3.amazonaws.com` }, ...extra });

async function putLogFile(bucket: string, key: string, records: unknown[], raw?: Buffer): Promise<void> {
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: raw ?? gzipSync(JSON.stringify({ Records: records })), ContentType: 'application/json', ContentEncoding: 'gzip' }));
}

async function queueDepth(url: string): Promise<{ visible: number; inFlight: number }> {
  const a = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
  return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
}

async function dlqReasons(): Promise<{ body: string; reason: string }[]> {
  const out: { body: string; reason: string }[] = [];
  for (;;) {
    const r = await sqs().send(new ReceiveMessageCommand({ QueueUrl: rt.infra.queues.cloudtrailLogsDlq, MaxNumberOfMessages: 10, MessageAttributeNames: ['reason'], VisibilityTimeout: 600 }));
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) out.push({ body: m.Body!, reason: m.MessageAttributes?.reason?.StringValue ?? '' });
  }
}

beforeAll(async () => {
  securityAccountId = randomAccountId();
  trailBucket = `org-trail-${securityAccountId}`;
  bridgedTrailBucket = `org-trail-bridged-${securityAccountId}`;
  strangerBucket = `someone-elses-trail-${securityAccountId}`;
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId), cloudtrailBuckets: [trailBucket, bridgedTrailBucket] });
  rt.deps.registry = FOUNDATION_TYPES;
  const log = rt.logSource.log;
  rt.logSource.log = { ...log, warn: (msg, extra) => (warnings.push(msg), log.warn(msg, extra)) };
  const once = rt.deps.once;
  rt.deps.once = (target, fn) => once(target, async () => (ran.push(target.eventID), fn()));

  member = await createMember(securityAccountId, { cloudtrailBucket: trailBucket });
  unlinked = await createMember(securityAccountId);
  await rt.deps.accounts.put(member.account);
  await rt.deps.accounts.put(unlinked.account);
  const ec2 = member.clients.get(EC2Client);
  groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bastion', Description: 'bastion' }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  bucketName = `data-${member.account.accountId}`;
  await member.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucketName }));
  await member.clients.get(S3Client).send(
    new PutBucketPolicyCommand({ Bucket: bucketName, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${bucketName}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }) }),
  );

  // The trail buckets' notifications: direct to the source's queue, or through EventBridge (default bus rule → queue).
  const queueArn = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: rt.infra.queues.cloudtrailLogs, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  for (const b of [trailBucket, strangerBucket, bridgedTrailBucket]) await s3().send(new CreateBucketCommand({ Bucket: b }));
  for (const b of [trailBucket, strangerBucket]) {
    await s3().send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration: { QueueConfigurations: [{ QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] }] } }));
  }
  await s3().send(new PutBucketNotificationConfigurationCommand({ Bucket: bridgedTrailBucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
  const events = rt.clients.get(EventBridgeClient);
  await events.send(new PutRuleCommand({ Name: 'trail-objects', EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [bridgedTrailBucket] } } }) }));
  await events.send(new PutTargetsCommand({ Rule: 'trail-objects', Targets: [{ Id: 'logs', Arn: queueArn }] }));
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

describe('CloudTrail log files in S3 as a real-time source', () => {
  let stats: LogSourceStats;
  const stranger = randomAccountId();

  it('reads only log files of onboarded accounts that name the bucket, and forwards only their write events', async () => {
    const account = member.account.accountId;
    await putLogFile(trailBucket, logKey(account), [
      authorize(account),
      putPolicy(account),
      record(account, { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSecurityGroups', readOnly: true, requestParameters: { securityGroupIdSet: {} } }),
      record(account, { eventSource: 's3.amazonaws.com', eventName: 'GetBucketPolicy', readOnly: true, requestParameters: { bucketName } }),
      authorize(account, { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' }),
      authorize(account, { recipientAccountId: stranger, eventID: 'forged-recipient' }),
      authorize(account, { awsRegion: 'eu-west-1', eventID: 'wrong-region' }),
      record(account, { eventSource: 'kms.amazonaws.com', eventName: 'CreateAlias', requestParameters: { aliasName: 'alias/x' } }),
    ]);
    await putLogFile(trailBucket, `org-trail/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail-Digest/${REGION}/2026/12/05/${account}_CloudTrail-Digest_${REGION}_org-trail_${REGION}_20261205T130000Z.json.gz`, []);
    await putLogFile(trailBucket, logKey(unlinked.account.accountId), [authorize(unlinked.account.accountId)]);
    await putLogFile(trailBucket, logKey(stranger), [authorize(stranger)]);
    await putLogFile(strangerBucket, logKey(account), [authorize(account)]);
    const out = await rt.pollLogFiles();
    stats = out.stats;
    expect(out.batchItemFailures).toEqual([]);
    // Saving each direct notification configuration sent S3's test event.
    expect(stats.testEvents).toBe(2);
    expect(stats.files).toEqual({
      read: 1,
      skipped: { digest: 1, insight: 0, notLogFile: 0 },
      rejected: { unknownBucket: 1, malformed: 0 },
      dropped: { notOnboarded: 1, notThisSource: 1 },
    });
    expect(stats.records).toEqual({
      read: 8,
      forwarded: 2,
      dropped: { readOnly: 2, failedCall: 1, unknownEvent: 1 },
      rejected: { accountMismatch: 1, regionMismatch: 1, malformed: 0, noTarget: 0 },
      oversize: 0,
    });
    expect(stats.deadLettered).toBe(0);
  });

  it('names each rejection on one line (bucket, key, eventID, reason)', () => {
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^cloudtrail log record rejected \\(accountMismatch\\): s3://${trailBucket}/org-trail/AWSLogs/\\S+ event forged-recipient: recipientAccountId ${stranger} is not the key's account ${member.account.accountId}$`)),
        expect.stringMatching(/^cloudtrail log record rejected \(regionMismatch\): s3:\/\/\S+ event wrong-region: awsRegion eu-west-1 is not the key's region us-east-1$/),
        'cloudtrail log source: object of a bucket the deployment does not name: not read',
        'cloudtrail log source: the account names another trail bucket (or none): not read',
      ]),
    );
    for (const w of warnings) expect(w).not.toContain('\n');
  });

  it('the realtime consumer rescans what was forwarded: the group and the bucket are stored', async () => {
    const out = await rt.pollRealtime();
    expect(out.stats.received).toBe(2);
    expect(out.stats.rescanned).toBe(2);
    expect(out.stats.rejected).toEqual({ accountMismatch: 0, untrustedSource: 0, noTarget: 0 });
    expect(ran).toHaveLength(2);
    const account = member.account.accountId;
    const groupArn = `arn:aws:ec2:${REGION}:${account}:security-group/${groupId}`;
    const group = await rt.deps.resources.get(groupArn);
    expect(group).toMatchObject({ deleted: false, accountId: account });
    expect(JSON.stringify(group!.attributes)).toContain('0.0.0.0/0');
    // Evaluated too: SSH open to the world opens an alert, naming the caller the log file recorded and how it came.
    const opened = (await rt.deps.compliance.alerts('OPEN')).filter((a) => a.resourceId === groupArn);
    expect(opened.length).toBeGreaterThan(0);
    const caller = { via: 'cloudtrail-s3', arn: `arn:aws:sts::${account}:assumed-role/Admin/deploy-pipeline`, sessionIssuer: `arn:aws:iam::${account}:role/Admin`, sourceIPAddress: '203.0.113.7' };
    for (const a of opened) expect(a.provenance?.actors?.[0]).toMatchObject(caller);
    const versions = await rt.history!.forResource(groupArn);
    expect(versions.find((v) => v.kind === 'version')?.provenance?.actors?.[0]).toMatchObject(caller);
    const bucket = await rt.deps.resources.get(`arn:aws:s3:::${bucketName}`);
    expect(bucket).toMatchObject({ deleted: false, accountId: account });
    expect(JSON.stringify(bucket!.attributes)).toContain('aws:SecureTransport');
  });

  it('S3 → EventBridge → SQS notifications are read the same way', async () => {
    // The bridged bucket is the deployment's, but the member names the other one: not this source.
    await putLogFile(bridgedTrailBucket, logKey(member.account.accountId), [authorize(member.account.accountId)]);
    const out = await rt.pollLogFiles();
    expect(out.stats.notifications).toBe(1);
    expect(out.stats.files.dropped.notThisSource).toBe(1);
    await rt.deps.accounts.put({ ...unlinked.account, cloudtrailBucket: bridgedTrailBucket });
    await putLogFile(bridgedTrailBucket, logKey(unlinked.account.accountId), [authorize(unlinked.account.accountId), putPolicy(unlinked.account.accountId)]);
    const bridged = await rt.pollLogFiles();
    expect(bridged.stats.files.read).toBe(1);
    expect(bridged.stats.records.forwarded).toBe(2);
    await rt.pollRealtime();
  });
});

describe('one event, two sources', () => {
  it('an eventID already processed through EventBridge is not rescanned again from the log file', async () => {
    const account = member.account.accountId;
    const seen = putPolicy(account, { eventID: `both-${crypto.randomUUID()}` });
    const fresh = putPolicy(account, { eventID: `log-only-${crypto.randomUUID()}` });
    const { eventVersion: _v, ...detail } = seen;
    await sqs().send(
      new SendMessageCommand({ QueueUrl: rt.infra.queues.realtime, MessageBody: JSON.stringify({ 'detail-type': CLOUDTRAIL_DETAIL_TYPE, source: 'aws.s3', account, region: REGION, time: seen.eventTime, detail }) }),
    );
    expect((await rt.pollRealtime()).stats.rescanned).toBe(1);
    expect(ran.filter((id) => id === seen.eventID)).toHaveLength(1);

    await putLogFile(trailBucket, logKey(account), [seen]);
    expect((await rt.pollLogFiles()).stats.records.forwarded).toBe(1);
    await rt.pollRealtime();
    expect(ran.filter((id) => id === seen.eventID)).toHaveLength(1);

    // The control: an event only the log file carries is rescanned.
    await putLogFile(trailBucket, logKey(account), [fresh]);
    await rt.pollLogFiles();
    await rt.pollRealtime();
    expect(ran.filter((id) => id === fresh.eventID)).toHaveLength(1);
  });
});

describe('what cannot be processed', () => {
  it('a malformed notification goes to the DLQ with a one-line reason', async () => {
    await sqs().send(new SendMessageCommand({ QueueUrl: rt.infra.queues.cloudtrailLogs, MessageBody: JSON.stringify({ Records: [{ eventSource: 'aws:sqs', body: 'x' }] }) }));
    const out = await rt.pollLogFiles();
    expect(out.stats.deadLettered).toBe(1);
    expect(out.batchItemFailures).toEqual([]);
    expect(await dlqReasons()).toEqual([{ body: expect.stringContaining('aws:sqs'), reason: 'not an S3 object-created notification (S3 notification: Records.0.eventSource: Invalid input: expected "aws:s3")' }]);
  });

  it('a record too large for SQS goes to the DLQ (where to find it, and why), the rest of the file is forwarded', async () => {
    const account = member.account.accountId;
    const huge = putPolicy(account, { eventID: 'huge-policy', requestParameters: { bucketName, policy: 'p'.repeat(300_000) } });
    await putLogFile(trailBucket, logKey(account), [huge, authorize(account)]);
    const out = await rt.pollLogFiles();
    expect(out.stats.records).toMatchObject({ read: 2, forwarded: 1, oversize: 1 });
    const [parked, ...more] = await dlqReasons();
    expect(more).toEqual([]);
    expect(JSON.parse(parked!.body)).toMatchObject({ bucket: trailBucket, account, eventID: 'huge-policy', eventName: 'PutBucketPolicy' });
    expect(parked!.reason).toMatch(/event huge-policy \(s3\.amazonaws\.com PutBucketPolicy\): its realtime message is \d+ bytes, over SQS's 262144$/);
    await rt.pollRealtime();
  });

  it('a file that is not gzip JSON is parked with the reason (retrying cannot repair it)', async () => {
    await putLogFile(trailBucket, logKey(member.account.accountId), [], Buffer.from('{"Records":[]}'));
    const out = await rt.pollLogFiles();
    expect(out.stats.files.rejected.malformed).toBe(1);
    expect((await dlqReasons()).map((m) => m.reason)).toEqual([expect.stringMatching(/^s3:\/\/org-trail-\d+\/org-trail\/AWSLogs\/\S+\.json\.gz: not a gzip file \(Z_DATA_ERROR\)$/)]);
  });

  it('an object that cannot be read fails its message, so SQS retries it', async () => {
    const key = logKey(member.account.accountId);
    const body = JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: trailBucket }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/') } } }] });
    const sent = await sqs().send(new SendMessageCommand({ QueueUrl: rt.infra.queues.cloudtrailLogs, MessageBody: body }));
    const out = await rt.pollLogFiles();
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: sent.MessageId }]);
    expect(out.stats.failed).toBe(1);
    expect(await queueDepth(rt.infra.queues.cloudtrailLogs)).toEqual({ visible: 0, inFlight: 1 });
    expect(await dlqReasons()).toEqual([]);
    await sqs().send(new PurgeQueueCommand({ QueueUrl: rt.infra.queues.cloudtrailLogs }));
  });
});
