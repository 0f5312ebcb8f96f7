/**
 * Infrastructure of the coverage slice (issue #17), shared by the registry types' integration
 * tests and the documentation estate: container registries, file systems, snapshots, database
 * clusters, scaling groups and launch templates, classic and network load balancers, backups.
 * Each seeder makes a well-configured resource and, where a built-in policy applies, a
 * misconfigured twin, so that both verdicts show.
 */
import { CreateRepositoryCommand, ECRClient, PutLifecyclePolicyCommand, PutRegistryScanningConfigurationCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateAccessPointCommand, CreateFileSystemCommand, CreateMountTargetCommand, EFSClient, PutFileSystemPolicyCommand, PutLifecycleConfigurationCommand } from '@aws-sdk/client-efs';
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, CreateSnapshotCommand, CreateVolumeCommand, EC2Client, ModifySnapshotAttributeCommand } from '@aws-sdk/client-ec2';
import {
  type DBCluster,
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  CreateLoadBalancerCommand as CreateClassicLoadBalancerCommand,
  CreateLoadBalancerPolicyCommand,
  ElasticLoadBalancingClient,
  ModifyLoadBalancerAttributesCommand,
  SetLoadBalancerPoliciesOfListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand as CreateV2LoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand as ModifyV2LoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { BackupClient, CreateBackupPlanCommand, CreateBackupVaultCommand, TagResourceCommand as TagBackupResourceCommand } from '@aws-sdk/client-backup';
import type { AwsClients } from '#aws/clients.ts';

const doc = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** ECR: `shop/api` — immutable tags, scan on push, KMS, a lifecycle policy and a pull policy
 *  for account 111122223333; `scratch` — mutable tags, no scanning, no lifecycle policy. The
 *  registry scans `shop/*` continuously (enhanced). */
export async function createShopRepositories(clients: AwsClients): Promise<{ good: string; bad: string }> {
  const ecr = clients.get(ECRClient);
  await ecr.send(
    new CreateRepositoryCommand({
      repositoryName: 'shop/api',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS' },
      tags: [{ Key: 'team', Value: 'shop' }],
    }),
  );
  await ecr.send(
    new PutLifecyclePolicyCommand({
      repositoryName: 'shop/api',
      lifecyclePolicyText: JSON.stringify({
        rules: [{ rulePriority: 1, description: 'keep 30 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 }, action: { type: 'expire' } }],
      }),
    }),
  );
  await ecr.send(
    new SetRepositoryPolicyCommand({
      repositoryName: 'shop/api',
      policyText: doc([{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }]),
    }),
  );
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'scratch', imageTagMutability: 'MUTABLE' }));
  await ecr.send(
    new PutRegistryScanningConfigurationCommand({
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'shop/*', filterType: 'WILDCARD' }] }],
    }),
  );
  return { good: 'shop/api', bad: 'scratch' };
}

/** EFS: `shared` — encrypted, automatic backups, a TLS-only policy, IA lifecycle, a mount
 *  target in `subnetId` and an access point with a POSIX user and root directory; `scratch` —
 *  unencrypted, no backups. */
