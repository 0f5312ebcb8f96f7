/**
 * Infrastructure of the coverage slice (issue #17), shared by the registry types' integration
 * tests and the documentation estate: container registries, file systems, snapshots, database
 * clusters, scaling groups and launch templates, classic and network load balancers, backups.
 * Each seeder makes a well-configured resource and, where a built-in policy applies, a
 * misconfigured twin, so that both verdicts show.
 */
import { CreateRepositoryCommand, ECRClient, PutLifecyclePolicyCommand, PutRegistryScanningConfigurationCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateAccessPointCommand, CreateFileSystemCommand, CreateMountTargetCommand, EFSClient, PutFileSystemPolicyCommand, PutLifecycleConfigurationCommand } from '@aws-sdk/client-efs';
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
