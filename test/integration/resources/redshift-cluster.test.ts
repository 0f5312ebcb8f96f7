import { CreateClusterCommand, DeleteClusterCommand, DescribeClustersCommand, RedshiftClient, type DescribeClustersCommandOutput } from '@aws-sdk/client-redshift';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWarehouse } from '../../../src/local/estate/data-stores.ts';
import { makeRedshiftClusterType, REDSHIFT_CLUSTER } from '../../../src/resources/redshift-cluster.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'ap-northeast-1';
const BUCKET = `posture-rs-logs-${account}`;
let ctx: ScanContext;
let redshift: RedshiftClient;

const arn = (id: string) => `arn:aws:redshift:${REGION}:${account}:cluster:${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  redshift = ctx.clients.get(RedshiftClient);
  await ctx.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  // AWS lowercases identifiers; moto keeps them as given, so they are created in lowercase here.
  await createWarehouse(ctx.clients, BUCKET);
  await redshift.send(
    new CreateClusterCommand({ ClusterIdentifier: 'bare', NodeType: 'ra3.xlplus', ClusterType: 'single-node', MasterUsername: 'admin', MasterUserPassword: 'NotARealPassw0rd' }),
  );
});

describe('AWS.Redshift.Cluster', () => {
  it('lists across pages and describes listed clusters from the page', async () => {
    // moto ignores MaxRecords: page its full answer, and count the calls.
    const calls: string[] = [];
    const paged = intercept(ctx, RedshiftClient, (cmd, send) => {
      calls.push(cmd.constructor.name);
      if (cmd.constructor.name !== 'DescribeClustersCommand' || cmd.input.ClusterIdentifier) return undefined;
      return (async () => {
        const all = ((await send(new DescribeClustersCommand({}))) as DescribeClustersCommandOutput).Clusters ?? [];
        const from = Number(cmd.input.Marker ?? 0);
        const to = from + Number(cmd.input.MaxRecords);
        return { Clusters: all.slice(from, to), Marker: to < all.length ? String(to) : undefined };
      })();
    });
    const type = makeRedshiftClusterType({ pageSize: 1 });
    const { refs: seen } = await listAll(type, paged);
    expect(seen.map((r) => r.id).sort()).toEqual(['bare', 'warehouse']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
    calls.length = 0;
    await type.describe(paged, { id: 'bare' });
    expect(calls).toEqual(['DescribeLoggingStatusCommand']);
  });

  it('models a configured cluster with its logging status', async () => {
    const res = (await REDSHIFT_CLUSTER.describe(ctx, { id: 'warehouse' }))!;
    expect(typeKeys(res)).toEqual(REDSHIFT_CLUSTER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('warehouse'),
      ResourceType: 'AWS.Redshift.Cluster',
      AccountId: account,
      Region: REGION,
      Arn: arn('warehouse'),
      Id: null,
      Name: 'warehouse',
      Tags: { team: 'bi' },
      ClusterIdentifier: 'warehouse',
      NodeType: 'ra3.xlplus',
      NumberOfNodes: 2,
      Encrypted: true,
      PubliclyAccessible: false,
      EnhancedVpcRouting: true,
      Endpoint: expect.objectContaining({ Port: 5439, VpcEndpoints: null }),
      HsmStatus: null,
      ElasticIpStatus: null,
      LoggingStatus: {
        LoggingEnabled: true,
        BucketName: BUCKET,
        S3KeyPrefix: 'audit/',
        LastFailureTime: expect.anything(),
        LastFailureMessage: '',
        LogDestinationType: null,
        LogExports: null,
        S3Tables: null,
      },
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.ClusterCreateTime);
    // Clock-driven members are left out so unchanged clusters do not change.
    for (const key of ['ExpectedNextSnapshotScheduleTime', 'NextMaintenanceWindowStartTime']) expect(res).not.toHaveProperty(key);
    expect(res.LoggingStatus).not.toHaveProperty('LastSuccessfulDeliveryTime');
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare cluster without logging', async () => {
    const res = (await REDSHIFT_CLUSTER.describe(ctx, { id: 'bare' }))!;
    expect(res).toMatchObject({ ResourceId: arn('bare'), Name: 'bare', Tags: null, LoggingStatus: expect.objectContaining({ LoggingEnabled: false }) });
  });

  it('returns null for a deleted cluster, also when it goes between the two calls', async () => {
    await redshift.send(
      new CreateClusterCommand({ ClusterIdentifier: 'gone', NodeType: 'ra3.xlplus', ClusterType: 'single-node', MasterUsername: 'admin', MasterUserPassword: 'NotARealPassw0rd' }),
    );
    await redshift.send(new DeleteClusterCommand({ ClusterIdentifier: 'gone', SkipFinalClusterSnapshot: true }));
    expect(await REDSHIFT_CLUSTER.describe(ctx, { id: 'gone' })).toBeNull();
    const between = intercept(ctx, RedshiftClient, (cmd) =>
      cmd.constructor.name === 'DescribeLoggingStatusCommand' ? Promise.reject(awsError('ClusterNotFoundFault', 'Cluster bare not found.')) : undefined,
    );
    expect(await REDSHIFT_CLUSTER.describe(between, { id: 'bare' })).toBeNull();
  });

  it('lets AccessDenied and throttling propagate', async () => {
    const denied = intercept(ctx, RedshiftClient, (cmd) =>
      cmd.constructor.name === 'DescribeLoggingStatusCommand' ? Promise.reject(awsError('AccessDenied', 'not authorized')) : undefined,
    );
    await expect(REDSHIFT_CLUSTER.describe(denied, { id: 'warehouse' })).rejects.toThrow('not authorized');
    const throttled = intercept(ctx, RedshiftClient, (cmd) =>
      cmd.constructor.name === 'DescribeClustersCommand' ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : undefined,
    );
    await expect(REDSHIFT_CLUSTER.list(throttled)).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      REDSHIFT_CLUSTER.events[name]!.refs!(trail('redshift.amazonaws.com', name, req, res));
    expect(refs('CreateCluster', { clusterIdentifier: 'Sales', nodeType: 'ra3.xlplus' }, { clusterIdentifier: 'sales' })).toEqual([{ id: 'sales' }]);
    expect(REDSHIFT_CLUSTER.events.DeleteCluster!.action).toBe('delete');
    expect(refs('ModifyCluster', { clusterIdentifier: 'a', newClusterIdentifier: 'b' })).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(refs('EnableLogging', { clusterIdentifier: 'c', bucketName: 'x' })).toEqual([{ id: 'c' }]);
    expect(refs('CreateTags', { resourceName: arn('d'), tags: [] })).toEqual([{ id: 'd' }]);
    expect(refs('DeleteTags', { resourceName: `arn:aws:redshift:${REGION}:${account}:snapshot:d/s1`, tagKeys: [] })).toEqual([]);
  });
});
