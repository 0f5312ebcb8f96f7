/**
 * The real-time path end to end beyond security groups, on moto with the real Python engine and
 * the whole registry: a change is made through the member account's API, its CloudTrail event
 * (in AWS's shape, from test/fixtures/cloudtrail) goes onto the realtime queue, rt.pollRealtime()
 * processes it, and the new compliance status (or the tombstone and resolved alert) is observed.
 * Covers S3 (single-resource rescans), IAM users (rescan, then delete → tombstone + resolve) and
 * the password policy (an account-wide rescan), and events of one service that change another's
 * resources (a WAFv2 association → the ALB; Application Auto Scaling → the DynamoDB table).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DetachUserPolicyCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeleteBucketEncryptionCommand, PutBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssociateWebACLCommand, CreateWebACLCommand, DisassociateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import type { AlertPayload } from '../../../src/alerts/alert-payload.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { envelope, type Sample } from '../../fixtures/cloudtrail/samples.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';

let rt: LocalRuntime;
let member: Member;
const alerts: AlertPayload[] = [];

/** A sample's envelope, moved into the member account and us-east-1. */
/** The last event time handed out: each event is strictly later than the one before, as the calls were made. */
let lastEventMs = 0;

function event(s: Omit<Sample, 'expect'>): string {
  const e = envelope({ ...s, expect: [] }, crypto.randomUUID()) as { account: string; region: string; time: string; detail: Record<string, unknown> };
  const accountId = member.account.accountId;
  // Two events built in the same millisecond would tie, and SQS (moto's too) does not keep their
  // order, so "newest event wins" would pick either trigger.
  lastEventMs = Math.max(Date.now(), lastEventMs + 1000);
  const now = new Date(lastEventMs).toISOString();
  return JSON.stringify({
    ...e,
    account: accountId,
    region: 'us-east-1',
    time: now,
    detail: { ...e.detail, awsRegion: 'us-east-1', recipientAccountId: accountId, eventTime: now, userIdentity: { type: 'AssumedRole', accountId, arn: `arn:aws:sts::${accountId}:assumed-role/ops/ops` } },
  });
}

async function deliver(...bodies: string[]) {
  const sqs = rt.clients.get(SQSClient);
  for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: rt.infra.queues.realtime, MessageBody: body }));
  const out = await rt.pollRealtime();
  expect(out.batchItemFailures).toEqual([]);
  expect(out.stats.deadLettered).toBe(0);
  return out;
}

const statusOf = async (resourceId: string, policyId: string) => (await rt.deps.compliance.forResource(resourceId)).get(policyId);

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId), onAlert: (a) => alerts.push(a) });
  member = await createMember(securityAccountId);
  await rt.deps.accounts.put(member.account);
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

describe('S3: bucket encryption', () => {
  const encryption = 'AWS.S3.Bucket.Encryption';
  let bucket: string;
  let arn: string;

  it('a new encrypted bucket is scanned from its CreateBucket and PutBucketEncryption events: PASS', async () => {
    bucket = `rt-enc-${member.account.accountId}`;
    arn = `arn:aws:s3:::${bucket}`;
    const s3 = member.clients.get(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } }),
    );
    const params = { bucketName: bucket, Host: `${bucket}.s3.amazonaws.com` };
    const out = await deliver(
      event({ eventSource: 's3.amazonaws.com', eventName: 'CreateBucket', requestParameters: params }),
      event({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketEncryption', requestParameters: { ...params, encryption: [''] } }),
    );
    expect(out.stats).toMatchObject({ received: 2, coalesced: 1, rescanned: 1 });
    expect((await rt.deps.resources.get(arn))?.deleted).not.toBe(true);
    expect(await statusOf(arn, encryption)).toMatchObject({ status: 'PASS', trigger: 'realtime:PutBucketEncryption' });
  });

  it('DeleteBucketEncryption turns it FAIL and opens an alert triggered by the event', async () => {
    await member.clients.get(S3Client).send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    await deliver(event({ eventSource: 's3.amazonaws.com', eventName: 'DeleteBucketEncryption', requestParameters: { bucketName: bucket, encryption: [''] } }));
    expect(await statusOf(arn, encryption)).toMatchObject({ status: 'FAIL', trigger: 'realtime:DeleteBucketEncryption' });
    expect(alerts.find((a) => a.resourceId === arn && a.policyId === encryption && a.kind === 'opened')).toMatchObject({
      trigger: 'realtime:DeleteBucketEncryption',
      accountId: member.account.accountId,
    });
  });
});

