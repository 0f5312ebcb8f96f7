/**
 * The documentation estate: one realistic, well-described resource of every registry type,
 * created through the real AWS APIs (SDK v3 → emulator) in one account and region. Scanning it
 * gives the example resources of docs/resources/ (`npm run docs:examples`). The configurations
 * follow the "fully configured" resources of the types' moto integration tests.
 */
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { AddTagsCommand, CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { CreateTableCommand, DynamoDBClient, UpdateContinuousBackupsCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
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
import { CreateClusterCommand as CreateEcsClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateClusterCommand as CreateEksClusterCommand, CreateNodegroupCommand, EKSClient } from '@aws-sdk/client-eks';
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
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateDBInstanceCommand, CreateDBSnapshotCommand, ModifyDBSnapshotAttributeCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateClusterCommand as CreateRedshiftClusterCommand, EnableLoggingCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssociateWebACLCommand, CreateWebACLCommand, PutLoggingConfigurationCommand, WAFV2Client, type VisibilityConfig } from '@aws-sdk/client-wafv2';
import type { AwsClients } from '#aws/clients.ts';

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
const visibility = (MetricName: string): VisibilityConfig => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName });

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
  for (const [name, service] of [['fn-exec', 'lambda.amazonaws.com'], ['eks-cluster', 'eks.amazonaws.com'], ['eks-node', 'ec2.amazonaws.com'], ['trail-to-logs', 'cloudtrail.amazonaws.com']]) {
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust(service!) }));
  }

  // S3: an access-log bucket and a fully configured data bucket that logs to it.
  const s3 = c.get(S3Client);
  const logs = `posture-example-logs-${acct}`;
  const data = `posture-example-data-${acct}`;
  await s3.send(new CreateBucketCommand({ Bucket: logs }));
  await s3.send(new CreateBucketCommand({ Bucket: data }));
  await s3.send(new PutBucketPolicyCommand({
    Bucket: logs,
    Policy: doc(['logging.s3.amazonaws.com', 'cloudtrail.amazonaws.com', 'config.amazonaws.com'].map((Service) => ({
      Effect: 'Allow',
      Principal: { Service },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${logs}/*`,
    }))),
  }));
  await s3.send(new PutBucketEncryptionCommand({
    Bucket: data,
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/data' }, BucketKeyEnabled: true }] },
  }));
  await s3.send(new PutBucketPolicyCommand({
    Bucket: data,
    Policy: doc([{ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${data}`, `arn:aws:s3:::${data}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]),
  }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: data, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketLoggingCommand({ Bucket: data, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logs, TargetPrefix: 'data/' } } }));
  await s3.send(new PutPublicAccessBlockCommand({
    Bucket: data,
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({
    Bucket: data,
    LifecycleConfiguration: { Rules: [{ ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 90 } }] },
  }));
  await s3.send(new PutBucketTaggingCommand({ Bucket: data, Tagging: { TagSet: tags({ team: 'data', env: 'prod' }) } }));

  // KMS, CloudWatch Logs, CloudTrail.
  const kms = c.get(KMSClient);
  const keyId = (await kms.send(new CreateKeyCommand({
    Description: 'app data',
    Policy: JSON.stringify({ Version: '2012-10-17', Id: 'key-policy', Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: 'kms:*', Resource: '*' }] }),
    Tags: [{ TagKey: 'team', TagValue: 'data' }],
  }))).KeyMetadata!.KeyId!;
  await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
  const keyArn = `arn:aws:kms:${region}:${acct}:key/${keyId}`;
  const cwl = c.get(CloudWatchLogsClient);
  await cwl.send(new CreateLogGroupCommand({ logGroupName: '/posture/app', kmsKeyId: keyArn, tags: { team: 'app' } }));
  await cwl.send(new PutRetentionPolicyCommand({ logGroupName: '/posture/app', retentionInDays: 365 }));
  await cwl.send(new CreateLogGroupCommand({ logGroupName: 'trail' }));
  await c.get(SNSClient).send(new CreateTopicCommand({ Name: 'trail-delivery' }));
  const trail = c.get(CloudTrailClient);
  const trailArn = (await trail.send(new CreateTrailCommand({
    Name: 'audit',
    S3BucketName: logs,
    S3KeyPrefix: 'cloudtrail',
    SnsTopicName: 'trail-delivery',
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    EnableLogFileValidation: true,
    KmsKeyId: keyArn,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:${region}:${acct}:log-group:trail:*`,
    CloudWatchLogsRoleArn: role('trail-to-logs'),
  }))).TrailARN!;
  await trail.send(new StartLoggingCommand({ Name: 'audit' }));
  await trail.send(new PutEventSelectorsCommand({
    TrailName: 'audit',
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:aws:s3:::${data}/`] }] }],
  }));
  await trail.send(new AddTagsCommand({ ResourceId: trailArn, TagsList: tags({ owner: 'secops' }) }));

  // Config and GuardDuty.
  const config = c.get(ConfigServiceClient);
  await config.send(new PutConfigurationRecorderCommand({
    ConfigurationRecorder: { name: 'default', roleARN: role('aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig'), recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
  }));
  await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: logs } }));
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
  await c.get(GuardDutyClient).send(new CreateDetectorCommand({
    Enable: true,
    FindingPublishingFrequency: 'FIFTEEN_MINUTES',
    DataSources: { S3Logs: { Enable: true } },
    Tags: { team: 'secops' },
  }));
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
  const waf = c.get(WAFV2Client);
  const aclArn = (await waf.send(new CreateWebACLCommand({
    Name: 'edge',
    Scope: 'REGIONAL',
    Description: 'public edge',
    DefaultAction: { Allow: {} },
    Rules: [
      { Name: 'common', Priority: 0, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } }, OverrideAction: { None: {} }, VisibilityConfig: visibility('common') },
      { Name: 'rate', Priority: 1, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } }, Action: { Block: {} }, VisibilityConfig: visibility('rate') },
    ],
    VisibilityConfig: visibility('edge'),
    Tags: tags({ team: 'edge' }),
  }))).Summary!.ARN!;
  await waf.send(new PutLoggingConfigurationCommand({ LoggingConfiguration: { ResourceArn: aclArn, LogDestinationConfigs: [`arn:aws:logs:${region}:${acct}:log-group:aws-waf-logs-edge`] } }));
  await waf.send(new AssociateWebACLCommand({ WebACLArn: aclArn, ResourceArn: albArn }));

  // CloudFormation, DynamoDB, ECS, EKS, Lambda, RDS, Redshift.
  await c.get(CloudFormationClient).send(new CreateStackCommand({
    StackName: 'app',
    TemplateBody: JSON.stringify({
      Description: 'app stack',
      Parameters: { Env: { Type: 'String' } },
      Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
      Outputs: { TopicArn: { Value: { Ref: 'Topic' }, Description: 'the topic' } },
    }),
    Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }],
    Tags: tags({ team: 'platform' }),
    EnableTerminationProtection: true,
    TimeoutInMinutes: 15,
  }));
  const ddb = c.get(DynamoDBClient);
  await ddb.send(new CreateTableCommand({
    TableName: 'orders',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'customer', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    GlobalSecondaryIndexes: [{
      IndexName: 'by-customer',
      KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
    }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    SSESpecification: { Enabled: true, SSEType: 'KMS' },
    DeletionProtectionEnabled: true,
    Tags: tags({ team: 'sales' }),
  }));
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  const aas = c.get(ApplicationAutoScalingClient);
  await aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/orders', ScalableDimension: 'dynamodb:table:ReadCapacityUnits', MinCapacity: 5, MaxCapacity: 50 }));
  await aas.send(new PutScalingPolicyCommand({
    PolicyName: 'orders-read',
    ServiceNamespace: 'dynamodb',
    ResourceId: 'table/orders',
    ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' } },
  }));
  const ecs = c.get(ECSClient);
  await ecs.send(new CreateEcsClusterCommand({
    clusterName: 'prod',
    tags: [{ key: 'team', value: 'ops' }],
    settings: [{ name: 'containerInsights', value: 'enabled' }],
    configuration: { executeCommandConfiguration: { logging: 'OVERRIDE', logConfiguration: { cloudWatchLogGroupName: '/ecs/exec', cloudWatchEncryptionEnabled: true } } },
  }));
  // bridge mode: moto's awsvpc task path fails (its ENIs lack privateDnsName).
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', networkMode: 'bridge', containerDefinitions: [{ name: 'web', image: 'nginx', essential: true, memory: 256 }] }));
  await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'web', taskDefinition: 'web', desiredCount: 1, tags: [{ key: 'svc', value: 'web' }] }));
  const eks = c.get(EKSClient);
  await eks.send(new CreateEksClusterCommand({
    name: 'prod',
    version: '1.30',
    roleArn: role('eks-cluster'),
    resourcesVpcConfig: { subnetIds: subnets, securityGroupIds: [sgId], endpointPublicAccess: false, endpointPrivateAccess: true },
    logging: { clusterLogging: [{ types: ['api', 'audit'], enabled: true }] },
    encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: keyArn } }],
    tags: { team: 'platform' },
  }));
  await eks.send(new CreateNodegroupCommand({
    clusterName: 'prod',
    nodegroupName: 'web',
    nodeRole: role('eks-node'),
    subnets: [subnets[0]!],
    scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
    labels: { 'app.kubernetes.io/role': 'web' },
    tags: { pool: 'web' },
  }));
  const lambda = c.get(LambdaClient);
  await lambda.send(new CreateFunctionCommand({
    FunctionName: 'api',
    Runtime: 'nodejs20.x',
    Role: role('fn-exec'),
    Handler: 'index.handler',
    Code: { ZipFile: Buffer.from('code') },
    Description: 'public API',
    MemorySize: 256,
    Timeout: 10,
    Environment: { Variables: { STAGE: 'prod' } },
    TracingConfig: { Mode: 'Active' },
    Tags: { team: 'api' },
  }));
  await lambda.send(new AddPermissionCommand({ FunctionName: 'api', StatementId: 'apigateway', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  const rds = c.get(RDSClient);
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'orders',
    DBInstanceClass: 'db.t3.micro',
    Engine: 'postgres',
    MasterUsername: 'dbadmin',
    // Emulator-only placeholder, not a credential.
    MasterUserPassword: 'not-a-real-password',
    AllocatedStorage: 20,
    StorageEncrypted: true,
    PubliclyAccessible: false,
    BackupRetentionPeriod: 7,
    EnableIAMDatabaseAuthentication: true,
    DeletionProtection: true,
    Tags: tags({ team: 'data' }),
  }));
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'orders-dr' }));
  await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'orders-dr', AttributeName: 'restore', ValuesToAdd: ['111122223333'] }));
  const redshift = c.get(RedshiftClient);
  await redshift.send(new CreateRedshiftClusterCommand({
    ClusterIdentifier: 'warehouse',
    NodeType: 'ra3.xlplus',
    ClusterType: 'multi-node',
    NumberOfNodes: 2,
    MasterUsername: 'admin',
    // Emulator-only placeholder, not a credential.
    MasterUserPassword: 'NotARealPassw0rd',
    Encrypted: true,
    PubliclyAccessible: false,
    EnhancedVpcRouting: true,
    Tags: tags({ team: 'bi' }),
  }));
  await redshift.send(new EnableLoggingCommand({ ClusterIdentifier: 'warehouse', BucketName: logs, S3KeyPrefix: 'redshift/' }));

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