export async function createSharedFileSystems(clients: AwsClients, opts: { subnetId: string; securityGroupId: string }): Promise<{ good: string; bad: string }> {
  const efs = clients.get(EFSClient);
  const good = await efs.send(
    new CreateFileSystemCommand({
      CreationToken: 'shared',
      Encrypted: true,
      PerformanceMode: 'generalPurpose',
      ThroughputMode: 'elastic',
      Backup: true,
      Tags: [{ Key: 'Name', Value: 'shared' }, { Key: 'team', Value: 'platform' }],
    }),
  );
  const id = good.FileSystemId!;
  await efs.send(
    new PutFileSystemPolicyCommand({
      FileSystemId: id,
      Policy: doc([{ Sid: 'tls-only', Effect: 'Deny', Principal: { AWS: '*' }, Action: '*', Resource: good.FileSystemArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]),
    }),
  );
  await efs.send(new PutLifecycleConfigurationCommand({ FileSystemId: id, LifecyclePolicies: [{ TransitionToIA: 'AFTER_30_DAYS' }] }));
  await efs.send(new CreateMountTargetCommand({ FileSystemId: id, SubnetId: opts.subnetId, SecurityGroups: [opts.securityGroupId] }));
  await efs.send(
    new CreateAccessPointCommand({
      FileSystemId: id,
      PosixUser: { Uid: 1000, Gid: 1000 },
      RootDirectory: { Path: '/app', CreationInfo: { OwnerUid: 1000, OwnerGid: 1000, Permissions: '750' } },
      Tags: [{ Key: 'Name', Value: 'app' }],
    }),
  );
  const bad = await efs.send(new CreateFileSystemCommand({ CreationToken: 'scratch', Encrypted: false, Tags: [{ Key: 'Name', Value: 'scratch' }] }));
  return { good: id, bad: bad.FileSystemId! };
}

/** EBS: an encrypted 8 GiB volume in `availabilityZone` with snapshot `nightly` (private, tagged)
 *  and snapshot `exported` restorable by anyone. */
export async function createVolumeSnapshots(clients: AwsClients, availabilityZone: string): Promise<{ good: string; bad: string }> {
  const ec2 = clients.get(EC2Client);
  const volumeId = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: availabilityZone, Size: 8, VolumeType: 'gp3', Encrypted: true }))).VolumeId!;
  const good = await ec2.send(
    new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'nightly', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'nightly' }] }] }),
  );
  const bad = await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId, Description: 'exported' }));
  await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: bad.SnapshotId, Attribute: 'createVolumePermission', OperationType: 'add', GroupNames: ['all'] }));
  return { good: good.SnapshotId!, bad: bad.SnapshotId! };
}

// An emulator-only placeholder, not a credential.
const PLACEHOLDER_PASSWORD = 'not-a-real-password';

/** RDS snapshots: instance `billing` (MySQL, encrypted) with manual snapshot `billing-nightly`
 *  (private) and `billing-export` (restorable by anyone); instance `legacy` (unencrypted) with
 *  snapshot `legacy-final`. */
export async function createBillingSnapshots(clients: AwsClients): Promise<{ good: string; bad: string; unencrypted: string }> {
  const rds = clients.get(RDSClient);
  for (const [id, encrypted] of [['billing', true], ['legacy', false]] as const) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'mysql',
        MasterUsername: 'billing_admin',
        MasterUserPassword: PLACEHOLDER_PASSWORD,
        AllocatedStorage: 20,
        StorageEncrypted: encrypted,
      }),
    );
  }
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'billing', DBSnapshotIdentifier: 'billing-nightly', Tags: [{ Key: 'team', Value: 'billing' }] }));
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'billing', DBSnapshotIdentifier: 'billing-export' }));
  await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'billing-export', AttributeName: 'restore', ValuesToAdd: ['all'] }));
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'legacy', DBSnapshotIdentifier: 'legacy-final' }));
  return { good: 'billing-nightly', bad: 'billing-export', unencrypted: 'legacy-final' };
}

/** Cluster `<name>` of `engine`, well configured (`good`) or not. */
async function createCluster(rds: RDSClient, name: string, engine: string, good: boolean, logs: string[]): Promise<void> {
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: name,
      Engine: engine,
      MasterUsername: good ? 'ledger_owner' : 'admin',
      MasterUserPassword: PLACEHOLDER_PASSWORD,
      StorageEncrypted: good,
      DeletionProtection: good,
      // moto accepts IAM database authentication for Aurora engines only.
      EnableIAMDatabaseAuthentication: good && engine.startsWith('aurora-'),
      CopyTagsToSnapshot: good,
      BackupRetentionPeriod: good ? 14 : 1,
      EnableCloudwatchLogsExports: good ? logs : [],
      ...(good ? { Tags: [{ Key: 'team', Value: 'data' }] } : {}),
    }),
  );
}

/** Database clusters through the RDS API: Aurora PostgreSQL `ledger` (encrypted, deletion
 *  protection, IAM auth, copies tags, 14-day backups, logs exported) and Aurora MySQL `sandbox`
 *  (none of it); Neptune `graph` / `dev-graph` alike (moto has no DocumentDB engine: see
 *  documentedDocDbCluster).
 *  Cluster snapshots: `ledger-weekly` (private) and `sandbox-share` (restorable by anyone). */
