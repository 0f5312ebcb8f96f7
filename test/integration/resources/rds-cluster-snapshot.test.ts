import { CreateDBClusterSnapshotCommand, DeleteDBClusterSnapshotCommand, RDSClient } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseClusters } from '../../../src/local/estate/coverage-infra.ts';
import { makeRdsClusterSnapshotType, RDS_CLUSTER_SNAPSHOT, type DbClusterSnapshotRef } from '../../../src/resources/rds-cluster-snapshot.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { pagedBy } from '../../helpers/paging.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;

const arn = (id: string) => `arn:aws:rds:${REGION}:${account}:cluster-snapshot:${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createDatabaseClusters(ctx.clients);
  await ctx.clients.get(RDSClient).send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'graph', DBClusterSnapshotIdentifier: 'graph-daily' }));
});

describe('AWS.RDS.ClusterSnapshot', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeRdsClusterSnapshotType({ pageSize: 2 });
    // moto answers DescribeDBClusterSnapshots in one page: paged here as RDS pages it.
    const paged = pagedBy(ctx, RDSClient, { command: 'DescribeDBClusterSnapshotsCommand', items: 'DBClusterSnapshots', size: 'MaxRecords', tokenIn: 'Marker' });
    const seen: DbClusterSnapshotRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(paged, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.map((r) => r.id)).toEqual(expect.arrayContaining(['ledger-weekly', 'sandbox-share', 'graph-daily']));
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a private manual cluster snapshot', async () => {
    const res = (await RDS_CLUSTER_SNAPSHOT.describe(await scanContext(account, REGION), { id: 'ledger-weekly' }))!;
    expect(typeKeys(res)).toEqual(RDS_CLUSTER_SNAPSHOT.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('ledger-weekly'),
      ResourceType: 'AWS.RDS.ClusterSnapshot',
      AccountId: account,
      Region: REGION,
      Id: 'ledger-weekly',
      Name: 'ledger-weekly',
      Tags: { team: 'data' },
      DBClusterIdentifier: 'ledger',
      Engine: 'aurora-postgresql',
      SnapshotType: 'manual',
      StorageEncrypted: true,
      DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [] }],
    });
    expect(res.TimeCreated).toMatch(RFC3339);
  });

  it('models a public snapshot and a Neptune one', async () => {
    expect(await RDS_CLUSTER_SNAPSHOT.describe(ctx, { id: 'sandbox-share' })).toMatchObject({
      StorageEncrypted: false,
      DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['all'] }],
    });
    expect(await RDS_CLUSTER_SNAPSHOT.describe(ctx, { id: 'graph-daily' })).toMatchObject({ Engine: 'neptune', DBClusterIdentifier: 'graph' });
  });

  it('returns null for a deleted snapshot and lets other errors propagate', async () => {
    const rds = ctx.clients.get(RDSClient);
    await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'ledger', DBClusterSnapshotIdentifier: 'gone' }));
    await rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'gone' }));
    expect(await RDS_CLUSTER_SNAPSHOT.describe(ctx, { id: 'gone' })).toBeNull();
    const between = intercept(ctx, RDSClient, (cmd) =>
      cmd.constructor.name === 'DescribeDBClusterSnapshotAttributesCommand' ? Promise.reject(awsError('DBClusterSnapshotNotFoundFault', 'gone')) : undefined,
    );
    expect(await RDS_CLUSTER_SNAPSHOT.describe(between, { id: 'ledger-weekly' })).toBeNull();
    const denied = intercept(ctx, RDSClient, (cmd) =>
      cmd.constructor.name === 'DescribeDBClusterSnapshotAttributesCommand' ? Promise.reject(awsError('AccessDenied', 'denied')) : undefined,
    );
    await expect(RDS_CLUSTER_SNAPSHOT.describe(denied, { id: 'ledger-weekly' })).rejects.toThrow('denied');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = RDS_CLUSTER_SNAPSHOT.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('rds.amazonaws.com', name, req, res));
    expect(refs('CreateDBClusterSnapshot', { dBClusterSnapshotIdentifier: 'Weekly', dBClusterIdentifier: 'ledger' })).toEqual([{ id: 'weekly' }]);
    expect(refs('CopyDBClusterSnapshot', { sourceDBClusterSnapshotIdentifier: 'a', targetDBClusterSnapshotIdentifier: 'b' })).toEqual([{ id: 'b' }]);
    expect(refs('ModifyDBClusterSnapshotAttribute', { dBClusterSnapshotIdentifier: 'c', attributeName: 'restore', valuesToAdd: ['all'] })).toEqual([{ id: 'c' }]);
    expect(refs('RemoveTagsFromResource', { resourceName: arn('d'), tagKeys: ['x'] })).toEqual([{ id: 'd' }]);
    expect(refs('RemoveTagsFromResource', { resourceName: `arn:aws:rds:${REGION}:${account}:snapshot:d`, tagKeys: ['x'] })).toEqual([]);
    expect(ev.DeleteDBClusterSnapshot!.action).toBe('delete');
  });
});
