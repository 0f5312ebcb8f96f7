/**
 * The documentation estate: one realistic, well-described resource of every registry type,
 * created through the real AWS APIs (SDK v3 → emulator) in one account. Scanning it gives the
 * example resources of docs/resources/ (`npm run docs:examples`). The fully configured resources
 * come from the seeders in ./estate/, which the types' integration tests use too; this file only
 * wires them together (one network, one log bucket, the roles they name) and adds what the
 * account-level types summarise (the password policy, a second region for the Meta types).
 */
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, PutConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { CreateSubnetCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { AttachGroupPolicyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { AssociateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import type { AwsClients } from '#aws/clients.ts';
import { seedAppsEstate } from './estate/coverage-apps.ts';
import { createAuditTrail, createDefaultRecorder, createLoggedBucket } from './estate/audit-logging.ts';
import { createApiFunction, createAppStack, createProdEcsCluster, createProdEksCluster } from './estate/compute.ts';
import {
  createBackups,
  createBillingSnapshots,
  createClassicLoadBalancers,
  createDatabaseClusters,
  createNetworkLoadBalancers,
  createScalingGroups,
  createSharedFileSystems,
  createShopRepositories,
  createVolumeSnapshots,
  createWebLaunchTemplates,
  requestEdgeCertificate,
} from './estate/coverage-infra.ts';
import { createOrdersDatabase, createOrdersTable, createWarehouse } from './estate/data-stores.ts';
import { createAdminPolicy, createAlice, createDeployRole, createDescribeEc2Policy, createDevelopersGroup } from './estate/iam.ts';
import { createDataVolume, createGoldenImage, createMainVpc, createWebInstance, createWebLoadBalancer, createWebNetworkAcl, createWebSecurityGroup } from './estate/network.ts';
import { createAppDataKey, createAppLogGroup, createDetector, createEdgeWebAcl, requestShopCertificate } from './estate/security-services.ts';
import { seedMessagingExamples } from './estate/coverage-messaging.ts';
import { seedStreamingEstate } from './estate/streaming.ts';

/** moto's default account: the one its plain test credentials act in. */
export const EXAMPLE_ACCOUNT = '123456789012';
export const EXAMPLE_REGION = 'us-east-1';
/** The example account's scanned regions: the Meta types summarise both. */
export const EXAMPLE_REGIONS = [EXAMPLE_REGION, 'eu-west-1'];

/**
 * Type → a token that singles out the example among what the scan lists (moto also lists its own
 * defaults: default VPC, security groups, network ACLs). A resource is the example when its
 * ResourceId contains the token; '' for the types with one resource per account or region.
 */
export type ExamplePicks = Record<string, string>;

const doc = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const trust = (Service: string) => doc([{ Effect: 'Allow', Principal: { Service }, Action: 'sts:AssumeRole' }]);

async function seedIam(c: AwsClients): Promise<void> {
  const iam = c.get(IAMClient);
  const boundaryArn = await createDescribeEc2Policy(c, 'boundary');
  const managedArn = await createDescribeEc2Policy(c, 'describe-ec2');
  await createAlice(c, { boundaryArn, managedArn });
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  await createDevelopersGroup(c, { managedArn, members: ['alice', 'bob'] });
  await createDeployRole(c, { boundaryArn });
  // The break-glass policy, attached to the group: what its example's Entities show.
  const admin = await createAdminPolicy(c);
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: admin.arn }));
  await iam.send(new UpdateAccountPasswordPolicyCommand({
    MinimumPasswordLength: 14,
    RequireSymbols: true,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
    AllowUsersToChangePassword: true,
    MaxPasswordAge: 90,
    PasswordReusePrevention: 24,
  }));
}