export async function createDatabaseClusters(clients: AwsClients): Promise<void> {
  const rds = clients.get(RDSClient);
  await createCluster(rds, 'ledger', 'aurora-postgresql', true, ['postgresql']);
  await createCluster(rds, 'sandbox', 'aurora-mysql', false, []);
  await createCluster(rds, 'graph', 'neptune', true, ['audit']);
  await createCluster(rds, 'dev-graph', 'neptune', false, []);
  await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'ledger', DBClusterSnapshotIdentifier: 'ledger-weekly', Tags: [{ Key: 'team', Value: 'data' }] }));
  await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'sandbox', DBClusterSnapshotIdentifier: 'sandbox-share' }));
  await rds.send(new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: 'sandbox-share', AttributeName: 'restore', ValuesToAdd: ['all'] }));
}

/**
 * A DocumentDB cluster as DescribeDBClusters answers it (the Amazon DocumentDB API reference's
 * DBCluster shape, engine `docdb`): moto rejects the docdb engine, so tests and the documentation
 * example use this answer. `good`: encrypted, 14-day backups, audit and profiler logs exported,
 * deletion protection; otherwise none of it.
 */
export function documentedDocDbCluster(acct: string, region: string, name: string, good: boolean): DBCluster {
  const created = new Date('2026-01-05T09:30:00Z');
  return {
    AvailabilityZones: [`${region}a`, `${region}b`, `${region}c`],
    BackupRetentionPeriod: good ? 14 : 1,
    DBClusterIdentifier: name,
    DBClusterParameterGroup: 'default.docdb5.0',
    DBSubnetGroup: 'default',
    Status: 'available',
    EarliestRestorableTime: new Date('2026-01-05T09:40:00Z'),
    Endpoint: `${name}.cluster-c1example2.${region}.docdb.amazonaws.com`,
    ReaderEndpoint: `${name}.cluster-ro-c1example2.${region}.docdb.amazonaws.com`,
    MultiAZ: good,
    Engine: 'docdb',
    EngineVersion: '5.0.0',
    LatestRestorableTime: new Date('2026-01-06T09:40:00Z'),
    Port: 27017,
    MasterUsername: good ? 'catalog_owner' : 'admin',
    PreferredBackupWindow: '00:00-00:30',
    PreferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    ReadReplicaIdentifiers: [],
    DBClusterMembers: [{ DBInstanceIdentifier: `${name}-1`, IsClusterWriter: true, DBClusterParameterGroupStatus: 'in-sync', PromotionTier: 1 }],
    VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-0a1b2c3d4e5f60718', Status: 'active' }],
    HostedZoneId: 'ZNKXH85TT8WVW',
    StorageEncrypted: good,
    ...(good ? { KmsKeyId: `arn:aws:kms:${region}:${acct}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0` } : {}),
    DbClusterResourceId: `cluster-${good ? 'GOODCATALOG' : 'DEVCATALOG'}1234567890ABCD`,
    DBClusterArn: `arn:aws:rds:${region}:${acct}:cluster:${name}`,
    AssociatedRoles: [],
    ClusterCreateTime: created,
    EnabledCloudwatchLogsExports: good ? ['audit', 'profiler'] : [],
    DeletionProtection: good,
    TagList: good ? [{ Key: 'team', Value: 'catalog' }] : [],
  };
}

/** Bootstrap user data with a (fake) secret in it: what redaction must keep out of the model. */
export const BOOTSTRAP_USER_DATA = Buffer.from('#!/bin/sh\nexport DB_PASSWORD=example-bootstrap-secret\n').toString('base64');

/** EC2 launch templates: `web` — IMDSv2 required, no public IP on its interface, user data;
 *  `legacy-web` — IMDSv1 allowed and a public IP on its interface. */
export async function createWebLaunchTemplates(clients: AwsClients, subnetId: string): Promise<{ good: string; bad: string }> {
  const ec2 = clients.get(EC2Client);
  const good = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'web',
      VersionDescription: 'hardened',
      LaunchTemplateData: {
        ImageId: 'ami-12345678',
        InstanceType: 't3.micro',
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
        NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false, SubnetId: subnetId }],
        UserData: BOOTSTRAP_USER_DATA,
      },
      TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'web' }] }],
    }),
  );
  const bad = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'legacy-web',
      LaunchTemplateData: {
        ImageId: 'ami-12345678',
        InstanceType: 't3.micro',
        MetadataOptions: { HttpTokens: 'optional' },
        NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true, SubnetId: subnetId }],
      },
    }),
  );
  return { good: good.LaunchTemplate!.LaunchTemplateId!, bad: bad.LaunchTemplate!.LaunchTemplateId! };
}

