/**
 * AWS.EFS.FileSystem — regional. DescribeFileSystems pages return whole file systems (tags
 * included), kept in the scope cache; `describe` adds the automatic-backup policy, the file
 * system policy, the lifecycle policies, the mount targets and the access points.
 */
import {
  AccessPointDescription$,
  BackupPolicy$,
  DescribeAccessPointsCommand,
  DescribeBackupPolicyCommand,
  DescribeFileSystemPolicyCommand,
  DescribeFileSystemsCommand,
  DescribeLifecycleConfigurationCommand,
  DescribeMountTargetsCommand,
  EFSClient,
  FileSystemDescription$,
  LifecyclePolicy$,
  MountTargetDescription$,
  type AccessPointDescription,
  type FileSystemDescription,
  type MountTargetDescription,
} from '@aws-sdk/client-efs';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { allPages, sortedBy } from './ec2-common.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface EfsFileSystemRef {
  /** The file system ID, `fs-…`. */
  id: string;
}

export const EFS_FILE_SYSTEM_TYPE = 'AWS.EFS.FileSystem';

const FS_NOT_FOUND = 'FileSystemNotFound';
const POLICY_NOT_FOUND = 'PolicyNotFound';
const cacheKey = (region: string, id: string) => `efs:file-system:${region}:${id}`;

