import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateHostedZoneCommand, DeleteHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHostedZones } from '../../../src/local/estate/coverage-apps.ts';
import { makeHostedZoneType, ROUTE53_HOSTED_ZONE } from '../../../src/resources/route53-hosted-zone.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
let ctx: ScanContext;
let zones: { shop: string; internal: string; legacy: string };
const arn = (id: string) => `arn:aws:route53:::hostedzone/${id}`;
const logGroupArn = () => `arn:aws:logs:us-east-1:${account}:log-group:/aws/route53/shop.example.com:*`;

beforeAll(async () => {
  ctx = await scanContext(account, 'us-east-1');
  await ctx.clients.get(CloudWatchLogsClient).send(new CreateLogGroupCommand({ logGroupName: '/aws/route53/shop.example.com' }));
  const vpc = (await ctx.clients.get(EC2Client).send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }))).Vpc!.VpcId!;
  zones = await createHostedZones(ctx.clients, { queryLogGroupArn: logGroupArn(), vpc: { id: vpc, region: 'us-east-1' } });
});

describe('AWS.Route53.HostedZone', () => {
  it('lists across pages with resolvable refs', async () => {
    const type = makeHostedZoneType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, ctx);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.id).sort()).toEqual(Object.values(zones).sort());
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a public zone with DNS query logging, global', async () => {
    const res = (await ROUTE53_HOSTED_ZONE.describe(ctx, { id: zones.shop }))!;
    expectDocumentedKeys(res, ROUTE53_HOSTED_ZONE.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(zones.shop),
      ResourceType: 'AWS.Route53.HostedZone',
      Region: 'global',
      Id: zones.shop,
      Name: 'shop.example.com.',
      Config: { Comment: 'Public zone of the shop', PrivateZone: false },
      DelegationSet: expect.objectContaining({ NameServers: expect.arrayContaining([expect.any(String)]) }),
      VPCs: null,
      QueryLoggingConfigs: [{ Id: expect.any(String), HostedZoneId: zones.shop, CloudWatchLogsLogGroupArn: logGroupArn() }],
    });
  });

  it('models a private zone and a zone without logging with nulls', async () => {
    const internal = (await ROUTE53_HOSTED_ZONE.describe(ctx, { id: `/hostedzone/${zones.internal}` }))!;
    expectDocumentedKeys(internal, ROUTE53_HOSTED_ZONE.attributes);
    expect(internal).toMatchObject({ Id: zones.internal, Config: expect.objectContaining({ PrivateZone: true }), VPCs: [{ VPCRegion: 'us-east-1', VPCId: expect.stringMatching(/^vpc-/) }], QueryLoggingConfigs: null, Tags: null });
    expect((await ROUTE53_HOSTED_ZONE.describe(ctx, { id: zones.legacy }))!.QueryLoggingConfigs).toBeNull();
  });

  it('reads query logging once per scope', async () => {
    const calls: string[] = [];
    const spied = intercept(ctx, Route53Client, (cmd) => {
      calls.push(cmd.constructor.name);
      return undefined;
    });
    await ROUTE53_HOSTED_ZONE.describe(spied, { id: zones.shop });
    await ROUTE53_HOSTED_ZONE.describe(spied, { id: zones.legacy });
    expect(calls.filter((c) => c === 'ListQueryLoggingConfigsCommand')).toHaveLength(1);
  });

  it('returns null for a deleted zone and lets other errors propagate', async () => {
    const r53 = ctx.clients.get(Route53Client);
    const gone = (await r53.send(new CreateHostedZoneCommand({ Name: 'gone.example.', CallerReference: 'gone' }))).HostedZone!.Id!;
    await r53.send(new DeleteHostedZoneCommand({ Id: gone }));
    expect(await ROUTE53_HOSTED_ZONE.describe(ctx, { id: gone.replace('/hostedzone/', '') })).toBeNull();
    const throttled = intercept(ctx, Route53Client, (cmd) => (cmd.constructor.name === 'ListQueryLoggingConfigsCommand' ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : undefined));
    await expect(ROUTE53_HOSTED_ZONE.describe(throttled, { id: zones.legacy })).rejects.toThrow('Rate exceeded');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = ROUTE53_HOSTED_ZONE.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('route53.amazonaws.com', name, req, res));
    expect(refs('CreateHostedZone', { name: 'x.example.', callerReference: 'c' }, { hostedZone: { id: '/hostedzone/Z1', name: 'x.example.' } })).toEqual([{ id: 'Z1' }]);
    expect(ev.DeleteHostedZone!.action).toBe('delete');
    expect(refs('DeleteHostedZone', { id: 'Z2' })).toEqual([{ id: 'Z2' }]);
    expect(refs('CreateQueryLoggingConfig', { hostedZoneId: 'Z3', cloudWatchLogsLogGroupArn: 'a' })).toEqual([{ id: 'Z3' }]);
    expect(refs('ChangeTagsForResource', { resourceType: 'hostedzone', resourceId: 'Z4' })).toEqual([{ id: 'Z4' }]);
    expect(refs('ChangeTagsForResource', { resourceType: 'healthcheck', resourceId: 'h1' })).toEqual([]);
    expect(ev.DeleteQueryLoggingConfig!.action).toBe('rescan-account');
  });
});
