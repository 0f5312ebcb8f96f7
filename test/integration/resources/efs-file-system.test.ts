import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateFileSystemCommand, DeleteFileSystemCommand, EFSClient } from '@aws-sdk/client-efs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSharedFileSystems } from '../../../src/local/estate/coverage-infra.ts';
import { EFS_FILE_SYSTEM, makeEfsFileSystemType, type EfsFileSystemRef } from '../../../src/resources/efs-file-system.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;
let ids: { good: string; bad: string };
let subnetId: string;

const arn = (id: string) => `arn:aws:elasticfilesystem:${REGION}:${account}:file-system/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const ec2 = ctx.clients.get(EC2Client);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
  subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.9.1.0/24', AvailabilityZone: `${REGION}a` }))).Subnet!.SubnetId!;
  const securityGroupId = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'nfs', Description: 'nfs' }))).GroupId!;
  ids = await createSharedFileSystems(ctx.clients, { subnetId, securityGroupId });
  await ctx.clients.get(EFSClient).send(new CreateFileSystemCommand({ CreationToken: 'third' }));
});

describe('AWS.EFS.FileSystem', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeEfsFileSystemType({ pageSize: 2 });
    const seen: EfsFileSystemRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(ctx, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(3);
    expect(seen.map((r) => r.id)).toEqual(expect.arrayContaining([ids.good, ids.bad]));
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a configured file system with its backup, policy, lifecycle, mount targets and access points', async () => {
    const res = (await EFS_FILE_SYSTEM.describe(await scanContext(account, REGION), { id: ids.good }))!;
    expect(typeKeys(res)).toEqual(EFS_FILE_SYSTEM.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn(ids.good),
      ResourceType: 'AWS.EFS.FileSystem',
      AccountId: account,
      Region: REGION,
      Arn: arn(ids.good),
      Id: ids.good,
      Name: 'shared',
      Tags: { Name: 'shared', team: 'platform' },
      FileSystemId: ids.good,
      Encrypted: true,
      ThroughputMode: 'elastic',
      BackupPolicy: { Status: 'ENABLED' },
      LifecyclePolicies: [{ TransitionToIA: 'AFTER_30_DAYS', TransitionToPrimaryStorageClass: null, TransitionToArchive: null }],
      MountTargets: [expect.objectContaining({ FileSystemId: ids.good, SubnetId: subnetId, MountTargetId: expect.stringMatching(/^fsmt-/) })],
      AccessPoints: [
        expect.objectContaining({
          FileSystemId: ids.good,
          PosixUser: expect.objectContaining({ Uid: 1000, Gid: 1000 }),
          RootDirectory: expect.objectContaining({ Path: '/app' }),
          Tags: { Name: 'app' },
        }),
      ],
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(JSON.parse(res.Policy as string).Statement[0].Condition.Bool['aws:SecureTransport']).toBe('false');
    expect(EFS_FILE_SYSTEM.volatileAttributes).toEqual(['SizeInBytes']);
  });

  it('models a bare file system with nulls', async () => {
    const res = (await EFS_FILE_SYSTEM.describe(ctx, { id: ids.bad }))!;
    expect(res).toMatchObject({ Encrypted: false, BackupPolicy: null, Policy: null, LifecyclePolicies: null, MountTargets: null, AccessPoints: null, Tags: { Name: 'scratch' } });
  });

  it('returns null for a deleted file system and lets other errors propagate', async () => {
    const efs = ctx.clients.get(EFSClient);
    const gone = (await efs.send(new CreateFileSystemCommand({ CreationToken: 'gone' }))).FileSystemId!;
    await efs.send(new DeleteFileSystemCommand({ FileSystemId: gone }));
    expect(await EFS_FILE_SYSTEM.describe(ctx, { id: gone })).toBeNull();
    const between = intercept(ctx, EFSClient, (cmd) =>
      cmd.constructor.name === 'DescribeMountTargetsCommand' ? Promise.reject(awsError('FileSystemNotFound', 'gone')) : undefined,
    );
    expect(await EFS_FILE_SYSTEM.describe(between, { id: ids.bad })).toBeNull();
    const throttled = intercept(ctx, EFSClient, (cmd) =>
      cmd.constructor.name === 'DescribeBackupPolicyCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined,
    );
    await expect(EFS_FILE_SYSTEM.describe(throttled, { id: ids.bad })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = EFS_FILE_SYSTEM.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('elasticfilesystem.amazonaws.com', name, req, res));
    expect(refs('CreateFileSystem', { creationToken: 't', encrypted: true }, { fileSystemId: 'fs-0123456789abcdef0' })).toEqual([{ id: 'fs-0123456789abcdef0' }]);
    expect(ev.DeleteFileSystem!.action).toBe('delete');
    expect(refs('DeleteFileSystem', { fileSystemId: 'fs-01234567' })).toEqual([{ id: 'fs-01234567' }]);
    expect(refs('PutBackupPolicy', { fileSystemId: arn('fs-0abcdef1'), backupPolicy: { status: 'ENABLED' } })).toEqual([{ id: 'fs-0abcdef1' }]);
    expect(refs('TagResource', { resourceId: 'fs-0abcdef2', tags: [] })).toEqual([{ id: 'fs-0abcdef2' }]);
    expect(refs('TagResource', { resourceId: 'fsap-0abcdef2abcdef', tags: [] })).toEqual([]);
    expect(ev.DeleteMountTarget!.action).toBe('rescan-region');
  });
});
