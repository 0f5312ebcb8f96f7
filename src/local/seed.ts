/**
 * Seeds the demo organization on the emulator: two member accounts with the audit role and the
 * member EventBridge rules (forwarding CloudTrail events to the central bus), and a realistic mix
 * of compliant and misconfigured S3 buckets, security groups, IAM users and password policies.
 * Everything is created through the real AWS APIs (SDK v3 → emulator).
 */
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateTagsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketAclCommand, PutBucketEncryptionCommand, PutBucketTaggingCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { auditRoleExtraPolicy, auditRoleTrustPolicy, SECURITY_AUDIT_POLICY } from '#onboarding/audit-role.ts';
import { MEMBER_TARGET_ID, memberEventRules } from '#onboarding/member-template.ts';
import { CLOUDTRAIL_DETAIL_TYPE } from '#events/envelope.ts';
import { createClients, type AwsClients } from '#aws/clients.ts';
import { DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import { EMULATOR_CLIENT_OPTIONS } from './emulator-retry.ts';
import { agedKeysTag } from './estate/iam.ts';

export interface DemoMember {
  accountId: string;
  name: string;
  externalId: string;
}

export const DEMO_MEMBERS: readonly DemoMember[] = [
  { accountId: '111111111111', name: 'production', externalId: 'posture-demo-7f3a9c' },
  { accountId: '222222222222', name: 'staging', externalId: 'posture-demo-2b8e41' },
];

/** The demo scans two regions: the rest are excluded on onboarding, as a user would for unused regions. */
export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'];

/** Clients acting as an administrator inside a member account (the Organizations bootstrap role). */
export async function adminClients(base: AwsClients, endpoint: string, accountId: string, region = 'us-east-1'): Promise<AwsClients> {
  const r = await base.get(STSClient).send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'posture-demo-seed' }),
  );
  const c = r.Credentials!;
  return createClients({ region, endpoint, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken }, ...EMULATOR_CLIENT_OPTIONS });
}

async function createAuditRole(iam: IAMClient, securityAccountId: string, m: DemoMember): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: DEFAULT_AUDIT_ROLE_NAME,
      AssumeRolePolicyDocument: auditRoleTrustPolicy(securityAccountId, m.externalId),
      Description: 'Posture read-only audit role',
    }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName: DEFAULT_AUDIT_ROLE_NAME, PolicyArn: `arn:aws:iam::aws:${SECURITY_AUDIT_POLICY}` }));
  const extra = auditRoleExtraPolicy();
  if (extra) await iam.send(new PutRolePolicyCommand({ RoleName: DEFAULT_AUDIT_ROLE_NAME, PolicyName: 'PostureExtraReadActions', PolicyDocument: extra }));
}

async function bucket(s3: S3Client, name: string, opts: { encrypted: boolean; publicRead?: boolean; blockPublic?: boolean; tags?: Record<string, string> }) {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  if (opts.encrypted) {
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: name,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true }] },
      }),
    );
  }
  if (opts.publicRead) await s3.send(new PutBucketAclCommand({ Bucket: name, ACL: 'public-read' }));
  if (opts.blockPublic) {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    );
  }
  if (opts.tags) {
    await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: Object.entries(opts.tags).map(([Key, Value]) => ({ Key, Value })) } }));
  }
}

