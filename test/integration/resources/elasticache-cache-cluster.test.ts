import { CreateCacheClusterCommand, DeleteCacheClusterCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCacheSubnetGroup, createJobsCache, createScratchCache } from '../../../src/local/estate/coverage-apps.ts';
import { ELASTICACHE_CACHE_CLUSTER, makeCacheClusterType } from '../../../src/resources/elasticache-cache-cluster.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
let ctx: ScanContext;
const arn = (id: string) => `arn:aws:elasticache:${REGION}:${account}:cluster:${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const ec2 = ctx.clients.get(EC2Client);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.60.1.0/24' }))).Subnet!.SubnetId!;
  await createJobsCache(ctx.clients, { subnetGroup: await createCacheSubnetGroup(ctx.clients, [subnet]) });
  await createScratchCache(ctx.clients);
  await ctx.clients.get(ElastiCacheClient).send(new CreateCacheClusterCommand({ CacheClusterId: 'third', Engine: 'redis', CacheNodeType: 'cache.t4g.micro', NumCacheNodes: 1 }));
});

describe('AWS.ElastiCache.CacheCluster', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeCacheClusterType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, ctx);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.id).sort()).toEqual(['jobs', 'scratch', 'third']);
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a configured cluster, from the listed page without describing it again', async () => {
    const calls: string[] = [];
    const spied = intercept(ctx, ElastiCacheClient, (cmd) => {
      calls.push(cmd.constructor.name);
      return undefined;
    });
    await ELASTICACHE_CACHE_CLUSTER.list(spied);
    const res = (await ELASTICACHE_CACHE_CLUSTER.describe(spied, { id: 'jobs' }))!;
    expect(calls).toEqual(['DescribeCacheClustersCommand', 'ListTagsForResourceCommand']);
    expectDocumentedKeys(res, ELASTICACHE_CACHE_CLUSTER.attributes);
    expect(res).toMatchObject({
      ResourceId: arn('jobs'),
      ResourceType: 'AWS.ElastiCache.CacheCluster',
      Arn: arn('jobs'),
      ARN: arn('jobs'),
      Id: 'jobs',
      Name: 'jobs',
      Region: REGION,
      AccountId: account,
      Tags: { team: 'platform' },
      Engine: 'redis',
      CacheSubnetGroupName: 'cache-private',
      TransitEncryptionEnabled: true,
      SnapshotRetentionLimit: 7,
      AutoMinorVersionUpgrade: true,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CacheClusterCreateTime);
  });

  it('models a bare cluster with nulls', async () => {
    const res = (await ELASTICACHE_CACHE_CLUSTER.describe(ctx, { id: 'scratch' }))!;
    expectDocumentedKeys(res, ELASTICACHE_CACHE_CLUSTER.attributes);
    expect(res).toMatchObject({ Tags: null, Engine: 'memcached', AutoMinorVersionUpgrade: false, ReplicationGroupId: null, NumCacheNodes: 2 });
  });

  it('returns null for a deleted cluster and lets other errors propagate', async () => {
    const ec = ctx.clients.get(ElastiCacheClient);
    await ec.send(new CreateCacheClusterCommand({ CacheClusterId: 'gone', Engine: 'redis', CacheNodeType: 'cache.t4g.micro', NumCacheNodes: 1 }));
    await ec.send(new DeleteCacheClusterCommand({ CacheClusterId: 'gone' }));
    expect(await ELASTICACHE_CACHE_CLUSTER.describe(ctx, { id: 'gone' })).toBeNull();
    const between = intercept(ctx, ElastiCacheClient, (cmd) =>
      cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('CacheClusterNotFound', 'gone')) : undefined,
    );
    expect(await ELASTICACHE_CACHE_CLUSTER.describe(between, { id: 'third' })).toBeNull();
    const throttled = intercept(ctx, ElastiCacheClient, (cmd) =>
      cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : undefined,
    );
    await expect(ELASTICACHE_CACHE_CLUSTER.describe(throttled, { id: 'third' })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = ELASTICACHE_CACHE_CLUSTER.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('elasticache.amazonaws.com', name, req, res));
    expect(refs('CreateCacheCluster', { cacheClusterId: 'c1', engine: 'redis' })).toEqual([{ id: 'c1' }]);
    expect(ev.CreateCacheCluster!.settleSeconds).toBe(120);
    expect(refs('CreateReplicationGroup', { replicationGroupId: 'g1' }, { replicationGroupId: 'g1', memberClusters: ['g1-001', 'g1-002'] })).toEqual([{ id: 'g1-001' }, { id: 'g1-002' }]);
    expect(ev.DeleteCacheCluster!.action).toBe('delete');
    expect(refs('ModifyCacheCluster', { cacheClusterId: 'c2', snapshotRetentionLimit: 7 })).toEqual([{ id: 'c2' }]);
    expect(refs('AddTagsToResource', { resourceName: arn('c3'), tags: [] })).toEqual([{ id: 'c3' }]);
    expect(refs('RemoveTagsFromResource', { resourceName: `arn:aws:elasticache:${REGION}:${account}:replicationgroup:g2` })).toEqual([]);
  });
});
