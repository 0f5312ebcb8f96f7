import { CreateClusterCommand, DeleteClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProdEksCluster } from '../../../src/local/estate/compute.ts';
import { EKS_CLUSTER, makeEksClusterType } from '../../../src/resources/eks-cluster.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-3';
const KEY = `arn:aws:kms:${REGION}:${account}:key/eks`;
let ctx: ScanContext;
let eks: EKSClient;

const arn = (name: string) => `arn:aws:eks:${REGION}:${account}:cluster/${name}`;
const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  eks = ctx.clients.get(EKSClient);
  await createProdEksCluster(ctx.clients, account, { subnetIds: ['subnet-a', 'subnet-b'], keyArn: KEY });
  await eks.send(new CreateClusterCommand({ name: 'bare', roleArn: role('eks-cluster'), resourcesVpcConfig: { subnetIds: ['subnet-a'] } }));
});

describe('AWS.EKS.Cluster', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto ignores maxResults: page its full answer.
    const sizes: unknown[] = [];
    const paged = intercept(ctx, EKSClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListClustersCommand') return undefined;
      sizes.push(cmd.input.maxResults);
      return (async () => {
        const all = ((await send(new ListClustersCommand({}))) as { clusters: string[] }).clusters;
        const from = Number(cmd.input.nextToken ?? 0);
        const to = from + Number(cmd.input.maxResults);
        return { clusters: all.slice(from, to), nextToken: to < all.length ? String(to) : undefined };
      })();
    });
    const type = makeEksClusterType({ pageSize: 1 });
    const { refs: seen } = await listAll(type, paged);
    expect(sizes).toEqual([1, 1]);
    expect(seen.map((r) => r.name).sort()).toEqual(['bare', 'prod']);
    for (const ref of seen) expect(type.resourceId(ctx, ref)).toBe(arn(ref.name));
  });

  it('models a cluster with node groups and Fargate profiles (PascalCase at every depth)', async () => {
    const res = (await EKS_CLUSTER.describe(ctx, { name: 'prod' }))!;
    expect(typeKeys(res)).toEqual(EKS_CLUSTER.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: arn('prod'),
      ResourceType: 'AWS.EKS.Cluster',
      AccountId: account,
      Region: REGION,
      Arn: arn('prod'),
      Id: null,
      Name: 'prod',
      Tags: { team: 'platform' },
      Version: '1.30',
      RoleArn: role('eks-cluster'),
      Status: 'ACTIVE',
      ResourcesVpcConfig: {
        SubnetIds: ['subnet-a', 'subnet-b'],
        SecurityGroupIds: null,
        ClusterSecurityGroupId: null,
        VpcId: null,
        EndpointPublicAccess: true,
        EndpointPrivateAccess: false,
        PublicAccessCidrs: ['0.0.0.0/0'],
      },
      Logging: { ClusterLogging: [{ Types: ['api', 'audit'], Enabled: true }] },
      EncryptionConfig: [{ Resources: ['secrets'], Provider: { KeyArn: KEY } }],
      Identity: { Oidc: { Issuer: expect.stringContaining('oidc.eks') } },
      AccessConfig: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreatedAt);
    const groups = res.NodeGroup as Record<string, unknown>[];
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      NodegroupName: 'web',
      ClusterName: 'prod',
      NodeRole: role('eks-node'),
      ScalingConfig: { MinSize: 1, MaxSize: 3, DesiredSize: 2 },
      RemoteAccess: { Ec2SshKey: 'ops', SourceSecurityGroups: null },
      // Map keys are data: label and tag keys stay as written.
      Labels: { 'app.kubernetes.io/role': 'web' },
      Tags: { pool: 'web' },
      LaunchTemplate: null,
    });
    expect(groups[0]!.CreatedAt).toMatch(RFC3339);
    const profiles = res.FargateProfile as Record<string, unknown>[];
    expect(profiles).toEqual([
      expect.objectContaining({
        FargateProfileName: 'jobs',
        PodExecutionRoleArn: role('eks-pods'),
        Selectors: [{ Namespace: 'jobs', Labels: { tier: 'batch' } }],
        Health: null,
      }),
    ]);
    expect(JSON.stringify(res)).not.toContain('$metadata');
    expect(JSON.stringify(res)).not.toMatch(/"(name|arn|resourcesVpcConfig|nodegroupName)":/);
  });

  it('models a bare cluster with null collections', async () => {
    const res = (await EKS_CLUSTER.describe(ctx, { name: 'bare' }))!;
    expect(res).toMatchObject({ ResourceId: arn('bare'), Name: 'bare', Tags: null, NodeGroup: null, FargateProfile: null });
    // AWS fields stay as answered: moto sends an empty encryptionConfig list.
    expect(res.EncryptionConfig ?? []).toEqual([]);
  });

  it('returns null for a deleted cluster, and leaves out a node group deleted since its listing', async () => {
    await eks.send(new CreateClusterCommand({ name: 'gone', roleArn: role('eks-cluster'), resourcesVpcConfig: { subnetIds: ['subnet-a'] } }));
    await eks.send(new DeleteClusterCommand({ name: 'gone' }));
    expect(await EKS_CLUSTER.describe(ctx, { name: 'gone' })).toBeNull();
    const raced = intercept(ctx, EKSClient, (cmd) =>
      cmd.constructor.name === 'DescribeNodegroupCommand' ? Promise.reject(awsError('ResourceNotFoundException', 'No node group found')) : undefined,
    );
    expect(await EKS_CLUSTER.describe(raced, { name: 'prod' })).toMatchObject({ Name: 'prod', NodeGroup: null, FargateProfile: [expect.anything()] });
  });

  it('lets AccessDenied and throttling propagate', async () => {
    const denied = intercept(ctx, EKSClient, (cmd) =>
      cmd.constructor.name === 'ListFargateProfilesCommand' ? Promise.reject(awsError('AccessDeniedException', 'not authorized')) : undefined,
    );
    await expect(EKS_CLUSTER.describe(denied, { name: 'prod' })).rejects.toThrow('not authorized');
    const throttled = intercept(ctx, EKSClient, (cmd) =>
      cmd.constructor.name === 'ListClustersCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined,
    );
    await expect(EKS_CLUSTER.list(throttled)).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      EKS_CLUSTER.events[name]!.refs!(trail('eks.amazonaws.com', name, req, res));
    expect(refs('CreateCluster', { name: 'a', roleArn: 'r' }, { cluster: { name: 'a', arn: arn('a') } })).toEqual([{ name: 'a' }]);
    expect(EKS_CLUSTER.events.DeleteCluster!.action).toBe('delete');
    expect(refs('DeleteCluster', { name: 'a' })).toEqual([{ name: 'a' }]);
    expect(refs('UpdateClusterConfig', { name: 'b', resourcesVpcConfig: { endpointPublicAccess: true } })).toEqual([{ name: 'b' }]);
    expect(refs('CreateNodegroup', { clusterName: 'c', nodegroupName: 'n' })).toEqual([{ name: 'c' }]);
    expect(refs('DeleteFargateProfile', { clusterName: 'd', fargateProfileName: 'f' })).toEqual([{ name: 'd' }]);
    expect(refs('TagResource', { resourceArn: `arn:aws:eks:${REGION}:${account}:nodegroup/e/n/uuid`, tags: {} })).toEqual([{ name: 'e' }]);
    expect(refs('UntagResource', { resourceArn: `arn:aws:eks:${REGION}:${account}:cluster/f`, tagKeys: [] })).toEqual([{ name: 'f' }]);
  });
});
