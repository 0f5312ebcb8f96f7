import { DeleteClusterCommand, KafkaClient, type ListClustersV2CommandOutput } from '@aws-sdk/client-kafka';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/core/paths.ts';
import { PythonWorker } from '../../../src/local/python-worker.ts';
import { createClicksServerlessCluster, createEventsCluster } from '../../../src/local/estate/streaming.ts';
import { makeMskClusterType, MSK_CLUSTER } from '../../../src/resources/msk-cluster.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'eu-north-1';
const SUBNETS = ['subnet-0a', 'subnet-0b', 'subnet-0c'];
let ctx: ScanContext;
let events: string;
let legacy: string;
let clicks: string;

/** `ctx` with ListClustersV2 paged as the API reference documents it (moto ignores MaxResults and
 *  NextToken) and every DescribeClusterV2 call counted. */
function paged(base: ScanContext, describes: string[] = []): ScanContext {
  return intercept(base, KafkaClient, (cmd, send) => {
    if (cmd.constructor.name === 'DescribeClusterV2Command') describes.push(String(cmd.input.ClusterArn));
    if (cmd.constructor.name !== 'ListClustersV2Command') return undefined;
    return send(cmd).then((all) => {
      const { page, next } = sliced((all as ListClustersV2CommandOutput).ClusterInfoList ?? [], cmd.input.MaxResults as number, cmd.input.NextToken as string | undefined);
      return { ClusterInfoList: page, NextToken: next };
    });
  });
}

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  events = await createEventsCluster(ctx.clients, { subnetIds: SUBNETS, securityGroupIds: ['sg-0a'], kmsKeyArn: `arn:aws:kms:${REGION}:${account}:key/k1`, logGroup: '/msk/events' });
  legacy = await createEventsCluster(ctx.clients, { subnetIds: SUBNETS, weak: true });
  clicks = await createClicksServerlessCluster(ctx.clients, { subnetIds: SUBNETS.slice(0, 2), securityGroupIds: ['sg-0a'] });
});