/** Creates the estate in account `acct` (`c` acts in it, in `region`); returns how to pick each type's example. */
export async function seedExampleEstate(c: AwsClients, acct = EXAMPLE_ACCOUNT, region = EXAMPLE_REGION): Promise<ExamplePicks> {
  const role = (name: string) => `arn:aws:iam::${acct}:role/${name}`;
  await seedIam(c);
  const iam = c.get(IAMClient);
  for (const [name, service] of [['eks-cluster', 'eks.amazonaws.com'], ['eks-node', 'ec2.amazonaws.com'], ['eks-pods', 'eks-fargate-pods.amazonaws.com'], ['trail-to-logs', 'cloudtrail.amazonaws.com']]) {
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust(service!) }));
  }

  // S3: the log bucket of the account's services (CloudTrail, Config, flow logs, Redshift), and
  // in eu-west-1 a fully configured data bucket with its own access-log bucket.
  const s3 = c.get(S3Client);
  const logs = `posture-example-logs-${acct}`;
  const data = `posture-example-data-${acct}`;
  await s3.send(new CreateBucketCommand({ Bucket: logs }));
  await s3.send(new PutBucketPolicyCommand({
    Bucket: logs,
    Policy: doc(['cloudtrail.amazonaws.com', 'config.amazonaws.com', 'delivery.logs.amazonaws.com'].map((Service) => ({
      Effect: 'Allow',
      Principal: { Service },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${logs}/*`,
    }))),
  }));
  await createLoggedBucket(c, { bucket: data, logBucket: `posture-example-access-logs-${acct}`, region: EXAMPLE_REGIONS[1] as BucketLocationConstraint });

  // KMS, CloudWatch Logs, CloudTrail, Config, GuardDuty.
  const keyId = await createAppDataKey(c, acct);
  const keyArn = `arn:aws:kms:${region}:${acct}:key/${keyId}`;
  await createAppLogGroup(c, keyArn);
  await c.get(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: 'trail' }));
  const trailArn = await createAuditTrail(c, {
    bucket: logs,
    kmsKeyId: keyArn,
    logGroupArn: `arn:aws:logs:${region}:${acct}:log-group:trail:*`,
    cloudWatchRoleArn: role('trail-to-logs'),
  });
  await createDefaultRecorder(c, { roleArn: role('aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig'), bucket: logs });
  await createDetector(c);
  // The second region: a regional-only recorder (global types are recorded once) and a detector.
  await c.get(ConfigServiceClient, EXAMPLE_REGIONS[1]).send(new PutConfigurationRecorderCommand({
    ConfigurationRecorder: {
      name: 'default',
      roleARN: role('aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig'),
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
    },
  }));
  await c.get(GuardDutyClient, EXAMPLE_REGIONS[1]).send(new CreateDetectorCommand({ Enable: true, FindingPublishingFrequency: 'SIX_HOURS' }));

  // EC2: the routed VPC `main` with two subnets, the web network ACL and security group, an
  // instance with an encrypted data volume and its snapshots, an AMI made from it; an HTTPS load
  // balancer with a certificate, protected by the web ACL.
  const ec2 = c.get(EC2Client);
  const vpc = await createMainVpc(c, { flowLogBucket: logs });
  const subnets: [string, string] = [
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.vpcId, CidrBlock: '10.50.1.0/24', AvailabilityZone: `${region}a` }))).Subnet!.SubnetId!,
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.vpcId, CidrBlock: '10.50.2.0/24', AvailabilityZone: `${region}b` }))).Subnet!.SubnetId!,
  ];
  const { aclId } = await createWebNetworkAcl(c, { vpcId: vpc.vpcId, subnetId: subnets[0] });
  const { webId: sgId } = await createWebSecurityGroup(c, vpc.vpcId, { appGroupId: vpc.sgId });
  const { instanceId } = await createWebInstance(c, { subnetId: subnets[0], securityGroupId: sgId });
  const { volumeId } = await createDataVolume(c, { instanceId, availabilityZone: `${region}a`, shareWith: '111122223333' });
  const imageId = await createGoldenImage(c, instanceId);
  const certArn = await requestShopCertificate(c);
  const albArn = await createWebLoadBalancer(c, { subnets, securityGroupId: sgId, certificateArn: certArn });
  const aclArn = (await createEdgeWebAcl(c, `arn:aws:logs:${region}:${acct}:log-group:aws-waf-logs-edge`)).arn;
  const waf = c.get(WAFV2Client);
  await waf.send(new AssociateWebACLCommand({ WebACLArn: aclArn, ResourceArn: albArn }));

  // CloudFormation, DynamoDB, ECS, EKS, Lambda, RDS, Redshift: as in their integration tests.
  await createAppStack(c);
  await createOrdersTable(c);
  await createProdEcsCluster(c);
  await createProdEksCluster(c, acct, { subnetIds: subnets, keyArn });
  await createApiFunction(c);
  await createOrdersDatabase(c);
  await createWarehouse(c, logs);
  // Messaging, secrets, orchestration, identity and account-level security services (issue #17).
  const messaging = await seedMessagingExamples(c, acct, region, { kmsKeyArn: keyArn, bucket: logs, logGroupArn: `arn:aws:logs:${region}:${acct}:log-group:/posture/app:*`, shareWith: '111122223333' });

  // The coverage slice's infrastructure: registries, file systems, snapshots, database clusters,
  // launch templates and scaling groups, classic and network load balancers, backups.
  const repos = await createShopRepositories(c);
  const fileSystems = await createSharedFileSystems(c, { subnetId: subnets[0], securityGroupId: sgId });
  const ebsSnapshots = await createVolumeSnapshots(c, `${region}a`);
  const dbSnapshots = await createBillingSnapshots(c);
  await createDatabaseClusters(c);
  const templates = await createWebLaunchTemplates(c, subnets[0]);
  const edgeCert = await requestEdgeCertificate(c);
  const classic = await createClassicLoadBalancers(c, { zones: [`${region}a`, `${region}b`], certificateArn: edgeCert, logBucket: logs });
  await createScalingGroups(c, { subnets, launchTemplateId: templates.good, loadBalancerNames: [classic.bad] });
  const nlbs = await createNetworkLoadBalancers(c, { vpcId: vpc.vpcId, subnets, certificateArn: edgeCert });
  const backups = await createBackups(c, keyArn);

  // Application and analytics services (issue #17).
  const apps = await seedAppsEstate(c, { acct, region, subnetIds: subnets, securityGroupId: sgId, keyArn, logGroupArn: `arn:aws:logs:${region}:${acct}:log-group:/posture/app`, vpcId: vpc.vpcId, certificateArn: certArn, logBucket: logs });
  // Amazon MSK clusters (issue #17).
  const streaming = await seedStreamingEstate(c, { subnetIds: subnets, securityGroupId: sgId, keyArn, logGroup: '/posture/app' });

  return {
    ...messaging,
    ...apps,
    ...streaming,
    'AWS.S3.Bucket': data,
    'AWS.EC2.SecurityGroup': sgId,
    'AWS.IAM.User': 'user/engineering/alice',
    'AWS.PasswordPolicy': '',
    'AWS.IAM.Group': 'group/teams/developers',
    'AWS.IAM.Policy': 'policy/security/admin',
    'AWS.IAM.Role': 'role/ci/deploy',
    'AWS.IAM.RootUser': '',
    'AWS.CloudTrail': trailArn,
    'AWS.CloudTrail.Meta': '',
    'AWS.Config.Recorder': '',
    'AWS.Config.Recorder.Meta': '',
    'AWS.GuardDuty.Detector': '',
    'AWS.GuardDuty.Detector.Meta': '',
    'AWS.KMS.Key': keyId,
    'AWS.ACM.Certificate': certArn,
    'AWS.CloudFormation.Stack': 'stack/app/',
    'AWS.CloudWatch.LogGroup': '/posture/app',
    'AWS.DynamoDB.Table': 'table/orders',
    'AWS.ECS.Cluster': 'cluster/prod',
    'AWS.EKS.Cluster': 'cluster/prod',
    'AWS.Lambda.Function': 'function:api',
    'AWS.RDS.Instance': 'db:orders',
    'AWS.Redshift.Cluster': 'cluster:warehouse',
    'AWS.EC2.AMI': imageId,
    'AWS.EC2.Instance': instanceId,
    'AWS.EC2.NetworkACL': aclId,
    'AWS.EC2.Volume': volumeId,
    'AWS.EC2.VPC': vpc.vpcId,
    'AWS.ELBV2.ApplicationLoadBalancer': albArn,
    'AWS.WAFv2.WebACL': aclArn,
    'AWS.ECR.Repository': `repository/${repos.good}`,
    'AWS.EFS.FileSystem': fileSystems.good,
    'AWS.EC2.Snapshot': ebsSnapshots.good,
    'AWS.RDS.Snapshot': `snapshot:${dbSnapshots.good}`,
    'AWS.RDS.ClusterSnapshot': 'cluster-snapshot:ledger-weekly',
    'AWS.RDS.Cluster': 'cluster:ledger',
    'AWS.DocDB.Cluster': 'cluster:catalog',
    'AWS.Neptune.Cluster': 'cluster:graph',
    'AWS.AutoScaling.Group': 'autoScalingGroupName/web',
    'AWS.EC2.LaunchTemplate': templates.good,
    'AWS.ELB.LoadBalancer': `loadbalancer/${classic.good}`,
    'AWS.ELBV2.NetworkLoadBalancer': nlbs.good,
    'AWS.Backup.Vault': `backup-vault:${backups.vault}`,
    'AWS.Backup.Plan': backups.plan,
  };
}