describe('IAM: a user with a directly attached policy', () => {
  const throughGroups = 'AWS.IAM.User.PermissionsThroughGroupsOnly';
  let userArn: string;
  let policyArn: string;

  it('CreateUser and AttachUserPolicy rescan the user: FAIL, alert opened', async () => {
    const iam = member.clients.get(IAMClient);
    userArn = (await iam.send(new CreateUserCommand({ UserName: 'rt-alice' }))).User!.Arn!;
    policyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'rt-direct', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) }))).Policy!.Arn!;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'rt-alice', PolicyArn: policyArn }));
    const out = await deliver(
      event({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: { userName: 'rt-alice' }, responseElements: { user: { userName: 'rt-alice', arn: userArn } } }),
      event({ eventSource: 'iam.amazonaws.com', eventName: 'AttachUserPolicy', requestParameters: { userName: 'rt-alice', policyArn } }),
    );
    // The user once (the second event names it without its ARN, so it reconciles the user scope), and the policy.
    expect(out.stats.rescanned).toBeGreaterThanOrEqual(2);
    expect(await statusOf(userArn, throughGroups)).toMatchObject({ status: 'FAIL' });
    expect(alerts.some((a) => a.resourceId === userArn && a.policyId === throughGroups && a.kind === 'opened')).toBe(true);
    expect((await rt.deps.resources.get(policyArn))?.deleted).not.toBe(true);
  });

  it('DeleteUser tombstones the user and resolves its alert', async () => {
    const iam = member.clients.get(IAMClient);
    await iam.send(new DetachUserPolicyCommand({ UserName: 'rt-alice', PolicyArn: policyArn }));
    await iam.send(new DeleteUserCommand({ UserName: 'rt-alice' }));
    await deliver(event({ eventSource: 'iam.amazonaws.com', eventName: 'DeleteUser', requestParameters: { userName: 'rt-alice' } }));
    expect((await rt.deps.resources.get(userArn))?.deleted).toBe(true);
    expect(alerts.some((a) => a.resourceId === userArn && a.policyId === throughGroups && a.kind === 'resolved')).toBe(true);
    expect((await rt.deps.compliance.forResource(userArn)).size).toBe(0);
  });
});

describe('account-wide: the password policy', () => {
  it('UpdateAccountPasswordPolicy rescans the account password policy and writes its findings', async () => {
    await member.clients.get(IAMClient).send(
      new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, PasswordReusePrevention: 24, MaxPasswordAge: 90 }),
    );
    const out = await deliver(event({ eventSource: 'iam.amazonaws.com', eventName: 'UpdateAccountPasswordPolicy', requestParameters: { minimumPasswordLength: 14, passwordReusePrevention: 24 } }));
    expect(out.stats.rescanned).toBe(1);
    const id = `${member.account.accountId}::AWS.PasswordPolicy`;
    const stored = await rt.deps.resources.get(id);
    expect(stored?.deleted).not.toBe(true);
    const items = [...(await rt.deps.compliance.forResource(id)).values()];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((c) => c.trigger === 'realtime:UpdateAccountPasswordPolicy')).toBe(true);
    // A strong policy (length 14, reuse 24) passes the CIS checks on it.
    expect(items.filter((c) => c.status === 'FAIL').map((c) => c.policyId)).toEqual([]);
  });
});

