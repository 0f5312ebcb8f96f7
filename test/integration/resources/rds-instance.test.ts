import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  type DescribeDBInstancesCommandOutput,
} from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrdersDatabase } from '../../../src/local/estate/data-stores.ts';
import { makeRdsInstanceType, RDS_INSTANCE } from '../../../src/resources/rds-instance.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'sa-east-1';
let ctx: ScanContext;
let rds: RDSClient;

const arn = (id: string) => `arn:aws:rds:${REGION}:${account}:db:${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  rds = ctx.clients.get(RDSClient);
  await createOrdersDatabase(ctx.clients);
  await rds.send(
    new CreateDBInstanceCommand({ DBInstanceIdentifier: 'bare', DBInstanceClass: 'db.t3.micro', Engine: 'mysql', MasterUsername: 'root', MasterUserPassword: 'not-a-real-password', AllocatedStorage: 20 }),
  );
});

describe('AWS.RDS.Instance', () => {
  it('lists across pages and describes listed instances from the page', async () => {
    // moto ignores MaxRecords: page its full answer, and count the calls.
    const calls: string[] = [];
    const paged = intercept(ctx, RDSClient, (cmd, send) => {
      calls.push(cmd.constructor.name);
      if (cmd.constructor.name !== 'DescribeDBInstancesCommand' || cmd.input.DBInstanceIdentifier) return undefined;
      return (async () => {
        const all = ((await send(new DescribeDBInstancesCommand({}))) as DescribeDBInstancesCommandOutput).DBInstances ?? [];
        const from = Number(cmd.input.Marker ?? 0);
        const to = from + Number(cmd.input.MaxRecords);
        return { DBInstances: all.slice(from, to), Marker: to < all.length ? String(to) : undefined };
      })();
    });
    const type = makeRdsInstanceType({ pageSize: 1 });
    const { refs: seen } = await listAll(type, paged);
    expect(seen.map((r) => r.id).sort()).toEqual(['bare', 'orders']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
    calls.length = 0;
    await type.describe(paged, { id: 'bare' });
    expect(calls).toEqual(['DescribeDBSnapshotsCommand']);
  });

  it('models a configured instance with the attributes of its manual snapshots', async () => {
    const res = (await RDS_INSTANCE.describe(ctx, { id: 'orders' }))!;
    expect(typeKeys(res)).toEqual(RDS_INSTANCE.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('orders'),
      ResourceType: 'AWS.RDS.Instance',
      AccountId: account,
      Region: REGION,
      Arn: arn('orders'),
      Name: 'orders',
      Tags: { team: 'data' },
      DBInstanceIdentifier: 'orders',
      DBInstanceArn: arn('orders'),
      Engine: 'postgres',
      DBInstanceClass: 'db.t3.micro',
      MasterUsername: 'dbadmin',
      StorageEncrypted: true,
      PubliclyAccessible: true,
      BackupRetentionPeriod: 7,
      IAMDatabaseAuthenticationEnabled: true,
      DeletionProtection: false,
      MultiAZ: false,
      Endpoint: expect.objectContaining({ Port: 5432, HostedZoneId: null }),
      TagList: [{ Key: 'team', Value: 'data' }],
      MasterUserSecret: null,
      PendingModifiedValues: null,
    });
    expect(res.Id).toMatch(/^db-/);
    expect(res.Id).toBe(res.DbiResourceId);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.InstanceCreateTime);
    // Moves with the clock: left out so unchanged instances do not change.
    expect(res).not.toHaveProperty('LatestRestorableTime');
    expect((res.SnapshotAttributes as { DBSnapshotIdentifier: string }[]).sort((a, b) => a.DBSnapshotIdentifier.localeCompare(b.DBSnapshotIdentifier))).toEqual([
      { DBSnapshotIdentifier: 'orders-public', DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['all'] }] },
      { DBSnapshotIdentifier: 'orders-shared', DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['111122223333'] }] },
    ]);
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare instance with nulls', async () => {
    const res = (await RDS_INSTANCE.describe(ctx, { id: 'bare' }))!;
    expect(res).toMatchObject({ ResourceId: arn('bare'), Name: 'bare', Tags: null, SnapshotAttributes: null, Engine: 'mysql', StorageEncrypted: false });
  });

  it('returns null for a deleted instance and leaves out a snapshot deleted since its listing', async () => {
    await rds.send(
      new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gone', DBInstanceClass: 'db.t3.micro', Engine: 'mysql', MasterUsername: 'root', MasterUserPassword: 'not-a-real-password', AllocatedStorage: 20 }),
    );
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'gone', SkipFinalSnapshot: true }));
    expect(await RDS_INSTANCE.describe(ctx, { id: 'gone' })).toBeNull();
    const raced = intercept(ctx, RDSClient, (cmd) =>
      cmd.constructor.name === 'DescribeDBSnapshotAttributesCommand' && cmd.input.DBSnapshotIdentifier === 'orders-shared'
        ? Promise.reject(awsError('DBSnapshotNotFoundFault', 'DBSnapshot orders-shared not found.'))
        : undefined,
    );
    expect((await RDS_INSTANCE.describe(raced, { id: 'orders' }))!.SnapshotAttributes).toEqual([expect.objectContaining({ DBSnapshotIdentifier: 'orders-public' })]);
  });

  it('lets AccessDenied and throttling propagate', async () => {
    const denied = intercept(ctx, RDSClient, (cmd) =>
      cmd.constructor.name === 'DescribeDBSnapshotsCommand' ? Promise.reject(awsError('AccessDenied', 'not authorized')) : undefined,
    );
    await expect(RDS_INSTANCE.describe(denied, { id: 'orders' })).rejects.toThrow('not authorized');
    const throttled = intercept(ctx, RDSClient, (cmd) =>
      cmd.constructor.name === 'DescribeDBInstancesCommand' ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : undefined,
    );
    await expect(RDS_INSTANCE.list(throttled)).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      RDS_INSTANCE.events[name]!.refs!(trail('rds.amazonaws.com', name, req, res));
    expect(refs('CreateDBInstance', { dBInstanceIdentifier: 'Orders2', engine: 'postgres' }, { dBInstanceIdentifier: 'orders2', dBInstanceArn: arn('orders2') })).toEqual([
      { id: 'orders2' },
    ]);
    expect(RDS_INSTANCE.events.DeleteDBInstance!.action).toBe('delete');
    expect(refs('ModifyDBInstance', { dBInstanceIdentifier: 'a', newDBInstanceIdentifier: 'b', applyImmediately: true })).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(refs('RestoreDBInstanceToPointInTime', { sourceDBInstanceIdentifier: 'a', targetDBInstanceIdentifier: 'c' })).toEqual([{ id: 'c' }]);
    expect(refs('AddTagsToResource', { resourceName: arn('d'), tags: [] })).toEqual([{ id: 'd' }]);
    expect(refs('RemoveTagsFromResource', { resourceName: `arn:aws:rds:${REGION}:${account}:snapshot:s1`, tagKeys: [] })).toEqual([]);
    // Snapshot calls: the (flat) response names the instance.
    expect(refs('DeleteDBSnapshot', { dBSnapshotIdentifier: 's1' }, { dBSnapshotIdentifier: 's1', dBInstanceIdentifier: 'e' })).toEqual([{ id: 'e' }]);
    expect(RDS_INSTANCE.events.ModifyDBSnapshotAttribute!.action).toBe('rescan-region');
  });
});
