import { CreateDBClusterCommand, DeleteDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseClusters } from '../../../src/local/estate/coverage-infra.ts';
import { makeRdsClusterType, RDS_CLUSTER } from '../../../src/resources/rds-cluster.ts';
import type { DbClusterRef } from '../../../src/resources/rds-db-cluster.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { pagedBy } from '../../helpers/paging.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;

const arn = (id: string) => `arn:aws:rds:${REGION}:${account}:cluster:${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createDatabaseClusters(ctx.clients);
  await ctx.clients.get(RDSClient).send(
    new CreateDBClusterCommand({ DBClusterIdentifier: 'reports', Engine: 'aurora-mysql', MasterUsername: 'reporter', MasterUserPassword: 'not-a-real-password', BacktrackWindow: 3600 }),
  );
});

describe('AWS.RDS.Cluster', () => {
  it('lists Aurora and Multi-AZ clusters across pages, not Neptune\'s, with resolvable refs', async () => {
    const type = makeRdsClusterType({ pageSize: 2 });
    // moto answers DescribeDBClusters in one page: paged here as RDS pages it.
    const paged = pagedBy(ctx, RDSClient, { command: 'DescribeDBClustersCommand', items: 'DBClusters', size: 'MaxRecords', tokenIn: 'Marker' });
    const seen: DbClusterRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(paged, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    // Five clusters in two pages and a half (Neptune's are left out of their pages).
    expect(pages).toBe(3);
    expect(seen.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'ledger', engine: 'aurora-postgresql' },
      { id: 'reports', engine: 'aurora-mysql' },
      { id: 'sandbox', engine: 'aurora-mysql' },
    ]);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a configured Aurora cluster', async () => {
    const res = (await RDS_CLUSTER.describe(await scanContext(account, REGION), { id: 'ledger' }))!;
    expect(typeKeys(res)).toEqual(RDS_CLUSTER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('ledger'),
      ResourceType: 'AWS.RDS.Cluster',
      AccountId: account,
      Region: REGION,
      Arn: arn('ledger'),
      Name: 'ledger',
      Tags: { team: 'data' },
      DBClusterIdentifier: 'ledger',
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      DeletionProtection: true,
      IAMDatabaseAuthenticationEnabled: true,
      CopyTagsToSnapshot: true,
      BackupRetentionPeriod: 14,
      EnabledCloudwatchLogsExports: ['postgresql'],
      MasterUsername: 'ledger_owner',
    });
    expect(res.Id).toBe(res.DbClusterResourceId);
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.ClusterCreateTime);
    expect(Object.keys(res)).not.toContain('LatestRestorableTime');
    expect(RDS_CLUSTER.volatileAttributes).toEqual(['EarliestRestorableTime']);
  });

  it('models a bare cluster and a backtracking one', async () => {
    expect(await RDS_CLUSTER.describe(ctx, { id: 'sandbox' })).toMatchObject({ Tags: null, StorageEncrypted: false, DeletionProtection: false, BackupRetentionPeriod: 1, MasterUsername: 'admin' });
    expect(await RDS_CLUSTER.describe(ctx, { id: 'reports' })).toMatchObject({ BacktrackWindow: 3600 });
  });

  it('does not model another type\'s cluster, and never names its ResourceId from an event alone', async () => {
    expect(await RDS_CLUSTER.describe(ctx, { id: 'graph' })).toBeNull();
    // A delete event for a Neptune cluster must not tombstone that ARN as an RDS cluster.
    expect(RDS_CLUSTER.resourceId(ctx, { id: 'graph' })).toBeUndefined();
    expect(RDS_CLUSTER.resourceId(ctx, { id: 'graph', engine: 'neptune' })).toBeUndefined();
    expect(RDS_CLUSTER.resourceId(ctx, { id: 'new', engine: 'aurora-mysql' })).toBe(arn('new'));
  });

  it('returns null for a deleted cluster and lets other errors propagate', async () => {
    const rds = ctx.clients.get(RDSClient);
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'gone', Engine: 'aurora-mysql', MasterUsername: 'x_admin', MasterUserPassword: 'not-a-real-password' }));
    await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'gone', SkipFinalSnapshot: true }));
    expect(await RDS_CLUSTER.describe(ctx, { id: 'gone' })).toBeNull();
    const throttled = intercept(ctx, RDSClient, () => Promise.reject(awsError('Throttling', 'Rate exceeded')));
    await expect(RDS_CLUSTER.describe(throttled, { id: 'ledger' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs, with the engine when the request names it', () => {
    const ev = RDS_CLUSTER.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('rds.amazonaws.com', name, req, res));
    expect(refs('CreateDBCluster', { dBClusterIdentifier: 'Ledger2', engine: 'aurora-postgresql' }, { dBClusterIdentifier: 'ledger2' })).toEqual([{ id: 'ledger2', engine: 'aurora-postgresql' }]);
    expect(refs('ModifyDBCluster', { dBClusterIdentifier: 'a', newDBClusterIdentifier: 'b', deletionProtection: true })).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(refs('CreateDBInstance', { dBInstanceIdentifier: 'a-1', dBClusterIdentifier: 'a', engine: 'aurora-mysql' })).toEqual([{ id: 'a', engine: 'aurora-mysql' }]);
    expect(refs('DeleteDBInstance', { dBInstanceIdentifier: 'a-1' }, { dBInstanceIdentifier: 'a-1', dBClusterIdentifier: 'a' })).toEqual([{ id: 'a' }]);
    // The response's cluster names its engine; another engine's cluster is not this type's.
    expect(refs('ModifyDBCluster', { dBClusterIdentifier: 'e' }, { dBClusterIdentifier: 'e', engine: 'aurora-mysql' })).toEqual([{ id: 'e', engine: 'aurora-mysql' }]);
    expect(refs('ModifyDBCluster', { dBClusterIdentifier: 'g' }, { dBClusterIdentifier: 'g', engine: 'neptune' })).toEqual([]);
    expect(refs('CreateDBCluster', { dBClusterIdentifier: 'h', engine: 'docdb' })).toEqual([]);
    expect(refs('DeleteDBInstance', { dBInstanceIdentifier: 'solo' }, { dBInstanceIdentifier: 'solo' })).toEqual([]);
    expect(refs('AddTagsToResource', { resourceName: arn('c'), tags: [] })).toEqual([{ id: 'c' }]);
    expect(refs('AddTagsToResource', { resourceName: `arn:aws:rds:${REGION}:${account}:db:c`, tags: [] })).toEqual([]);
    expect(refs('EnableHttpEndpoint', { resourceArn: arn('d') })).toEqual([{ id: 'd' }]);
    expect(ev.DeleteDBCluster!.action).toBe('delete');
  });
});