describe('cross-service events', () => {
  it('AssociateWebACL / DisassociateWebACL (WAFv2) rescan the ALB they name: its WebAcl follows', async () => {
    const ec2 = member.clients.get(EC2Client, 'us-east-1');
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.91.0.0/16' }))).Vpc!.VpcId!;
    const subnets = [
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.91.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!,
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.91.2.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!,
    ];
    const elb = member.clients.get(ElasticLoadBalancingV2Client, 'us-east-1');
    const albArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'rt-web', Subnets: subnets }))).LoadBalancers![0]!.LoadBalancerArn!;
    await deliver(event({ eventSource: 'elasticloadbalancing.amazonaws.com', eventName: 'CreateLoadBalancer', requestParameters: { name: 'rt-web', subnets }, responseElements: { loadBalancers: [{ loadBalancerArn: albArn, type: 'application' }] } }));
    expect((await rt.deps.resources.get(albArn))?.attributes.WebAcl).toBeNull();

    const waf = member.clients.get(WAFV2Client, 'us-east-1');
    const visibility = { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'rt-edge' };
    const aclArn = (await waf.send(new CreateWebACLCommand({ Name: 'rt-edge', Scope: 'REGIONAL', DefaultAction: { Block: {} }, VisibilityConfig: visibility }))).Summary!.ARN!;
    await waf.send(new AssociateWebACLCommand({ WebACLArn: aclArn, ResourceArn: albArn }));
    const associated = await deliver(event({ eventSource: 'wafv2.amazonaws.com', eventName: 'AssociateWebACL', requestParameters: { webACLArn: aclArn, resourceArn: albArn } }));
    expect(associated.stats.rescanned).toBe(2); // the web ACL and the ALB
    const stored = await rt.deps.resources.get(albArn);
    expect(stored?.attributes.WebAcl).toMatchObject({ ARN: aclArn, Name: 'rt-edge' });

    await waf.send(new DisassociateWebACLCommand({ ResourceArn: albArn }));
    await deliver(event({ eventSource: 'wafv2.amazonaws.com', eventName: 'DisassociateWebACL', requestParameters: { resourceArn: albArn } }));
    expect((await rt.deps.resources.get(albArn))?.attributes.WebAcl).toBeNull();
  });

  it('RegisterScalableTarget (Application Auto Scaling) rescans the DynamoDB table it names', async () => {
    const ddb = member.clients.get(DynamoDBClient, 'us-east-1');
    const tableArn = (
      await ddb.send(
        new CreateTableCommand({
          TableName: 'rt-orders',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }),
      )
    ).TableDescription!.TableArn!;
    // Past the creation settle delay: the event says it already waited.
    const created = JSON.parse(event({ eventSource: 'dynamodb.amazonaws.com', eventName: 'CreateTable', requestParameters: { tableName: 'rt-orders' } })) as unknown;
    await deliver(JSON.stringify({ settled: true, event: created }));
    expect((await rt.deps.resources.get(tableArn))?.attributes.AutoScalingDescriptions).toBeNull();

    await member.clients
      .get(ApplicationAutoScalingClient, 'us-east-1')
      .send(new RegisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/rt-orders', ScalableDimension: 'dynamodb:table:ReadCapacityUnits', MinCapacity: 5, MaxCapacity: 50 }));
    const out = await deliver(
      event({
        eventSource: 'application-autoscaling.amazonaws.com',
        eventName: 'RegisterScalableTarget',
        requestParameters: { serviceNamespace: 'dynamodb', resourceId: 'table/rt-orders', scalableDimension: 'dynamodb:table:ReadCapacityUnits', minCapacity: 5, maxCapacity: 50 },
      }),
    );
    expect(out.stats.rescanned).toBe(1);
    const stored = await rt.deps.resources.get(tableArn);
    expect(stored?.attributes.AutoScalingDescriptions).toMatchObject([{ ResourceId: 'table/rt-orders', MinCapacity: 5, MaxCapacity: 50 }]);
    expect(stored?.deleted).toBe(false);
  });
});
