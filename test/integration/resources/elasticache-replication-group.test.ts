import { CreateReplicationGroupCommand, DeleteReplicationGroupCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSessionsReplicationGroup } from '../../../src/local/estate/coverage-apps.ts';
import { ELASTICACHE_REPLICATION_GROUP, makeReplicationGroupType } from '../../../src/resources/elasticache-replication-group.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-south-1';
let ctx: ScanContext;
const arn = (id: string) => `arn:aws:elasticache:${REGION}:${account}:replicationgroup:${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  await createSessionsReplicationGroup(ctx.clients);
  await createSessionsReplicationGroup(ctx.clients, { weak: true });
  await ctx.clients.get(ElastiCacheClient).send(
    new CreateReplicationGroupCommand({ ReplicationGroupId: 'third', ReplicationGroupDescription: 'x', Engine: 'redis', CacheNodeType: 'cache.t4g.micro', NumCacheClusters: 1 }),
  );
});

describe('AWS.ElastiCache.ReplicationGroup', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeReplicationGroupType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, ctx);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.id).sort()).toEqual(['dev-sessions', 'sessions', 'third']);
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models an encrypted, highly available group without its AUTH token', async () => {
    const res = (await ELASTICACHE_REPLICATION_GROUP.describe(ctx, { id: 'sessions' }))!;
    expectDocumentedKeys(res, ELASTICACHE_REPLICATION_GROUP.attributes);
    expect(res).toMatchObject({
      ResourceId: arn('sessions'),
      ResourceType: 'AWS.ElastiCache.ReplicationGroup',
      Arn: arn('sessions'),
      Id: 'sessions',
      Name: 'sessions',
      Tags: { team: 'web' },
      Description: 'Session store',
      AutomaticFailover: 'enabled',
      MultiAZ: 'enabled',
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      AuthTokenEnabled: true,
      SnapshotRetentionLimit: 7,
    });
    expect(JSON.stringify(res)).not.toContain('not-a-real-auth-token');
  });

  it('models a bare group with nulls', async () => {
    const res = (await ELASTICACHE_REPLICATION_GROUP.describe(ctx, { id: 'dev-sessions' }))!;
    expectDocumentedKeys(res, ELASTICACHE_REPLICATION_GROUP.attributes);
    expect(res).toMatchObject({ Tags: null, AutomaticFailover: 'disabled', KmsKeyId: null });
    expect(res.AtRestEncryptionEnabled ?? false).toBe(false);
  });

  it('returns null for a deleted group and lets other errors propagate', async () => {
    const ec = ctx.clients.get(ElastiCacheClient);
    await ec.send(new CreateReplicationGroupCommand({ ReplicationGroupId: 'gone', ReplicationGroupDescription: 'x', Engine: 'redis', CacheNodeType: 'cache.t4g.micro', NumCacheClusters: 1 }));
    await ec.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'gone' }));
    expect(await ELASTICACHE_REPLICATION_GROUP.describe(ctx, { id: 'gone' })).toBeNull();
    const denied = intercept(ctx, ElastiCacheClient, (cmd) =>
      cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('AccessDenied', 'not allowed')) : undefined,
    );
    await expect(ELASTICACHE_REPLICATION_GROUP.describe(denied, { id: 'third' })).rejects.toThrow('not allowed');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = ELASTICACHE_REPLICATION_GROUP.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('elasticache.amazonaws.com', name, req, res));
    expect(refs('CreateReplicationGroup', { replicationGroupId: 'g1', engine: 'redis' }, { replicationGroupId: 'g1' })).toEqual([{ id: 'g1' }]);
    expect(ev.CreateReplicationGroup!.settleSeconds).toBe(120);
    expect(ev.DeleteReplicationGroup!.action).toBe('delete');
    expect(refs('ModifyReplicationGroup', { replicationGroupId: 'g2', automaticFailoverEnabled: true })).toEqual([{ id: 'g2' }]);
    expect(refs('CreateCacheCluster', { cacheClusterId: 'c1', replicationGroupId: 'g3' })).toEqual([{ id: 'g3' }]);
    expect(refs('CreateCacheCluster', { cacheClusterId: 'c1' })).toEqual([]);
    expect(refs('AddTagsToResource', { resourceName: arn('g4') })).toEqual([{ id: 'g4' }]);
    expect(refs('AddTagsToResource', { resourceName: `arn:aws:elasticache:${REGION}:${account}:cluster:c1` })).toEqual([]);
  });
});
