/**
 * bench:peers' estate: one moto account, two regions, ≥ 1,000 resources of the types Posture,
 * Prowler and Cloud Custodian all read (S3 buckets, security groups, VPCs, IAM users, roles and
 * policies, KMS keys, CloudTrail trails), with a known set of misconfigurations per check. The
 * expected sets are what every tool must flag: the comparison in peers.ts is against them.
 */
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { AuthorizeSecurityGroupIngressCommand, CreateFlowLogsCommand, CreateSecurityGroupCommand, CreateVpcCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { createClients } from '../src/aws/clients.ts';
import { mapLimit } from '../src/core/errors.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../src/local/emulator-retry.ts';

export const ESTATE_REGIONS = ['us-east-1', 'eu-west-1'];
/** The checks compared across the three tools, each with the IDs it must flag. */
export const CHECKS = ['sg_ssh_open', 'kms_rotation_off', 'vpc_no_flow_logs', 'trail_no_log_validation', 'iam_admin_policy_attached', 's3_no_public_access_block'] as const;
export type Check = (typeof CHECKS)[number];
export type Flagged = Record<Check, Set<string>>;

export const emptyFlagged = (): Flagged => Object.fromEntries(CHECKS.map((c) => [c, new Set<string>()])) as Flagged;

/** Each tool against the seeded sets: what it missed and what it flagged beyond them. */
export function compareFlagged(expected: Flagged, flagged: Record<string, Flagged>) {
  const disagreements: { tool: string; check: string; missing: string[]; extra: string[] }[] = [];
  for (const [tool, f] of Object.entries(flagged)) {
    for (const check of CHECKS) {
      const missing = [...expected[check]].filter((id) => !f[check].has(id)).sort();
      const extra = [...f[check]].filter((id) => !expected[check].has(id)).sort();
      if (missing.length || extra.length) disagreements.push({ tool, check, missing, extra });
    }
  }
  return { all_agree: disagreements.length === 0, checks: CHECKS, disagreements };
}

const SIZE = {
  sgsPerRegion: Number(process.env.PEERS_SGS_PER_REGION ?? 250),
  vpcsPerRegion: Number(process.env.PEERS_VPCS_PER_REGION ?? 40),
  keysPerRegion: Number(process.env.PEERS_KEYS_PER_REGION ?? 30),
  trailsPerRegion: 3,
  buckets: Number(process.env.PEERS_BUCKETS ?? 150),
  users: Number(process.env.PEERS_USERS ?? 150),
  roles: Number(process.env.PEERS_ROLES ?? 100),
  policies: Number(process.env.PEERS_POLICIES ?? 60),
};
const CONCURRENCY = 8;
const ADMIN = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const READ_ONLY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export interface Estate {
  resources: number;
  expected: Flagged;
}

/** Seeds the estate on `endpoint` (moto's default account) and returns what each check must flag. */
export async function seedEstate(endpoint: string): Promise<Estate> {
  const clients = createClients({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, ...EMULATOR_CLIENT_OPTIONS });
  const expected = emptyFlagged();
  let resources = 0;

  const s3 = clients.get(S3Client);
  const logBucket = 'peers-trail-logs';
  await s3.send(new CreateBucketCommand({ Bucket: logBucket }));
  await s3.send(new PutPublicAccessBlockCommand({ Bucket: logBucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  await mapLimit(range(SIZE.buckets), CONCURRENCY, async (i) => {
    const Bucket = `peers-bucket-${String(i).padStart(4, '0')}`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    if (i % 10 === 0) expected.s3_no_public_access_block.add(Bucket);
    else await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  });
  resources += SIZE.buckets + 1;

  const iam = clients.get(IAMClient);
  await mapLimit(range(SIZE.users), CONCURRENCY, (i) => iam.send(new CreateUserCommand({ UserName: `peers-user-${i}` })));
  await mapLimit(range(SIZE.roles), CONCURRENCY, (i) => iam.send(new CreateRoleCommand({ RoleName: `peers-role-${i}`, AssumeRolePolicyDocument: TRUST })));
  await mapLimit(range(SIZE.policies), CONCURRENCY, async (i) => {
    // Every 10th allows * on * and is attached (flagged); every 10th + 5 allows * on * unattached (not flagged by the attached-policy check).
    const admin = i % 10 === 0 || i % 10 === 5;
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `peers-policy-${i}`, PolicyDocument: admin ? ADMIN : READ_ONLY }));
    if (i % 10 === 5) return;
    await iam.send(new AttachRolePolicyCommand({ RoleName: `peers-role-${i % SIZE.roles}`, PolicyArn: Policy!.Arn! }));
    if (admin) expected.iam_admin_policy_attached.add(Policy!.Arn!);
  });
  resources += SIZE.users + SIZE.roles + SIZE.policies;

  for (const [r, region] of ESTATE_REGIONS.entries()) {
    const ec2 = clients.get(EC2Client, region);
    const kms = clients.get(KMSClient, region);
    const trails = clients.get(CloudTrailClient, region);
    // The default VPC has no flow log either: a real misconfiguration every tool must report.
    const defaults = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    for (const v of defaults.Vpcs ?? []) expected.vpc_no_flow_logs.add(v.VpcId!);
    resources += (defaults.Vpcs?.length ?? 0) * 2; // the VPC and its default security group
    await mapLimit(range(SIZE.vpcsPerRegion), CONCURRENCY, async (i) => {
      const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${100 + r}.${i}.0/24` }));
      if (i % 4 === 0) expected.vpc_no_flow_logs.add(Vpc!.VpcId!);
      else await ec2.send(new CreateFlowLogsCommand({ ResourceIds: [Vpc!.VpcId!], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: `arn:aws:s3:::${logBucket}` }));
    });
    resources += SIZE.vpcsPerRegion * 2;
    await mapLimit(range(SIZE.sgsPerRegion), CONCURRENCY, async (i) => {
      const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `peers-sg-${i}`, Description: 'bench:peers' }));
      const ssh = i % 10 === 0;
      // Open groups: SSH from the world; the others: HTTPS from a private range.
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [ssh ? { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] } : { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
      if (ssh) expected.sg_ssh_open.add(GroupId!);
    });
    resources += SIZE.sgsPerRegion;
    await mapLimit(range(SIZE.keysPerRegion), CONCURRENCY, async (i) => {
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: `peers-key-${i}` }));
      if (i % 5 === 0) expected.kms_rotation_off.add(KeyMetadata!.KeyId!);
      else await kms.send(new EnableKeyRotationCommand({ KeyId: KeyMetadata!.KeyId! }));
    });
    resources += SIZE.keysPerRegion;
    for (const i of range(SIZE.trailsPerRegion)) {
      const Name = `peers-trail-${region}-${i}`;
      const validation = i !== 0;
      await trails.send(new CreateTrailCommand({ Name, S3BucketName: logBucket, EnableLogFileValidation: validation, IsMultiRegionTrail: false }));
      await trails.send(new StartLoggingCommand({ Name }));
      if (!validation) expected.trail_no_log_validation.add(Name);
    }
    resources += SIZE.trailsPerRegion;
  }
  return { resources, expected };
}