describe('AWS.MSK.Cluster', () => {
  it('lists provisioned and serverless clusters across pages, describing the listed ones without another call', async () => {
    const describes: string[] = [];
    const scope = paged(ctx, describes);
    const type = makeMskClusterType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, scope);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.arn).sort()).toEqual([events, legacy, clicks].sort());
    expect(clicks).toContain(':serverless-cluster/');
    for (const ref of refs) {
      expect(type.resourceId(ctx, ref)).toBe(ref.arn);
      expect((await type.describe(scope, ref))!.ResourceId).toBe(ref.arn);
    }
    expect(describes).toEqual([]);
  });

  it('models a provisioned cluster as the Cluster shape: private, TLS everywhere, IAM only, per-topic monitoring', async () => {
    const res = (await MSK_CLUSTER.describe(ctx, { arn: events }))!;
    expectDocumentedKeys(res, MSK_CLUSTER.attributes);
    expect(res).toMatchObject({
      ResourceType: 'AWS.MSK.Cluster',
      AccountId: account,
      Region: REGION,
      Arn: events,
      Id: events.split('/').pop(),
      Name: 'events',
      Tags: { team: 'events' },
      ClusterArn: events,
      ClusterName: 'events',
      ClusterType: 'PROVISIONED',
      Serverless: null,
      Provisioned: {
        NumberOfBrokerNodes: 3,
        BrokerNodeGroupInfo: expect.objectContaining({ ClientSubnets: SUBNETS, ConnectivityInfo: expect.objectContaining({ PublicAccess: { Type: 'DISABLED' } }) }),
        EncryptionInfo: { EncryptionAtRest: { DataVolumeKMSKeyId: `arn:aws:kms:${REGION}:${account}:key/k1` }, EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
        ClientAuthentication: expect.objectContaining({ Unauthenticated: { Enabled: false }, Sasl: expect.objectContaining({ Iam: { Enabled: true } }) }),
        EnhancedMonitoring: 'PER_TOPIC_PER_BROKER',
        LoggingInfo: { BrokerLogs: expect.objectContaining({ CloudWatchLogs: { Enabled: true, LogGroup: '/msk/events' } }) },
        CurrentBrokerSoftwareInfo: expect.objectContaining({ KafkaVersion: '3.6.0' }),
      },
    });
    // Every member of a nested shape is present (null when unset), as Panther-model policies expect.
    expect(res.Provisioned).toHaveProperty('OpenMonitoring');
    expect((res.Provisioned as { ClientAuthentication: { Tls: unknown } }).ClientAuthentication.Tls).toEqual({ CertificateAuthorityArnList: null, Enabled: false });
    // moto writes a zone-less creation time; the emulator's patch 18 answers UTC as AWS does.
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.CreationTime).toBe(res.TimeCreated);
  });

  it('models the misconfigured and the serverless cluster', async () => {
    const weak = (await MSK_CLUSTER.describe(ctx, { arn: legacy }))!;
    expectDocumentedKeys(weak, MSK_CLUSTER.attributes);
    expect(weak).toMatchObject({
      Tags: null,
      Provisioned: {
        BrokerNodeGroupInfo: expect.objectContaining({ ConnectivityInfo: expect.objectContaining({ PublicAccess: { Type: 'SERVICE_PROVIDED_EIPS' } }) }),
        EncryptionInfo: { EncryptionAtRest: null, EncryptionInTransit: { ClientBroker: 'PLAINTEXT', InCluster: false } },
        ClientAuthentication: expect.objectContaining({ Unauthenticated: { Enabled: true } }),
        EnhancedMonitoring: 'DEFAULT',
      },
    });
    const serverless = (await MSK_CLUSTER.describe(ctx, { arn: clicks }))!;
    expectDocumentedKeys(serverless, MSK_CLUSTER.attributes);
    expect(serverless).toMatchObject({
      Name: 'clicks',
      Tags: { team: 'analytics' },
      ClusterType: 'SERVERLESS',
      Provisioned: null,
      Serverless: { VpcConfigs: [{ SubnetIds: SUBNETS.slice(0, 2), SecurityGroupIds: ['sg-0a'] }], ClientAuthentication: { Sasl: { Iam: { Enabled: true } } } },
    });
  });

  it('a rescan (no listing) reads DescribeClusterV2 and models the same cluster as the listing; creation times are stable', async () => {
    const describes: string[] = [];
    const listed = paged(ctx);
    await listAll(MSK_CLUSTER, listed);
    const fromList = await MSK_CLUSTER.describe(listed, { arn: events });
    const fresh = paged(ctx, describes);
    const rescanned = await MSK_CLUSTER.describe(fresh, { arn: events });
    expect(describes).toEqual([events]);
    expect(rescanned).toEqual(fromList);
  });

  it('returns null for a deleted or deleting cluster and lets other errors propagate', async () => {
    const kafka = ctx.clients.get(KafkaClient);
    const gone = await createEventsCluster(ctx.clients, { subnetIds: SUBNETS.slice(0, 1), weak: true });
    await kafka.send(new DeleteClusterCommand({ ClusterArn: gone }));
    // moto crashed (HTTP 500) on an unknown cluster; patch 18 answers NotFoundException as AWS does.
    expect(await MSK_CLUSTER.describe(ctx, { arn: gone })).toBeNull();
    // moto removes a cluster at once; AWS shows it DELETING first (answered as the API reference documents it).
    const deleting = intercept(ctx, KafkaClient, (cmd, send) =>
      cmd.constructor.name === 'DescribeClusterV2Command'
        ? send(cmd).then((out) => ({ ClusterInfo: { ...(out as { ClusterInfo: object }).ClusterInfo, State: 'DELETING' } }))
        : undefined,
    );
    expect(await MSK_CLUSTER.describe(deleting, { arn: events })).toBeNull();
    const denied = intercept(ctx, KafkaClient, (cmd) => (cmd.constructor.name === 'DescribeClusterV2Command' ? Promise.reject(awsError('ForbiddenException', 'not allowed')) : undefined));
    await expect(MSK_CLUSTER.describe(denied, { arn: events })).rejects.toThrow('not allowed');
  });

  it('the built-in MSK policies pass the well-configured and the serverless cluster and fail every control on the legacy one', async () => {
    const worker = await PythonWorker.start({ policyDirs: [join(projectRoot, 'policies/aws_msk_policies'), join(projectRoot, 'policies/global_helpers')], resourceTypes: [MSK_CLUSTER.type] });
    try {
      const controls = ['AWS.MSK.Cluster.EnhancedMonitoring', 'AWS.MSK.Cluster.InClusterEncryption', 'AWS.MSK.Cluster.PublicAccess', 'AWS.MSK.Cluster.UnauthenticatedAccess'];
      expect(worker.ready.policies).toEqual(controls);
      const modeled = await Promise.all([events, legacy, clicks].map(async (arn) => (await MSK_CLUSTER.describe(ctx, { arn }))!));
      const results = await worker.evaluate(modeled);
      const statuses = (arn: string) => results.filter((r) => r.resourceId === arn).map((r) => `${r.policyId} ${r.status}`).sort();
      expect(statuses(events)).toEqual(controls.map((c) => `${c} PASS`));
      expect(statuses(clicks)).toEqual(controls.map((c) => `${c} PASS`));
      expect(statuses(legacy)).toEqual(controls.map((c) => `${c} FAIL`));
    } finally {
      await worker.stop();
    }
  });

  it('maps CloudTrail events to the clusters they name, settling new clusters', () => {
    const ev = MSK_CLUSTER.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) => ev[name]!.refs!(trail('kafka.amazonaws.com', name, req, res));
    const arn = `arn:aws:kafka:${REGION}:${account}:cluster/events/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-5`;
    const serverless = `arn:aws:kafka:${REGION}:${account}:serverless-cluster/clicks/0d3f5e2a-1111-2222-3333-444455556666-s1`;
    expect(refs('CreateCluster', { clusterName: 'events' }, { clusterArn: arn, clusterName: 'events', state: 'CREATING' })).toEqual([{ arn }]);
    expect(refs('CreateClusterV2', { clusterName: 'clicks' }, { clusterArn: serverless, clusterType: 'SERVERLESS' })).toEqual([{ arn: serverless }]);
    expect(ev.CreateCluster!.settleSeconds).toBe(120);
    expect(ev.CreateClusterV2!.settleSeconds).toBe(120);
    expect(ev.DeleteCluster!.action).toBe('delete');
    expect(refs('DeleteCluster', { clusterArn: arn })).toEqual([{ arn }]);
    for (const name of ['UpdateSecurity', 'UpdateConnectivity', 'UpdateMonitoring', 'UpdateBrokerCount', 'UpdateBrokerStorage', 'UpdateBrokerType', 'UpdateClusterConfiguration', 'UpdateClusterKafkaVersion']) {
      expect(ev[name]!.action).toBe('rescan');
      expect(refs(name, { clusterArn: arn, currentVersion: 'K3AEGXETSR30VB' })).toEqual([{ arn }]);
    }
    expect(refs('TagResource', { resourceArn: serverless, tags: { a: 'b' } })).toEqual([{ arn: serverless }]);
    expect(refs('UntagResource', { resourceArn: arn, tagKeys: ['a'] })).toEqual([{ arn }]);
    // Tags on an MSK configuration or replicator name no cluster.
    expect(refs('TagResource', { resourceArn: `arn:aws:kafka:${REGION}:${account}:configuration/base/abc-1`, tags: {} })).toEqual([]);
  });
});
