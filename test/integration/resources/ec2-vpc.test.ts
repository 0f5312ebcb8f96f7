import {
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeStaleSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type DescribeVpcsCommandOutput,
} from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMainVpc } from '../../../src/local/estate/network.ts';
import { EC2_VPC, makeVpcType } from '../../../src/resources/ec2-vpc.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'sa-east-1';
let ctx: ScanContext;
let ec2: EC2Client;
let mainId: string;
let bareId: string;
let aclId: string;
let rtbId: string;
let igwId: string;
let sgId: string;
let bucket: string;

const arn = (id: string) => `arn:aws:ec2:${REGION}:${account}:vpc/${id}`;

/** DescribeStaleSecurityGroups as the EC2 API reference documents its answer (moto lacks the call). */
function staleAnswer(vpcId: string, groupId: string) {
  return {
    StaleSecurityGroupSet: [
      {
        Description: 'app tier',
        GroupId: groupId,
        GroupName: 'app',
        StaleIpPermissions: [
          {
            FromPort: 5432,
            IpProtocol: 'tcp',
            ToPort: 5432,
            UserIdGroupPairs: [{ GroupId: 'sg-0deadbeefdeadbeef', PeeringStatus: 'deleted', UserId: '111122223333', VpcId: 'vpc-0feedfacefeedface', VpcPeeringConnectionId: 'pcx-0123456789abcdef0' }],
          },
        ],
        StaleIpPermissionsEgress: [],
        VpcId: vpcId,
      },
    ],
  };
}

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ec2 = ctx.clients.get(EC2Client);
  bucket = `flow-logs-${account}`;
  await ctx.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  ({ vpcId: mainId, aclId, igwId, rtbId, sgId } = await createMainVpc(ctx.clients, { flowLogBucket: bucket }));
  bareId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
});

