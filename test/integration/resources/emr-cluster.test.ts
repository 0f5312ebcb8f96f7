import { EMRClient, ListClustersCommand, RunJobFlowCommand, TerminateJobFlowsCommand, type ClusterState, type ListClustersCommandOutput } from '@aws-sdk/client-emr';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmrCluster } from '../../../src/local/estate/coverage-apps.ts';
import { EMR_CLUSTER, makeEmrClusterType } from '../../../src/resources/emr-cluster.ts';
import { getResourceType } from '../../../src/resources/index.ts';
import { REDACTED } from '../../../src/resources/redact.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-west-1';
let ctx: ScanContext;
let analytics: string;
let legacy: string;
let bare: string;
const arn = (id: string) => `arn:aws:elasticmapreduce:${REGION}:${account}:cluster/${id}`;
const bareCluster = (Name: string) =>
  new RunJobFlowCommand({ Name, ReleaseLabel: 'emr-7.1.0', Instances: { MasterInstanceType: 'm5.xlarge', InstanceCount: 1, KeepJobFlowAliveWhenNoSteps: true }, JobFlowRole: 'EMR_EC2_DefaultRole', ServiceRole: 'EMR_DefaultRole' });

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  const ec2 = ctx.clients.get(EC2Client);
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.90.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.90.1.0/24' }))).Subnet!.SubnetId!;
  analytics = await createEmrCluster(ctx.clients, { logBucket: 'logs', subnetId: subnet, kmsKeyArn: `arn:aws:kms:${REGION}:${account}:key/k1` });
  legacy = await createEmrCluster(ctx.clients, { logBucket: 'logs', weak: true });
  bare = (await ctx.clients.get(EMRClient).send(bareCluster('bare'))).JobFlowId!;
});

describe('AWS.EMR.Cluster', () => {
  it('lists active clusters across pages with resolvable refs', async () => {
    // moto answers every cluster at once (AWS: up to 50 and a Marker): paged here as documented.
    const paged = intercept(ctx, EMRClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListClustersCommand') return undefined;
      // The fake marker is ours: moto gets the request without it.
      return send(new ListClustersCommand({ ClusterStates: cmd.input.ClusterStates as ClusterState[] })).then((all) => {
        const clusters = (all as ListClustersCommandOutput).Clusters ?? [];
        const from = Number(cmd.input.Marker ?? 0);
        return { Clusters: clusters.slice(from, from + 2), Marker: from + 2 < clusters.length ? String(from + 2) : undefined };
      });
    });
    const { refs, pages } = await listAll(makeEmrClusterType({ pageSize: 1 }), paged);
    expect(pages).toBe(3);
    expect(refs.map((r) => r.id).sort()).toEqual([analytics, legacy, bare].sort());
    for (const ref of refs) expect(EMR_CLUSTER.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a cluster with its primary node and security configuration, configuration values redacted', async () => {
    const res = (await getResourceType('AWS.EMR.Cluster').describe(ctx, { id: analytics }))!;
    expectDocumentedKeys(res, EMR_CLUSTER.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(analytics),
      ResourceType: 'AWS.EMR.Cluster',
      Id: analytics,
      Name: 'analytics-emr',
      Tags: { team: 'analytics' },
      ReleaseLabel: 'emr-7.1.0',
      SecurityConfiguration: 'emr-encrypted',
      TerminationProtected: true,
      Configurations: [expect.objectContaining({ Classification: 'hive-site', Properties: { 'javax.jdo.option.ConnectionUserName': REDACTED, 'javax.jdo.option.ConnectionPassword': REDACTED } })],
      MasterInstances: [expect.objectContaining({ Ec2InstanceId: expect.any(String) })],
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(JSON.parse(res.SecurityConfigurationDetail as string)).toMatchObject({ EncryptionConfiguration: { EnableAtRestEncryption: true, EnableInTransitEncryption: true } });
    expect(JSON.stringify(res)).not.toContain('not-a-real-metastore-password');
  });

  it('models a cluster without a security configuration with nulls', async () => {
    const res = (await EMR_CLUSTER.describe(ctx, { id: legacy }))!;
    expectDocumentedKeys(res, EMR_CLUSTER.attributes);
    expect(res).toMatchObject({ Tags: null, SecurityConfiguration: null, SecurityConfigurationDetail: null });
  });

  it('returns null for a terminated or unknown cluster and lets other errors propagate', async () => {
    const emr = ctx.clients.get(EMRClient);
    const gone = (await emr.send(bareCluster('gone'))).JobFlowId!;
    await emr.send(new TerminateJobFlowsCommand({ JobFlowIds: [gone] }));
    expect(await EMR_CLUSTER.describe(ctx, { id: gone })).toBeNull();
    const unknown = intercept(ctx, EMRClient, (cmd) => (cmd.constructor.name === 'DescribeClusterCommand' ? Promise.reject(awsError('InvalidRequestException', "Cluster id 'j-XYZ' is not valid.")) : undefined));
    expect(await EMR_CLUSTER.describe(unknown, { id: 'j-XYZ' })).toBeNull();
    const throttled = intercept(ctx, EMRClient, (cmd) => (cmd.constructor.name === 'ListInstancesCommand' ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded')) : undefined));
    await expect(EMR_CLUSTER.describe(throttled, { id: bare })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs, settling new clusters', () => {
    const ev = EMR_CLUSTER.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('elasticmapreduce.amazonaws.com', name, req, res));
    expect(refs('RunJobFlow', { name: 'x', releaseLabel: 'emr-7.1.0' }, { jobFlowId: 'j-1', clusterArn: arn('j-1') })).toEqual([{ id: 'j-1' }]);
    expect(ev.RunJobFlow!.settleSeconds).toBe(120);
    expect(ev.TerminateJobFlows!.action).toBe('delete');
    expect(refs('TerminateJobFlows', { jobFlowIds: ['j-2', 'j-3'] })).toEqual([{ id: 'j-2' }, { id: 'j-3' }]);
    expect(refs('ModifyCluster', { clusterId: 'j-4', stepConcurrencyLevel: 2 })).toEqual([{ id: 'j-4' }]);
    expect(refs('AddTags', { resourceId: 'j-5', tags: [] })).toEqual([{ id: 'j-5' }]);
  });
});
