import {
  CreateClusterCommand,
  DeleteClusterCommand,
  ECSClient,
  ListClustersCommand,
} from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProdEcsCluster } from '../../../src/local/estate/compute.ts';
import { clusterNameOf, ECS_CLUSTER, makeEcsClusterType, type EcsClusterRef } from '../../../src/resources/ecs-cluster.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'ca-central-1';
let ctx: ScanContext;
let ecs: ECSClient;
let taskArn: string;

const arn = (name: string) => `arn:aws:ecs:${REGION}:${account}:cluster/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ecs = ctx.clients.get(ECSClient);
  taskArn = await createProdEcsCluster(ctx.clients);
  await ecs.send(new CreateClusterCommand({ clusterName: 'bare' }));
});

describe('AWS.ECS.Cluster', () => {
  it('lists across pages, describing each page in one call', async () => {
    const calls: string[] = [];
    // moto ignores maxResults: page its full answer.
    const spy = intercept(ctx, ECSClient, (cmd, send) => {
      calls.push(`${cmd.constructor.name}:${JSON.stringify(cmd.input.clusters ?? cmd.input.maxResults ?? null)}`);
      if (cmd.constructor.name !== 'ListClustersCommand') return undefined;
      return (async () => {
        const all = ((await send(new ListClustersCommand({}))) as { clusterArns: string[] }).clusterArns;
        const from = Number(cmd.input.nextToken ?? 0);
        const to = from + Number(cmd.input.maxResults);
        return { clusterArns: all.slice(from, to), nextToken: to < all.length ? String(to) : undefined };
      })();
    });
    const type = makeEcsClusterType({ pageSize: 1 });
    const seen: EcsClusterRef[] = [];
    let token: string | undefined;
    do {
      const page = await type.list(spy, token);
      expect(page.refs.length).toBeLessThanOrEqual(1);
      seen.push(...page.refs);
      token = page.nextPageToken;
    } while (token);
    expect(seen.map((r) => r.name).sort()).toEqual(['bare', 'prod']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
    expect(calls.filter((c) => c.startsWith('ListClusters'))).toEqual(['ListClustersCommand:1', 'ListClustersCommand:1']);
    expect(calls.filter((c) => c.startsWith('DescribeClusters'))).toHaveLength(2);
    // Listed clusters are described from the page: only services and tasks are asked.
    calls.length = 0;
    await type.describe(spy, { name: 'bare' });
    expect(calls.map((c) => c.split(':')[0]).sort()).toEqual(['ListServicesCommand', 'ListTasksCommand']);
  });

  it('models a cluster with settings, services and tasks (PascalCase at every depth)', async () => {
    const res = (await ECS_CLUSTER.describe(ctx, { name: 'prod' }))!;
    expect(typeKeys(res)).toEqual(ECS_CLUSTER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('prod'),
      ResourceType: 'AWS.ECS.Cluster',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: arn('prod'),
      Id: null,
      Name: 'prod',
      Tags: { team: 'ops' },
      ClusterArn: arn('prod'),
      ClusterName: 'prod',
      Status: 'ACTIVE',
      Settings: [{ Name: 'containerInsights', Value: 'enabled' }],
      Configuration: {
        ExecuteCommandConfiguration: {
          KmsKeyId: null,
          Logging: 'OVERRIDE',
          LogConfiguration: expect.objectContaining({ CloudWatchLogGroupName: '/ecs/exec', CloudWatchEncryptionEnabled: true, S3BucketName: null }),
        },
        ManagedStorageConfiguration: null,
      },
      ActiveServicesCount: expect.any(Number),
      ServiceConnectDefaults: null,
    });
    const services = res.Services as Record<string, unknown>[];
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({
      ServiceName: 'web',
      ServiceArn: expect.stringContaining(':service/'),
      ClusterArn: arn('prod'),
      DesiredCount: 1,
      Tags: [{ Key: 'svc', Value: 'web' }],
      LoadBalancers: [],
      PlatformVersion: null,
      // moto answers an empty networkConfiguration; every modeled member is still present.
      NetworkConfiguration: { AwsvpcConfiguration: null },
    });
    // moto does not keep enableExecuteCommand; the key is there (null).
    expect(services[0]).toHaveProperty('EnableExecuteCommand');
    expect(services[0]).not.toHaveProperty('Events');
    const tasks = res.Tasks as Record<string, unknown>[];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ TaskArn: taskArn, ClusterArn: arn('prod'), LaunchType: 'FARGATE', Tags: [{ Key: 'job', Value: 'batch' }], StoppedReason: expect.anything() });
    expect(Object.keys(tasks[0]!)).toContain('EnableExecuteCommand');
    expect(tasks[0]!.Containers).toEqual([expect.objectContaining({ Name: 'web', ContainerArn: expect.any(String) })]);
    if (tasks[0]!.CreatedAt !== null) expect(tasks[0]!.CreatedAt).toMatch(RFC3339);
    // No camelCase keys anywhere but inside tag/label maps.
    const camel = (v: unknown, path: string): string[] =>
      Array.isArray(v)
        ? v.flatMap((x, i) => camel(x, `${path}[${i}]`))
        : v && typeof v === 'object'
          ? Object.entries(v).flatMap(([k, x]) => (/^[a-z]/.test(k) ? [`${path}.${k}`] : camel(x, `${path}.${k}`)))
          : [];
    expect(camel({ ...res, Tags: null }, '')).toEqual([]);
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare cluster with null collections', async () => {
    const res = (await ECS_CLUSTER.describe(ctx, { name: 'bare' }))!;
    expect(res).toMatchObject({ ResourceId: arn('bare'), Name: 'bare', Tags: null, Services: null, Tasks: null, Configuration: null, CapacityProviders: null });
  });

  it('returns null for a deleted or missing cluster', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'gone' }));
    await ecs.send(new DeleteClusterCommand({ cluster: 'gone' }));
    // A deleted cluster is answered as INACTIVE; an unknown one in `failures`.
    expect(await ECS_CLUSTER.describe(ctx, { name: 'gone' })).toBeNull();
    expect(await ECS_CLUSTER.describe(ctx, { name: 'never' })).toBeNull();
    expect((await ECS_CLUSTER.list(ctx)).refs.map((r) => r.name)).not.toContain('gone');
    const between = intercept(ctx, ECSClient, (cmd) =>
      cmd.constructor.name === 'ListTasksCommand' ? Promise.reject(awsError('ClusterNotFoundException', 'Cluster not found.')) : undefined,
    );
    expect(await ECS_CLUSTER.describe(between, { name: 'bare' })).toBeNull();
  });

  it('lets AccessDenied and throttling propagate', async () => {
    const denied = intercept(ctx, ECSClient, (cmd) =>
      cmd.constructor.name === 'DescribeServicesCommand' ? Promise.reject(awsError('AccessDeniedException', 'not authorized')) : undefined,
    );
    await expect(ECS_CLUSTER.describe(denied, { name: 'prod' })).rejects.toThrow('not authorized');
    const throttled = intercept(ctx, ECSClient, (cmd) =>
      cmd.constructor.name === 'ListClustersCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined,
    );
    await expect(ECS_CLUSTER.list(throttled)).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) =>
      ECS_CLUSTER.events[name]!.refs!(trail('ecs.amazonaws.com', name, req, res));
    expect(refs('CreateCluster', { clusterName: 'a' }, { cluster: { clusterArn: arn('a'), clusterName: 'a' } })).toEqual([{ name: 'a' }]);
    expect(refs('CreateCluster', {}, { cluster: { clusterArn: arn('default'), clusterName: 'default' } })).toEqual([{ name: 'default' }]);
    expect(ECS_CLUSTER.events.DeleteCluster!.action).toBe('delete');
    expect(refs('DeleteCluster', { cluster: arn('b') })).toEqual([{ name: 'b' }]);
    expect(refs('UpdateClusterSettings', { cluster: 'c', settings: [] })).toEqual([{ name: 'c' }]);
    expect(refs('CreateService', { serviceName: 's', cluster: 'd' }, { service: { clusterArn: arn('d') } })).toEqual([{ name: 'd' }]);
    // No cluster named: the ECS API's default cluster.
    expect(refs('RunTask', { taskDefinition: 'web', count: 1 })).toEqual([{ name: 'default' }]);
    expect(refs('TagResource', { resourceArn: `arn:aws:ecs:${REGION}:${account}:service/e/web`, tags: [] })).toEqual([{ name: 'e' }]);
    expect(refs('UntagResource', { resourceArn: `arn:aws:ecs:${REGION}:${account}:task-definition/web:1`, tagKeys: ['a'] })).toEqual([]);
    expect(clusterNameOf(`arn:aws:ecs:${REGION}:${account}:task/f/0123`)).toBe('f');
    expect(clusterNameOf(`arn:aws:ecs:${REGION}:${account}:task/0123`)).toBeUndefined();
  });
});