describe('AWS.EC2.VPC', () => {
  it('lists the region\'s VPCs, paged, described from the page', async () => {
    const asked: Record<string, unknown>[] = [];
    // moto ignores MaxResults on DescribeVpcs: the full answer is sliced here.
    const paged = intercept(ctx, EC2Client, (cmd, send) => {
      if (!(cmd instanceof DescribeVpcsCommand)) return undefined;
      asked.push(cmd.input);
      if (!cmd.input.MaxResults) return undefined;
      return (async () => {
        const all = (await send(new DescribeVpcsCommand({}))) as DescribeVpcsCommandOutput;
        const { page, next } = sliced(all.Vpcs ?? [], cmd.input.MaxResults!, cmd.input.NextToken);
        return { ...all, Vpcs: page, NextToken: next };
      })();
    });
    const type = makeVpcType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, paged);
    // The default VPC and the two created here.
    expect(refs).toHaveLength(3);
    expect(refs.map((r) => r.vpcId)).toEqual(expect.arrayContaining([mainId, bareId]));
    expect(pages).toBe(2);
    for (const ref of refs) expect(EC2_VPC.resourceId(ctx, ref)).toBe(arn(ref.vpcId));
    const calls = asked.length;
    expect((await type.describe(paged, { vpcId: bareId }))?.Id).toBe(bareId);
    expect(asked).toHaveLength(calls);
  });

  it('models a VPC with flow logs, ACLs, route tables and security groups (moto: no stale-group call)', async () => {
    const started = Date.now();
    const res = (await EC2_VPC.describe(await scanContext(account, REGION), { vpcId: mainId }))!;
    // The unimplemented call fails fast (an HTML 500 page, not retried eight times).
    expect(Date.now() - started).toBeLessThan(1500);
    expectDocumentedKeys(res, EC2_VPC.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(mainId),
      ResourceType: 'AWS.EC2.VPC',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: arn(mainId),
      Id: mainId,
      Name: null,
      Tags: { Name: 'main' },
      VpcId: mainId,
      CidrBlock: '10.50.0.0/16',
      IsDefault: false,
      OwnerId: account,
      State: 'available',
      InstanceTenancy: 'default',
      CidrBlockAssociationSet: [{ AssociationId: expect.any(String), CidrBlock: '10.50.0.0/16', CidrBlockState: { State: 'associated', StatusMessage: null } }],
      // moto does not implement DescribeStaleSecurityGroups: unknown, rendered as null.
      StaleSecurityGroups: null,
    });
    expect(res.FlowLogs).toEqual([
      expect.objectContaining({ ResourceId: mainId, TrafficType: 'REJECT', LogDestinationType: 's3', LogDestination: `arn:aws:s3:::${bucket}`, FlowLogStatus: 'ACTIVE', Tags: null, LogGroupName: null }),
    ]);
    const acls = res.NetworkAcls as Record<string, unknown>[];
    expect(acls.map((a) => a.NetworkAclId)).toEqual(acls.map((a) => a.NetworkAclId as string).sort());
    expect(acls).toHaveLength(2);
    expect(acls.find((a) => a.NetworkAclId === aclId)).toMatchObject({ IsDefault: false, Tags: { tier: 'db' }, VpcId: mainId, Entries: expect.any(Array) });
    const defaultAcl = acls.find((a) => a.IsDefault)!;
    expect(res.DefaultNetworkAclId).toBe(defaultAcl.NetworkAclId);
    const tables = res.RouteTables as Record<string, unknown>[];
    expect(tables).toHaveLength(2);
    expect(tables.find((t) => t.RouteTableId === rtbId)).toMatchObject({
      VpcId: mainId,
      Tags: null,
      // Every RouteTable member is present (moto leaves PropagatingVgws out: null).
      PropagatingVgws: null,
      Routes: expect.arrayContaining([expect.objectContaining({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId, NatGatewayId: null, State: 'active' })]),
    });
    const groups = res.SecurityGroups as Record<string, unknown>[];
    expect(groups.map((g) => g.GroupName).sort()).toEqual(['app', 'default']);
    expect(res.DefaultSecurityGroupId).toBe(groups.find((g) => g.GroupName === 'default')!.GroupId);
    expect(groups.find((g) => g.GroupId === sgId)).toMatchObject({
      Description: 'app tier',
      Tags: null,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: null }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
    });
  });

  it('asks DescribeStaleSecurityGroups once per scope when the endpoint lacks it', async () => {
    const stale: unknown[] = [];
    const spy = intercept(ctx, EC2Client, (cmd) => {
      if (cmd instanceof DescribeStaleSecurityGroupsCommand) stale.push(cmd.input);
      return undefined;
    });
    await EC2_VPC.describe(spy, { vpcId: mainId });
    await EC2_VPC.describe(spy, { vpcId: bareId });
    expect(stale).toEqual([{ VpcId: mainId, MaxResults: 255 }]);
  });

  it('models stale security groups as DescribeStaleSecurityGroups answers them (all pages)', async () => {
    const asked: Record<string, unknown>[] = [];
    // moto lacks the call: answered as the EC2 API reference documents it, in two pages.
    const stub = intercept(ctx, EC2Client, (cmd) => {
      if (!(cmd instanceof DescribeStaleSecurityGroupsCommand)) return undefined;
      asked.push(cmd.input);
      return Promise.resolve(cmd.input.NextToken ? { StaleSecurityGroupSet: [] } : { ...staleAnswer(mainId, sgId), NextToken: 'page-2' });
    });
    const res = (await EC2_VPC.describe(stub, { vpcId: mainId }))!;
    expect(asked.map((i) => i.NextToken)).toEqual([undefined, 'page-2']);
    expect(res.StaleSecurityGroups).toEqual([
      {
        Description: 'app tier',
        GroupId: sgId,
        GroupName: 'app',
        StaleIpPermissions: [
          {
            FromPort: 5432,
            IpProtocol: 'tcp',
            IpRanges: null,
            PrefixListIds: null,
            ToPort: 5432,
            UserIdGroupPairs: [
              { Description: null, UserId: '111122223333', GroupName: null, GroupId: 'sg-0deadbeefdeadbeef', VpcId: 'vpc-0feedfacefeedface', VpcPeeringConnectionId: 'pcx-0123456789abcdef0', PeeringStatus: 'deleted' },
            ],
          },
        ],
        StaleIpPermissionsEgress: [],
        VpcId: mainId,
      },
    ]);
  });

  it('models a bare VPC: default ACL, main route table and default group only', async () => {
    const res = (await EC2_VPC.describe(ctx, { vpcId: bareId }))!;
    expectDocumentedKeys(res, EC2_VPC.attributes);
    expect(res).toMatchObject({ Id: bareId, Tags: null, FlowLogs: null, StaleSecurityGroups: null, DefaultNetworkAclId: expect.stringMatching(/^acl-/), DefaultSecurityGroupId: expect.stringMatching(/^sg-/) });
    expect(res.NetworkAcls).toEqual([expect.objectContaining({ IsDefault: true, NetworkAclId: res.DefaultNetworkAclId })]);
    expect(res.SecurityGroups).toEqual([expect.objectContaining({ GroupName: 'default', GroupId: res.DefaultSecurityGroupId })]);
    expect(res.RouteTables).toEqual([expect.objectContaining({ Associations: [expect.objectContaining({ Main: true })] })]);
  });

  it('returns null for a deleted VPC', async () => {
    const gone = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }))).Vpc!.VpcId!;
    await ec2.send(new DeleteVpcCommand({ VpcId: gone }));
    expect(await EC2_VPC.describe(ctx, { vpcId: gone })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) =>
      EC2_VPC.events[name]!.refs!(trail('ec2.amazonaws.com', name, req, res));
    expect(refs('CreateVpc', { cidrBlock: '10.0.0.0/16' }, { vpc: { vpcId: 'vpc-0aaaaaaaaaaaaaaa1', state: 'pending', cidrBlock: '10.0.0.0/16' } })).toEqual([
      { vpcId: 'vpc-0aaaaaaaaaaaaaaa1' },
    ]);
    expect(EC2_VPC.events.DeleteVpc!.action).toBe('delete');
    expect(refs('DeleteVpc', { vpcId: 'vpc-11111111' })).toEqual([{ vpcId: 'vpc-11111111' }]);
    // CloudTrail records CreateFlowLogs with {content, tag} pairs.
    expect(
      refs('CreateFlowLogs', { CreateFlowLogsRequest: { ResourceId: { content: 'vpc-22222222', tag: 1 }, ResourceType: 'VPC', TrafficType: 'ALL' } }, { CreateFlowLogsResponse: { flowLogIdSet: { item: 'fl-1' } } }),
    ).toEqual([{ vpcId: 'vpc-22222222' }]);
    expect(refs('CreateRouteTable', { vpcId: 'vpc-33333333' }, { routeTable: { routeTableId: 'rtb-1', vpcId: 'vpc-33333333' } })).toEqual([{ vpcId: 'vpc-33333333' }]);
    expect(refs('CreateTags', { resourcesSet: { items: [{ resourceId: 'vpc-44444444' }, { resourceId: 'subnet-55555555' }] } })).toEqual([{ vpcId: 'vpc-44444444' }]);
    // Rule and route changes name only the group, ACL or table: the region's VPCs are rescanned.
    for (const name of ['AuthorizeSecurityGroupIngress', 'CreateNetworkAclEntry', 'CreateRoute', 'DeleteFlowLogs', 'CreateSecurityGroup']) {
      expect(EC2_VPC.events[name]!.action, name).toBe('rescan-region');
    }
  });
});
