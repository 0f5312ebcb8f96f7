/**
 * The documentation estate: one realistic, well-described resource of every registry type,
 * created through the real AWS APIs (SDK v3 → emulator) in one account. Scanning it gives the
 * example resources of docs/resources/ (`npm run docs:examples`). Resources the types'
 * integration tests also create come from the shared seeders in ./estate/; the rest share one
 * network (VPC, subnets, security group) and log bucket, which the tests build per type.
 */
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, PutConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import {
  AttachInternetGatewayCommand,
  AttachVolumeCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateImageCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import { AssociateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import type { AwsClients } from '#aws/clients.ts';
import { createAuditTrail, createDefaultRecorder, createLoggedBucket } from './estate/audit-logging.ts';
import { createApiFunction, createAppStack, createProdEcsCluster, createProdEksCluster } from './estate/compute.ts';
import { createOrdersDatabase, createOrdersTable, createWarehouse } from './estate/data-stores.ts';
import { createAppDataKey, createAppLogGroup, createDetector, createEdgeWebAcl } from './estate/security-services.ts';

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
const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

async function seedIam(c: AwsClients): Promise<void> {
  const iam = c.get(IAMClient);
  const describeEc2 = (await iam.send(new CreatePolicyCommand({
    PolicyName: 'describe-ec2',
    Path: '/security/',
    Description: 'read-only EC2 inventory',
    PolicyDocument: doc([{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }]),
    Tags: tags({ owner: 'secops' }),
  }))).Policy!.Arn!;
  await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/engineering/', Tags: tags({ team: 'platform' }) }));
  await iam.send(new CreateGroupCommand({ GroupName: 'developers', Path: '/teams/' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'alice' }));
  await iam.send(new PutGroupPolicyCommand({
    GroupName: 'developers',
    PolicyName: 'read-reports',
    PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }]),
  }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: describeEc2 }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: describeEc2 }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'correct-horse-battery-1!' }));
  const serial = (await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }))).VirtualMFADevice!.SerialNumber!;
  await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  await iam.send(new CreateRoleCommand({
    RoleName: 'deploy',
    Path: '/ci/',
    Description: 'CI deploys',
    MaxSessionDuration: 7200,
    AssumeRolePolicyDocument: doc([{
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': 'ci-deploy' } },
    }]),
    Tags: tags({ team: 'platform' }),
  }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'deploy',
    PolicyName: 'artifacts',
    PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::artifacts/*' }]),
  }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'deploy', PolicyArn: describeEc2 }));
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

/** Creates the estate in `c`'s account and region; returns how to pick each type's example. */
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

  // EC2: a VPC with a public subnet, routing, a flow log, a network ACL and a security group;
  // an instance in it with an encrypted data volume and a snapshot; an AMI made from it.
  const ec2 = c.get(EC2Client);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: tags({ Name: 'main' }) }] }))).Vpc!.VpcId!;
  const subnets = [
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.50.1.0/24', AvailabilityZone: `${region}a` }))).Subnet!.SubnetId!,
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.50.2.0/24', AvailabilityZone: `${region}b` }))).Subnet!.SubnetId!,
  ];
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
  const rtb = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  await ec2.send(new CreateFlowLogsCommand({ ResourceIds: [vpcId], ResourceType: 'VPC', TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: `arn:aws:s3:::${logs}` }));
  const aclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId, TagSpecifications: [{ ResourceType: 'network-acl', Tags: tags({ tier: 'web' }) }] }))).NetworkAcl!.NetworkAclId!;
  await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } }));
  await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 200, Protocol: '-1', RuleAction: 'deny', Egress: true, Ipv6CidrBlock: '::/0' }));
  const sgId = (await ec2.send(new CreateSecurityGroupCommand({
    GroupName: 'web',
    Description: 'web tier',
    VpcId: vpcId,
    TagSpecifications: [{ ResourceType: 'security-group', Tags: tags({ team: 'edge' }) }],
  }))).GroupId!;
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({
    GroupId: sgId,
    IpPermissions: [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https from anywhere' }] },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'ssh from the corporate network' }] },
    ],
  }));
  await ec2.send(new CreateKeyPairCommand({ KeyName: 'ops' }));
  const profileArn = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-profile' }))).InstanceProfile!.Arn!;
  const instanceId = (await ec2.send(new RunInstancesCommand({
    ImageId: 'ami-12345678',
    MinCount: 1,
    MaxCount: 1,
    InstanceType: 't3.micro',
    SubnetId: subnets[0],
    SecurityGroupIds: [sgId],
    KeyName: 'ops',
    IamInstanceProfile: { Arn: profileArn },
    MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
    Monitoring: { Enabled: true },
    TagSpecifications: [{ ResourceType: 'instance', Tags: tags({ Name: 'web-1', env: 'prod' }) }],
  }))).Instances![0]!.InstanceId!;
  const volumeId = (await ec2.send(new CreateVolumeCommand({
    AvailabilityZone: `${region}a`,
    Size: 50,
    VolumeType: 'gp3',
    Encrypted: true,
    TagSpecifications: [{ ResourceType: 'volume', Tags: tags({ data: 'orders' }) }],
  }))).VolumeId!;
  await ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf' }));
  const snapshotId = (await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'nightly' }))).SnapshotId!;
  await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: snapshotId, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: ['111122223333'] }));
  const imageId = (await ec2.send(new CreateImageCommand({
    InstanceId: instanceId,
    Name: 'golden-2026',
    Description: 'hardened base image',
    TagSpecifications: [{ ResourceType: 'image', Tags: tags({ team: 'platform' }) }],
  }))).ImageId!;

  // An HTTPS application load balancer with a certificate and a web ACL.
  const certArn = (await c.get(ACMClient).send(new RequestCertificateCommand({
    // One name only: moto keeps the names in a set, so their order would change between runs.
    DomainName: 'shop.example.com',
    ValidationMethod: 'DNS',
    Tags: tags({ team: 'web' }),
  }))).CertificateArn!;
  const elb = c.get(ElasticLoadBalancingV2Client);
  const albArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: subnets, SecurityGroups: [sgId], Scheme: 'internet-facing', Tags: tags({ env: 'prod' }) })))
    .LoadBalancers![0]!.LoadBalancerArn!;
  await elb.send(new CreateListenerCommand({
    LoadBalancerArn: albArn,
    Protocol: 'HTTPS',
    Port: 443,
    SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    Certificates: [{ CertificateArn: certArn }],
    DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'ok' } }],
  }));
  const aclArn = (await createEdgeWebAcl(c, `arn:aws:logs:${region}:${acct}:log-group:aws-waf-logs-edge`)).arn;
  const waf = c.get(WAFV2Client);
  await waf.send(new AssociateWebACLCommand({ WebACLArn: aclArn, ResourceArn: albArn }));

  // CloudFormation, DynamoDB, ECS, EKS, Lambda, RDS, Redshift: as in their integration tests.
  await createAppStack(c);
  await createOrdersTable(c);
  await createProdEcsCluster(c);
  await createProdEksCluster(c, acct, { subnetIds: [subnets[0]!, subnets[1]!], keyArn });
  await createApiFunction(c);
  await createOrdersDatabase(c);
  await createWarehouse(c, logs);

  return {
    'AWS.S3.Bucket': data,
    'AWS.EC2.SecurityGroup': sgId,
    'AWS.IAM.User': 'alice',
    'AWS.PasswordPolicy': '',
    'AWS.IAM.Group': 'developers',
    'AWS.IAM.Policy': 'describe-ec2',
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
    'AWS.EC2.VPC': vpcId,
    'AWS.ELBV2.ApplicationLoadBalancer': albArn,
    'AWS.WAFv2.WebACL': aclArn,
  };
}