async function securityGroup(ec2: EC2Client, name: string, rules: { port: number; cidr: string }[]): Promise<string> {
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs?.[0]?.VpcId;
  const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} (posture demo)`, VpcId: vpc }));
  await ec2.send(new CreateTagsCommand({ Resources: [GroupId!], Tags: [{ Key: 'Name', Value: name }] }));
  if (rules.length) {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: rules.map((r) => ({ IpProtocol: 'tcp', FromPort: r.port, ToPort: r.port, IpRanges: [{ CidrIp: r.cidr }] })),
      }),
    );
  }
  return GroupId!;
}

const ADMIN_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

export interface SeedResult {
  /** The compliant security group the demo later opens to the world (production, us-east-1). */
  bastionGroupId: string;
}

/** The member template's EventBridge rules in one account and region, forwarding to the central bus. */
async function installMemberRules(events: EventBridgeClient, centralBusArn: string): Promise<void> {
  for (const rule of memberEventRules()) {
    await events.send(new PutRuleCommand({ Name: rule.name, EventPattern: JSON.stringify(rule.pattern), State: 'ENABLED' }));
    await events.send(new PutTargetsCommand({ Rule: rule.name, Targets: [{ Id: MEMBER_TARGET_ID, Arn: centralBusArn }] }));
  }
}

export async function seedDemo(base: AwsClients, endpoint: string, securityAccountId: string, centralBusArn: string): Promise<SeedResult> {
  const [prod, staging] = DEMO_MEMBERS as [DemoMember, DemoMember];
  for (const m of DEMO_MEMBERS) {
    for (const region of DEMO_REGIONS) await installMemberRules((await adminClients(base, endpoint, m.accountId, region)).get(EventBridgeClient), centralBusArn);
  }

  // production: mostly well configured, with a few classic mistakes.
  const p = await adminClients(base, endpoint, prod.accountId);
  const pEu = await adminClients(base, endpoint, prod.accountId, 'eu-west-1');
  await createAuditRole(p.get(IAMClient), securityAccountId, prod);
  const ps3 = p.get(S3Client);
  await bucket(ps3, `acme-prod-logs-${prod.accountId}`, { encrypted: true, blockPublic: true, tags: { team: 'platform' } });
  await bucket(ps3, `acme-prod-website-${prod.accountId}`, { encrypted: false, publicRead: true, tags: { team: 'web' } });
  await securityGroup(p.get(EC2Client), 'web-https', [{ port: 443, cidr: '0.0.0.0/0' }]);
  const bastionGroupId = await securityGroup(p.get(EC2Client), 'bastion-ssh', [{ port: 22, cidr: '10.0.0.0/8' }]);
  await securityGroup(pEu.get(EC2Client), 'legacy-ssh', [{ port: 22, cidr: '0.0.0.0/0' }]);
  const piam = p.get(IAMClient);
  await piam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'security' }] }));
  // A CI key never rotated: the emulator dates it 200 days back (an emulator-only tag, see agedKeysTag).
  await piam.send(new CreateUserCommand({ UserName: 'ci-runner', Tags: [agedKeysTag(200)] }));
  await piam.send(new CreateAccessKeyCommand({ UserName: 'ci-runner' }));
  await piam.send(new CreateUserCommand({ UserName: 'deploy-bot' }));
  await piam.send(new PutUserPolicyCommand({ UserName: 'deploy-bot', PolicyName: 'deploy-everything', PolicyDocument: ADMIN_POLICY }));
  await piam.send(
    new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8, MaxPasswordAge: 180, RequireSymbols: false, RequireNumbers: true }),
  );

  // staging: the usual drift of a non-production account.
  const s = await adminClients(base, endpoint, staging.accountId);
  await createAuditRole(s.get(IAMClient), securityAccountId, staging);
  await bucket(s.get(S3Client), `acme-staging-data-${staging.accountId}`, { encrypted: false });
  await securityGroup(s.get(EC2Client), 'postgres-internal', [{ port: 5432, cidr: '10.0.0.0/16' }]);
  const siam = s.get(IAMClient);
  await siam.send(new CreateUserCommand({ UserName: 'contractor' }));
  await siam.send(new AttachUserPolicyCommand({ UserName: 'contractor', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  // no password policy at all in staging

  return { bastionGroupId };
}

/**
 * Emits a CloudTrail event as AWS would: on the member account's default bus, where the member
 * rules forward it to the central bus with the member as its sender. (The emulator stands in for
 * CloudTrail here: only AWS services can emit `aws.*` sources.)
 */
export async function emitCloudTrailEvent(base: AwsClients, endpoint: string, detail: Record<string, unknown>): Promise<void> {
  const member = await adminClients(base, endpoint, String(detail.recipientAccountId), String(detail.awsRegion));
  const source = `aws.${String(detail.eventSource).replace(/\.amazonaws\.com$/, '')}`;
  await member.get(EventBridgeClient).send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: CLOUDTRAIL_DETAIL_TYPE, Detail: JSON.stringify(detail) }] }));
}

/** Opens the bastion group to SSH from anywhere and returns the CloudTrail event AWS would emit. */
export async function openBastionToTheWorld(base: AwsClients, endpoint: string, groupId: string): Promise<Record<string, unknown>> {
  const prod = DEMO_MEMBERS[0]!;
  const p = await adminClients(base, endpoint, prod.accountId);
  const permission = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'temporary debugging' }] };
  await p.get(EC2Client).send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }));
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:dev@example.com', arn: `arn:aws:sts::${prod.accountId}:assumed-role/Developer/dev@example.com`, accountId: prod.accountId },
    eventTime: now,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'AuthorizeSecurityGroupIngress',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: {
      groupId,
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0', description: 'temporary debugging' }] } }] },
    },
    responseElements: { requestId: crypto.randomUUID(), _return: true },
    requestID: crypto.randomUUID(),
    eventID: crypto.randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: prod.accountId,
    eventCategory: 'Management',
  };
}