/** Auto Scaling: group `web` launches from template `web` across two subnets (Availability
 *  Zones) with ELB health checks; group `batch` launches from launch configuration `batch`
 *  (public IPs, IMDSv1, user data) in one subnet, with EC2 health checks behind the classic
 *  load balancers `loadBalancerNames`. */
export async function createScalingGroups(clients: AwsClients, opts: { subnets: readonly [string, string]; launchTemplateId: string; loadBalancerNames?: string[] }): Promise<void> {
  const asg = clients.get(AutoScalingClient);
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'web',
      LaunchTemplate: { LaunchTemplateId: opts.launchTemplateId, Version: '$Default' },
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: 0,
      VPCZoneIdentifier: opts.subnets.join(','),
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 120,
      Tags: [{ Key: 'team', Value: 'web', PropagateAtLaunch: true }],
    }),
  );
  await asg.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'batch',
      ImageId: 'ami-12345678',
      InstanceType: 't3.micro',
      AssociatePublicIpAddress: true,
      MetadataOptions: { HttpTokens: 'optional' },
      UserData: BOOTSTRAP_USER_DATA,
    }),
  );
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'batch',
      LaunchConfigurationName: 'batch',
      MinSize: 0,
      MaxSize: 2,
      DesiredCapacity: 0,
      VPCZoneIdentifier: opts.subnets[0],
      HealthCheckType: 'EC2',
      ...(opts.loadBalancerNames ? { LoadBalancerNames: opts.loadBalancerNames } : {}),
    }),
  );
}

/** Classic load balancers: `shop-classic` — HTTPS with an ACM certificate `certificateArn` and
 *  the TLS 1.2 predefined policy, two zones, cross-zone, access logs to `logBucket`, connection
 *  draining, defensive desync mitigation; `legacy-classic` — plain HTTP in one zone, defaults. */
export async function createClassicLoadBalancers(clients: AwsClients, opts: { zones: readonly [string, string]; certificateArn: string; logBucket: string }): Promise<{ good: string; bad: string }> {
  const elb = clients.get(ElasticLoadBalancingClient);
  await elb.send(
    new CreateClassicLoadBalancerCommand({
      LoadBalancerName: 'shop-classic',
      AvailabilityZones: [...opts.zones],
      Listeners: [{ Protocol: 'HTTPS', LoadBalancerPort: 443, InstanceProtocol: 'HTTP', InstancePort: 8080, SSLCertificateId: opts.certificateArn }],
      Tags: [{ Key: 'team', Value: 'shop' }],
    }),
  );
  await elb.send(
    new CreateLoadBalancerPolicyCommand({
      LoadBalancerName: 'shop-classic',
      PolicyName: 'tls12',
      PolicyTypeName: 'SSLNegotiationPolicyType',
      PolicyAttributes: [{ AttributeName: 'Reference-Security-Policy', AttributeValue: 'ELBSecurityPolicy-TLS-1-2-2017-01' }],
    }),
  );
  await elb.send(new SetLoadBalancerPoliciesOfListenerCommand({ LoadBalancerName: 'shop-classic', LoadBalancerPort: 443, PolicyNames: ['tls12'] }));
  await elb.send(
    new ModifyLoadBalancerAttributesCommand({
      LoadBalancerName: 'shop-classic',
      LoadBalancerAttributes: {
        CrossZoneLoadBalancing: { Enabled: true },
        AccessLog: { Enabled: true, S3BucketName: opts.logBucket, S3BucketPrefix: 'elb', EmitInterval: 60 },
        ConnectionDraining: { Enabled: true, Timeout: 300 },
        AdditionalAttributes: [{ Key: 'elb.http.desyncmitigationmode', Value: 'defensive' }],
      },
    }),
  );
  await elb.send(
    new CreateClassicLoadBalancerCommand({
      LoadBalancerName: 'legacy-classic',
      AvailabilityZones: [opts.zones[0]],
      Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 8080 }],
    }),
  );
  return { good: 'shop-classic', bad: 'legacy-classic' };
}