export function efsFileSystemArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:elasticfilesystem:${target.region}:${target.accountId}:file-system/${id}`;
}

async function model(ctx: ScanContext, fs: FileSystemDescription): Promise<Resource | null> {
  const efs = ctx.clients.get(EFSClient, ctx.region);
  const FileSystemId = fs.FileSystemId!;
  const arn = fs.FileSystemArn ?? efsFileSystemArn(ctx, FileSystemId);
  try {
    const [backup, policy, lifecycle, mountTargets, accessPoints] = await Promise.all([
      orNull(efs.send(new DescribeBackupPolicyCommand({ FileSystemId })), POLICY_NOT_FOUND),
      orNull(efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId })), POLICY_NOT_FOUND),
      efs.send(new DescribeLifecycleConfigurationCommand({ FileSystemId })),
      allPages<MountTargetDescription>(async (Marker) => {
        const r = await efs.send(new DescribeMountTargetsCommand({ FileSystemId, MaxItems: 100, Marker }));
        return { items: r.MountTargets, next: r.NextMarker };
      }),
      allPages<AccessPointDescription>(async (NextToken) => {
        const r = await efs.send(new DescribeAccessPointsCommand({ FileSystemId, MaxResults: 100, NextToken }));
        return { items: r.AccessPoints, next: r.NextToken };
      }),
    ]);
    const points = sortedBy(accessPoints, (a) => a.AccessPointId).map((a) => ({ ...(shape(AccessPointDescription$, a) as Record<string, unknown>), Tags: tagMap(a.Tags) }));
    return {
      ResourceId: arn,
      ResourceType: EFS_FILE_SYSTEM_TYPE,
      TimeCreated: iso(fs.CreationTime),
      AccountId: ctx.accountId,
      Region: ctx.region,
      Arn: arn,
      Id: FileSystemId,
      Name: fs.Name ?? null,
      Tags: tagMap(fs.Tags),
      ...apiFields(shape(FileSystemDescription$, fs), 'Tags', 'Name'),
      BackupPolicy: shape(BackupPolicy$, backup?.BackupPolicy),
      Policy: policy?.Policy ?? null,
      LifecyclePolicies: shapeList(LifecyclePolicy$, lifecycle.LifecyclePolicies),
      MountTargets: shapeList(MountTargetDescription$, sortedBy(mountTargets, (m) => m.MountTargetId)),
      AccessPoints: points.length > 0 ? points : null,
    };
  } catch (e) {
    // Deleted after it was listed.
    if (hasErrorCode(e, FS_NOT_FOUND)) return null;
    throw e;
  }
}

// ---- CloudTrail refs -------------------------------------------------------------------------

const FS_ID = /^fs-[0-9a-f]{8,40}$/;

/** The file system ID of an EFS file-system ARN (`…:file-system/<id>`), or of an ID. */
function fsId(value: string | undefined): string | undefined {
  if (value && FS_ID.test(value)) return value;
  const arn = parseArn(value);
  if (arn?.service !== 'elasticfilesystem') return undefined;
  const m = /^file-system\/(fs-[0-9a-f]+)$/.exec(arn.resource);
  return m?.[1];
}

/** The file systems an event names: request `fileSystemId` (also an ARN in newer calls),
 *  `resourceId` (TagResource/UntagResource), and the response's `fileSystemId` (CreateFileSystem,
 *  CreateMountTarget, CreateAccessPoint answer it). */
export function efsFileSystemRefsOf(d: CloudTrailDetail): EfsFileSystemRef[] {
  return distinct([fsId(req(d, 'fileSystemId')), fsId(req(d, 'resourceId')), fsId(res(d, 'fileSystemId'))]).map((id) => ({ id }));
}

const rescan: EventRule<EfsFileSystemRef> = { action: 'rescan', refs: efsFileSystemRefsOf };

export interface EfsFileSystemOptions {
  /** DescribeFileSystems MaxItems per page (1–100). */
  pageSize?: number;
}

export function makeEfsFileSystemType(opts: EfsFileSystemOptions = {}): ResourceType<EfsFileSystemRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: EFS_FILE_SYSTEM_TYPE,
    // ASFF has no file-system resource type (only AwsEfsAccessPoint): findings name it Other.
    service: 'elasticfilesystem',
    scope: 'regional',
    eventSource: 'elasticfilesystem.amazonaws.com',

    async list(ctx, pageToken) {
      const efs = ctx.clients.get(EFSClient, ctx.region);
      const page = await efs.send(new DescribeFileSystemsCommand({ MaxItems: pageSize, Marker: pageToken }));
      const refs: EfsFileSystemRef[] = [];
      for (const fs of page.FileSystems ?? []) {
        if (!fs.FileSystemId || fs.LifeCycleState === 'deleted') continue;
        remember(ctx, cacheKey(ctx.region, fs.FileSystemId), fs);
        refs.push({ id: fs.FileSystemId });
      }
      return { refs, ...(page.NextMarker ? { nextPageToken: page.NextMarker } : {}) };
    },

    async describe(ctx, ref) {
      let fs = await take<FileSystemDescription>(ctx, cacheKey(ctx.region, ref.id));
      if (!fs) {
        const out = await orNull(ctx.clients.get(EFSClient, ctx.region).send(new DescribeFileSystemsCommand({ FileSystemId: ref.id })), FS_NOT_FOUND);
        fs = out?.FileSystems?.[0];
      }
      if (!fs?.FileSystemId || fs.LifeCycleState === 'deleted') return null;
      return model(ctx, fs);
    },

    resourceId(target, ref) {
      return efsFileSystemArn(target, ref.id);
    },

    events: {
      CreateFileSystem: rescan,
      DeleteFileSystem: { action: 'delete', refs: efsFileSystemRefsOf },
      UpdateFileSystem: rescan,
      UpdateFileSystemProtection: rescan,
      PutBackupPolicy: rescan,
      PutFileSystemPolicy: rescan,
      DeleteFileSystemPolicy: rescan,
      PutLifecycleConfiguration: rescan,
      CreateMountTarget: rescan,
      // DeleteMountTarget and DeleteAccessPoint name only the mount target / access point.
      DeleteMountTarget: { action: 'rescan-region' },
      CreateAccessPoint: rescan,
      DeleteAccessPoint: { action: 'rescan-region' },
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit grants elasticfilesystem:DescribeFileSystems, DescribeFileSystemPolicy,
    // DescribeMountTargets, DescribeAccessPoints and DescribeLifecycleConfiguration; the backup
    // policy read is listed for the accounts whose SecurityAudit version predates it.
    // DescribeFileSystems per page; per file system DescribeBackupPolicy, DescribeFileSystemPolicy,
    // DescribeLifecycleConfiguration, DescribeMountTargets and DescribeAccessPoints.
    apiCalls: { perPage: 1, perResource: 5, perScope: 0 },
    iamActions: ['elasticfilesystem:DescribeBackupPolicy'],
    // SizeInBytes moves with every write to the file system.
    volatileAttributes: ['SizeInBytes'],

    attributes: [
      ...schemaAttributeDocs(FileSystemDescription$, 'DescribeFileSystems', {
        OwnerId: ['string', 'The owning account.'],
        CreationToken: ['string', 'The idempotency token given at creation.'],
        FileSystemId: ['string', 'The file system ID (also Id).'],
        CreationTime: ['timestamp', 'When the file system was created (also TimeCreated).'],
        LifeCycleState: ['string', 'creating, available, updating, deleting or error.'],
        NumberOfMountTargets: ['integer', 'Mount targets of the file system.'],
        SizeInBytes: ['{Value, Timestamp, ValueInIA, ValueInStandard, ValueInArchive}', 'Metered size (volatile: left out of the change hash).'],
        PerformanceMode: ['string', 'generalPurpose or maxIO.'],
        FileSystemArn: ['string', 'The file system ARN (also ResourceId and Arn).'],
        Encrypted: ['boolean', 'Data at rest is encrypted.'],
        KmsKeyId: 'The KMS key of an encrypted file system.',
        ThroughputMode: ['string', 'bursting, provisioned or elastic.'],
        ProvisionedThroughputInMibps: 'Provisioned throughput of a provisioned file system.',
        AvailabilityZoneName: 'The zone of a One Zone file system; null for Regional ones.',
        AvailabilityZoneId: 'The zone ID of a One Zone file system.',
        FileSystemProtection: '{ReplicationOverwriteProtection}: whether the file system can be a replication target.',
      }, ['Tags', 'Name']),
      { name: 'BackupPolicy', type: '{Status} | null', description: 'DescribeBackupPolicy: automatic backups ENABLED, ENABLING, DISABLED or DISABLING; null when the file system has none.' },
      { name: 'Policy', type: 'string | null', description: 'The file system policy (DescribeFileSystemPolicy) as a JSON string; null when none.' },
      { name: 'LifecyclePolicies', type: 'list<{TransitionToIA, TransitionToPrimaryStorageClass, TransitionToArchive}> | null', description: 'DescribeLifecycleConfiguration; null when none.' },
      { name: 'MountTargets', type: 'list<MountTargetDescription> | null', description: 'DescribeMountTargets: {MountTargetId, SubnetId, VpcId, IpAddress, NetworkInterfaceId, AvailabilityZoneName, LifeCycleState, …}, sorted by ID; null when none.' },
      { name: 'AccessPoints', type: 'list<AccessPointDescription> | null', description: 'DescribeAccessPoints: {AccessPointId, AccessPointArn, Name, PosixUser {Uid, Gid, SecondaryGids}, RootDirectory {Path, CreationInfo}, LifeCycleState, Tags (map), …}, sorted by ID; null when none.' },
    ],
  };
}

export const EFS_FILE_SYSTEM: ResourceType<EfsFileSystemRef> = makeEfsFileSystemType();
