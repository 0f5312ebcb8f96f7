import {
  CreateNetworkAclCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkAclCommand,
  DescribeNetworkAclsCommand,
  EC2Client,
  type DescribeNetworkAclsCommandOutput,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebNetworkAcl } from '../../../src/local/estate/network.ts';
import { EC2_NETWORK_ACL, makeNetworkAclType } from '../../../src/resources/ec2-network-acl.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'ca-central-1';
let ctx: ScanContext;
let ec2: EC2Client;
let vpcId: string;
let subnetId: string;
let defaultAclId: string;
let webAclId: string;
let bareAclId: string;

const arn = (id: string) => `arn:aws:ec2:${REGION}:${account}:network-acl/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ec2 = ctx.clients.get(EC2Client);
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }))).Vpc!.VpcId!;
  subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.40.1.0/24' }))).Subnet!.SubnetId!;
  ({ aclId: webAclId, defaultAclId } = await createWebNetworkAcl(ctx.clients, { vpcId, subnetId }));
  bareAclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
});

describe('AWS.EC2.NetworkACL', () => {
  it('lists the region\'s ACLs (default ones included), paged, described from the page', async () => {
    const asked: Record<string, unknown>[] = [];
    // moto ignores MaxResults on DescribeNetworkAcls: the full answer is sliced here.
    const paged = intercept(ctx, EC2Client, (cmd, send) => {
      if (!(cmd instanceof DescribeNetworkAclsCommand)) return undefined;
      asked.push(cmd.input as Record<string, unknown>);
      if (!cmd.input.MaxResults) return undefined;
      return (async () => {
        const all = (await send(new DescribeNetworkAclsCommand({}))) as DescribeNetworkAclsCommandOutput;
        const { page, next } = sliced(all.NetworkAcls ?? [], cmd.input.MaxResults!, cmd.input.NextToken);
        return { ...all, NetworkAcls: page, NextToken: next };
      })();
    });
    const whole = await EC2_NETWORK_ACL.list(ctx);
    expect(whole.nextPageToken).toBeUndefined();
    // The region's default VPC comes with a default ACL too.
    expect(whole.refs.map((r) => r.networkAclId)).toEqual(expect.arrayContaining([defaultAclId, webAclId, bareAclId]));
    const type = makeNetworkAclType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, paged);
    expect(refs.map((r) => r.networkAclId).sort()).toEqual(whole.refs.map((r) => r.networkAclId).sort());
    expect(pages).toBe(Math.ceil(whole.refs.length / 2));
    expect(asked.every((i) => i.MaxResults === 2)).toBe(true);
    const calls = asked.length;
    expect((await type.describe(paged, { networkAclId: webAclId }))?.Id).toBe(webAclId);
    expect(asked).toHaveLength(calls);
    for (const ref of refs) expect(EC2_NETWORK_ACL.resourceId(ctx, ref)).toBe(arn(ref.networkAclId));
  });

  it('models an ACL with rules, an association and tags field by field', async () => {
    const res = (await EC2_NETWORK_ACL.describe(ctx, { networkAclId: webAclId }))!;
    expectDocumentedKeys(res, EC2_NETWORK_ACL.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(webAclId),
      ResourceType: 'AWS.EC2.NetworkACL',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: arn(webAclId),
      Id: webAclId,
      Name: null,
      Tags: { tier: 'web' },
      NetworkAclId: webAclId,
      IsDefault: false,
      VpcId: vpcId,
      OwnerId: account,
      Associations: [{ NetworkAclAssociationId: expect.stringMatching(/^aclassoc-/), NetworkAclId: webAclId, SubnetId: subnetId }],
    });
    const entries = res.Entries as Record<string, unknown>[];
    expect(entries).toContainEqual({
      CidrBlock: '0.0.0.0/0',
      Egress: false,
      IcmpTypeCode: null,
      Ipv6CidrBlock: null,
      PortRange: { From: 22, To: 22 },
      Protocol: '6',
      RuleAction: 'allow',
      RuleNumber: 100,
    });
    expect(entries).toContainEqual(expect.objectContaining({ Egress: true, Ipv6CidrBlock: '::/0', Protocol: '-1', RuleAction: 'deny', RuleNumber: 200, PortRange: null }));
  });

  it('models a default and a bare ACL', async () => {
    const def = (await EC2_NETWORK_ACL.describe(ctx, { networkAclId: defaultAclId }))!;
    expect(def).toMatchObject({ IsDefault: true, Tags: null, Associations: [] });
    expect((def.Entries as unknown[]).length).toBeGreaterThan(0);
    const bare = (await EC2_NETWORK_ACL.describe(ctx, { networkAclId: bareAclId }))!;
    expectDocumentedKeys(bare, EC2_NETWORK_ACL.attributes);
    expect(bare).toMatchObject({ IsDefault: false, Tags: null, Associations: [], VpcId: vpcId });
  });

  it('returns null for a deleted ACL', async () => {
    const gone = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    await ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: gone }));
    expect(await EC2_NETWORK_ACL.describe(ctx, { networkAclId: gone })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) =>
      EC2_NETWORK_ACL.events[name]!.refs!(trail('ec2.amazonaws.com', name, req, res));
    expect(refs('CreateNetworkAcl', { vpcId: 'vpc-11111111' }, { networkAcl: { networkAclId: 'acl-0aaaaaaaaaaaaaaa1', vpcId: 'vpc-11111111', entrySet: {} } })).toEqual([
      { networkAclId: 'acl-0aaaaaaaaaaaaaaa1' },
    ]);
    expect(refs('CreateNetworkAclEntry', { networkAclId: 'acl-22222222', ruleNumber: 100, egress: false, ruleAction: 'allow', aclProtocol: '6' })).toEqual([{ networkAclId: 'acl-22222222' }]);
    expect(EC2_NETWORK_ACL.events.DeleteNetworkAcl!.action).toBe('delete');
    expect(refs('DeleteNetworkAcl', { networkAclId: 'acl-33333333' })).toEqual([{ networkAclId: 'acl-33333333' }]);
    expect(refs('CreateTags', { resourcesSet: { items: [{ resourceId: 'acl-44444444' }, { resourceId: 'vpc-55555555' }] } })).toEqual([{ networkAclId: 'acl-44444444' }]);
    // The ACL losing the subnet is not named: the region is rescanned.
    expect(EC2_NETWORK_ACL.events.ReplaceNetworkAclAssociation!.action).toBe('rescan-region');
    expect(EC2_NETWORK_ACL.events.CreateVpc!.action).toBe('rescan-region');
  });
});
