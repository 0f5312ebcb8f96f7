import {
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type DescribeSecurityGroupsCommandOutput,
} from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientCtor } from '../../../src/aws/clients.ts';
import { createWebSecurityGroup } from '../../../src/local/estate/network.ts';
import { EC2_SECURITY_GROUP, makeSecurityGroupType, type SecurityGroupRef } from '../../../src/resources/ec2-security-group.ts';
import type { CloudTrailDetail, ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const REGION = 'eu-central-1';
let ctx: ScanContext;
let ec2: EC2Client;
let vpcId: string;
let webId: string;
let appId: string;
let bareId: string;
let prefixListId: string;

const arn = (id: string) => `arn:aws:ec2:${REGION}:${account}:security-group/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  ec2 = ctx.clients.get(EC2Client);
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
  ({ webId, appId, prefixListId } = await createWebSecurityGroup(ctx.clients, vpcId));
  bareId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bare', Description: 'nothing here', VpcId: vpcId }))).GroupId!;
});

/** Makes moto's DescribeSecurityGroups page (it ignores MaxResults/NextToken) by slicing its
 *  full answer, and records each call's MaxResults (0: a call by group ID). */
function pagedContext(base: ScanContext, asked: number[]): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: (cmd: object) => Promise<unknown> };
    if (ctor !== (EC2Client as unknown)) return client;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (cmd: DescribeSecurityGroupsCommand) => {
          if (!(cmd instanceof DescribeSecurityGroupsCommand)) return target.send(cmd);
          asked.push(cmd.input.MaxResults ?? 0);
          if (!cmd.input.MaxResults) return target.send(cmd);
          const all = (await target.send(new DescribeSecurityGroupsCommand({}))) as DescribeSecurityGroupsCommandOutput;
          const from = Number(cmd.input.NextToken ?? 0);
          const to = from + cmd.input.MaxResults;
          const groups = all.SecurityGroups ?? [];
          return { ...all, SecurityGroups: groups.slice(from, to), NextToken: to < groups.length ? String(to) : undefined };
        };
      },
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

describe('AWS.EC2.SecurityGroup', () => {
  it('lists the region\'s groups, with resolvable refs', async () => {
    const page = await EC2_SECURITY_GROUP.list(ctx);
    // moto ignores MaxResults and answers everything at once: no continuation token.
    expect(page.nextPageToken).toBeUndefined();
    const ids = page.refs.map((r) => r.groupId);
    expect(ids).toEqual(expect.arrayContaining([webId, appId, bareId]));
    for (const ref of page.refs) expect(EC2_SECURITY_GROUP.resourceId(ctx, ref)).toBe(arn(ref.groupId));
  });

  it('follows NextToken across pages', async () => {
    const all = (await EC2_SECURITY_GROUP.list(ctx)).refs.map((r) => r.groupId).sort();
    expect(all.length).toBeGreaterThanOrEqual(5); // 2 default groups + app, web, bare
    const asked: number[] = [];
    const paged = pagedContext(ctx, asked);
    const type = makeSecurityGroupType({ pageSize: 2 });
    const seen: SecurityGroupRef[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await type.list(paged, token);
      expect(page.refs.length).toBeLessThanOrEqual(2);
      seen.push(...page.refs);
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(asked.every((n) => n === 2)).toBe(true);
    expect(seen.map((r) => r.groupId).sort()).toEqual(all);
    // Listed groups are described from the page, without another API call.
    const calls = asked.length;
    const web = await type.describe(paged, { groupId: webId });
    expect(web?.GroupName).toBe('web');
    expect(asked).toHaveLength(calls);
    // A second describe in the same scope asks AWS.
    await type.describe(paged, { groupId: webId });
    expect(asked.slice(calls)).toEqual([0]);
  });

  it('models a group with rules and tags', async () => {
    const res = (await EC2_SECURITY_GROUP.describe(await scanContext(account, REGION), { groupId: webId }))!;
    expect(Object.keys(res).sort()).toEqual(
      [
        'AccountId', 'Arn', 'Description', 'GroupId', 'GroupName', 'Id', 'IpPermissions', 'IpPermissionsEgress', 'Name', 'OwnerId',
        'Region', 'ResourceId', 'ResourceType', 'Tags', 'TimeCreated', 'VpcId',
      ].sort(),
    );
    expect(res).toMatchObject({
      ResourceId: arn(webId),
      ResourceType: 'AWS.EC2.SecurityGroup',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: arn(webId),
      Id: webId,
      Name: 'web',
      Tags: { team: 'edge', Name: 'web-sg' },
      Description: 'web tier',
      GroupId: webId,
      GroupName: 'web',
      OwnerId: account,
      VpcId: vpcId,
    });
    const ingress = res.IpPermissions as Record<string, unknown>[];
    expect(ingress).toHaveLength(2);
    const ssh = ingress.find((p) => p.FromPort === 22)!;
    expect(ssh).toEqual({
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      UserIdGroupPairs: [],
      IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh from anywhere' }],
      Ipv6Ranges: [],
      PrefixListIds: [],
    });
    const https = ingress.find((p) => p.FromPort === 443)!;
    expect(https.Ipv6Ranges).toEqual([{ CidrIpv6: '::/0', Description: null }]);
    expect(https.PrefixListIds).toEqual([{ PrefixListId: prefixListId, Description: null }]);
    const egress = res.IpPermissionsEgress as Record<string, unknown>[];
    // The default allow-all egress rule plus the one to the app tier.
    expect(egress).toContainEqual(expect.objectContaining({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0', Description: null }] }));
    const toApp = egress.find((p) => p.FromPort === 8080)!;
    expect(toApp.UserIdGroupPairs).toEqual([
      expect.objectContaining({ GroupId: appId, Description: 'to app', UserId: account, PeeringStatus: null, VpcPeeringConnectionId: null }),
    ]);
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare group', async () => {
    const res = (await EC2_SECURITY_GROUP.describe(ctx, { groupId: bareId }))!;
    expect(res).toMatchObject({ ResourceId: arn(bareId), Name: 'bare', Tags: null, IpPermissions: [], VpcId: vpcId, Description: 'nothing here' });
    expect(res.IpPermissionsEgress).toHaveLength(1);
  });

  it('returns null for a deleted group', async () => {
    const gone = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'gone', Description: 'to delete', VpcId: vpcId }))).GroupId!;
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: gone }));
    expect(await EC2_SECURITY_GROUP.describe(ctx, { groupId: gone })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const detail = (eventName: string, requestParameters: Record<string, unknown>, responseElements: Record<string, unknown> | null = null): CloudTrailDetail => ({
      eventID: 'e',
      eventName,
      eventSource: 'ec2.amazonaws.com',
      eventTime: '2025-01-01T00:00:00Z',
      awsRegion: REGION,
      requestParameters,
      responseElements,
    });
    const refs = (d: CloudTrailDetail) => EC2_SECURITY_GROUP.events[d.eventName]!.refs!(d);
    expect(refs(detail('CreateSecurityGroup', { groupName: 'x', groupDescription: 'y' }, { _return: true, groupId: 'sg-1' }))).toEqual([{ groupId: 'sg-1' }]);
    expect(EC2_SECURITY_GROUP.events.DeleteSecurityGroup!.action).toBe('delete');
    expect(refs(detail('DeleteSecurityGroup', { groupId: 'sg-2' }))).toEqual([{ groupId: 'sg-2' }]);
    // By name (default VPC): the created rules name the group.
    expect(
      refs(detail('AuthorizeSecurityGroupIngress', { groupName: 'default' }, { securityGroupRuleSet: { items: [{ groupId: 'sg-3', securityGroupRuleId: 'sgr-1' }] } })),
    ).toEqual([{ groupId: 'sg-3' }]);
    expect(refs(detail('ModifySecurityGroupRules', { ModifySecurityGroupRulesRequest: { GroupId: 'sg-4', SecurityGroupRule: {} } }))).toEqual([{ groupId: 'sg-4' }]);
    expect(
      refs(detail('CreateTags', { resourcesSet: { items: [{ resourceId: 'i-1' }, { resourceId: 'sg-5' }] }, tagSet: { items: [{ key: 'a', value: 'b' }] } })),
    ).toEqual([{ groupId: 'sg-5' }]);
    expect(refs(detail('DeleteTags', { resourcesSet: { items: [{ resourceId: 'vpc-1' }] } }))).toEqual([]);
    expect(EC2_SECURITY_GROUP.events.CreateVpc!.action).toBe('rescan-region');
  });
});