/** Network load balancers: `shop-nlb` — two subnets, deletion protection, cross-zone, a TLS
 *  listener with certificate `certificateArn` and a TLS 1.3 policy; `legacy-nlb` — one subnet,
 *  defaults, plain TCP; both forward to target group `shop-tcp` in `vpcId`. Returns their ARNs. */
export async function createNetworkLoadBalancers(clients: AwsClients, opts: { vpcId: string; subnets: readonly [string, string]; certificateArn: string }): Promise<{ good: string; bad: string }> {
  const elb = clients.get(ElasticLoadBalancingV2Client);
  const targetGroup = (await elb.send(new CreateTargetGroupCommand({ Name: 'shop-tcp', Protocol: 'TCP', Port: 8443, VpcId: opts.vpcId, TargetType: 'ip' }))).TargetGroups![0]!.TargetGroupArn!;
  const forward = [{ Type: 'forward' as const, TargetGroupArn: targetGroup }];
  const create = async (Name: string, Subnets: string[], tags: boolean) =>
    (await elb.send(new CreateV2LoadBalancerCommand({ Name, Type: 'network', Scheme: 'internal', Subnets, ...(tags ? { Tags: [{ Key: 'team', Value: 'shop' }] } : {}) }))).LoadBalancers![0]!.LoadBalancerArn!;
  const good = await create('shop-nlb', [...opts.subnets], true);
  await elb.send(
    new ModifyV2LoadBalancerAttributesCommand({
      LoadBalancerArn: good,
      Attributes: [
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
      ],
    }),
  );
  await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: good,
      Protocol: 'TLS',
      Port: 443,
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: opts.certificateArn }],
      DefaultActions: forward,
    }),
  );
  const bad = await create('legacy-nlb', [opts.subnets[0]], false);
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: bad, Protocol: 'TCP', Port: 22, DefaultActions: forward }));
  return { good, bad };
}

/** AWS Backup: vault `central` (encrypted with `kmsKeyArn`, tagged) and vault `scratch`; plan
 *  `daily` backing up to `central` every day at 05:00 UTC, kept 35 days, cold after 7, with
 *  continuous backup. Returns the plan ID. */
export async function createBackups(clients: AwsClients, kmsKeyArn: string): Promise<{ vault: string; plan: string }> {
  const backup = clients.get(BackupClient);
  const vault = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'central', EncryptionKeyArn: kmsKeyArn }));
  await backup.send(new TagBackupResourceCommand({ ResourceArn: vault.BackupVaultArn, Tags: { team: 'platform' } }));
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'scratch' }));
  const plan = await backup.send(
    new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: 'daily',
        Rules: [
          {
            RuleName: 'daily-0500',
            TargetBackupVaultName: 'central',
            ScheduleExpression: 'cron(0 5 ? * * *)',
            StartWindowMinutes: 60,
            CompletionWindowMinutes: 180,
            Lifecycle: { MoveToColdStorageAfterDays: 7, DeleteAfterDays: 35 },
            EnableContinuousBackup: false,
          },
        ],
      },
    }),
  );
  await backup.send(new TagBackupResourceCommand({ ResourceArn: plan.BackupPlanArn, Tags: { team: 'platform' } }));
  return { vault: 'central', plan: plan.BackupPlanId! };
}

/**
 * The access policy of vault `central` as GetBackupVaultAccessPolicy answers it (the AWS Backup
 * API reference's shape; moto does not implement the call): deny deleting recovery points to
 * everyone but the backup administrators' role.
 */
export function documentedVaultPolicy(acct: string, region: string, name: string): { BackupVaultName: string; BackupVaultArn: string; Policy: string } {
  return {
    BackupVaultName: name,
    BackupVaultArn: `arn:aws:backup:${region}:${acct}:backup-vault:${name}`,
    Policy: doc([
      {
        Sid: 'protect-recovery-points',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${acct}:role/backup-admin` } },
      },
    ]),
  };
}

/** An ACM certificate for the slice's load balancers (`edge.example.com`). */
export async function requestEdgeCertificate(clients: AwsClients): Promise<string> {
  return (await clients.get(ACMClient).send(new RequestCertificateCommand({ DomainName: 'edge.example.com', ValidationMethod: 'DNS' }))).CertificateArn!;
}
