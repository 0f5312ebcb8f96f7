import { CloudFrontClient, ListDistributionsByWebACLIdCommand } from '@aws-sdk/client-cloudfront';
import {
  DeleteWebACLCommand,
  GetWebACLCommand,
  ListResourcesForWebACLCommand,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEdgeWebAcl, createWebAcl } from '../../../src/local/estate/security-services.ts';
import { makeWebAclType, PROTECTED_RESOURCE_TYPES, WAFV2_WEB_ACL, webAclRefs } from '../../../src/resources/wafv2-web-acl.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'us-east-1';
let ctx: ScanContext;
let waf: WAFV2Client;
let edge: { name: string; id: string; arn: string };
let bare: { name: string; id: string; arn: string };
let cdn: { name: string; id: string; arn: string };
const logGroup = () => `arn:aws:logs:${REGION}:${account}:log-group:aws-waf-logs-edge`;
const alb = () => `arn:aws:elasticloadbalancing:${REGION}:${account}:loadbalancer/app/web/50dc6c495c0c9188`;
const stage = () => `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5/stages/prod`;

const create = (input: Parameters<typeof createWebAcl>[1]) => createWebAcl(ctx.clients, input);

/** ListResourcesForWebACL as the WAFv2 API reference documents it (moto lacks the call): the ALB
 *  and the API stage for `edge`, nothing for other web ACLs; Amplify answered as a type the
 *  region does not offer. */
function regionalAssociations(base: ScanContext, asked: string[] = []): ScanContext {
  return intercept(base, WAFV2Client, (cmd) => {
    if (!(cmd instanceof ListResourcesForWebACLCommand)) return undefined;
    asked.push(cmd.input.ResourceType!);
    if (cmd.input.ResourceType === 'AMPLIFY') return Promise.reject(awsError('WAFInvalidParameterException', 'The resource type is not valid here.'));
    if (cmd.input.WebACLArn !== edge.arn) return Promise.resolve({ ResourceArns: [] });
    const byType: Record<string, string[]> = { APPLICATION_LOAD_BALANCER: [alb()], API_GATEWAY: [stage()] };
    return Promise.resolve({ ResourceArns: byType[cmd.input.ResourceType!] ?? [] });
  });
}

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  waf = ctx.clients.get(WAFV2Client);
  edge = await createEdgeWebAcl(ctx.clients, logGroup());
  bare = await create({ Name: 'bare', Scope: 'REGIONAL', DefaultAction: { Block: {} } });
  cdn = await create({ Name: 'cdn', Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
});

describe('AWS.WAFv2.WebACL', () => {
  it('lists REGIONAL web ACLs, then in us-east-1 the CLOUDFRONT ones, page by page', async () => {
    // moto pages ListWebACLs by Limit.
    const { refs, pages } = await listAll(makeWebAclType({ pageSize: 1 }), ctx);
    expect(refs).toEqual(
      expect.arrayContaining([
        { scope: 'REGIONAL', name: 'edge', id: edge.id },
        { scope: 'REGIONAL', name: 'bare', id: bare.id },
        { scope: 'CLOUDFRONT', name: 'cdn', id: cdn.id },
      ]),
    );
    expect(refs).toHaveLength(3);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      const expected = { edge, bare, cdn }[ref.name as 'edge' | 'bare' | 'cdn'].arn;
      expect(WAFV2_WEB_ACL.resourceId(ctx, ref)).toBe(expected);
    }
  });

  it('lists no CLOUDFRONT scope outside us-east-1', async () => {
    const elsewhere = await scanContext(account, 'eu-central-1');
    const first = await WAFV2_WEB_ACL.list(elsewhere);
    expect(first).toEqual({ refs: [] });
  });

  it('models a REGIONAL web ACL with rules, tags, logging and protected resources, field by field', async () => {
    const asked: string[] = [];
    const res = (await WAFV2_WEB_ACL.describe(regionalAssociations(ctx, asked), { scope: 'REGIONAL', name: 'edge', id: edge.id }))!;
    expectDocumentedKeys(res, WAFV2_WEB_ACL.attributes);
    expect(asked.sort()).toEqual([...PROTECTED_RESOURCE_TYPES].sort());
    expect(res).toMatchObject({
      ResourceId: edge.arn,
      ResourceType: 'AWS.WAFv2.WebACL',
      TimeCreated: null,
      AccountId: account,
      Region: REGION,
      Arn: edge.arn,
      Id: edge.id,
      Name: 'edge',
      Tags: { team: 'edge' },
      ARN: edge.arn,
      Scope: 'REGIONAL',
      Description: 'public edge',
      DefaultAction: { Allow: { CustomRequestHandling: null }, Block: null },
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'edge' },
      LoggingConfiguration: { ResourceArn: edge.arn, LogDestinationConfigs: [logGroup()], RedactedFields: null, LoggingFilter: null, LogType: null, LogScope: null },
      Resources: [stage(), alb()].sort(),
    });
    const rules = res.Rules as Record<string, Record<string, unknown>>[];
    expect(rules.map((r) => r.Name)).toEqual(['common', 'rate']);
    expect(rules[0]!.Statement!.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet', Version: null });
    expect(rules[0]!.Statement!.ByteMatchStatement).toBeNull();
    expect(rules[0]!.OverrideAction).toEqual({ Count: null, None: {} });
    expect(rules[1]).toMatchObject({ Priority: 1, Action: expect.objectContaining({ Block: { CustomResponse: null }, Allow: null }), Statement: expect.objectContaining({ RateBasedStatement: expect.objectContaining({ Limit: 1000, AggregateKeyType: 'IP' }) }) });
  });

  it('models a bare web ACL: no tags, no logging, nothing protected', async () => {
    const res = (await WAFV2_WEB_ACL.describe(regionalAssociations(ctx), { scope: 'REGIONAL', name: 'bare', id: bare.id }))!;
    expectDocumentedKeys(res, WAFV2_WEB_ACL.attributes);
    expect(res).toMatchObject({ Name: 'bare', Tags: null, LoggingConfiguration: null, Resources: null, Rules: [], DefaultAction: { Allow: null, Block: { CustomResponse: null } } });
  });

  it('renders Resources null, fast and once per scope, where the endpoint lacks ListResourcesForWebACL (moto)', async () => {
    const asked: string[] = [];
    const spy = intercept(ctx, WAFV2Client, (cmd) => {
      if (cmd instanceof ListResourcesForWebACLCommand) asked.push(cmd.input.ResourceType!);
      return undefined;
    });
    const started = Date.now();
    const res = (await WAFV2_WEB_ACL.describe(spy, { scope: 'REGIONAL', name: 'edge', id: edge.id }))!;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.Resources).toBeNull();
    expect(res.LoggingConfiguration).not.toBeNull();
    const before = asked.length;
    await WAFV2_WEB_ACL.describe(spy, { scope: 'REGIONAL', name: 'bare', id: bare.id });
    expect(asked).toHaveLength(before);
  });

  it('models a CLOUDFRONT web ACL with the distributions that use it (all pages)', async () => {
    const asked: (string | undefined)[] = [];
    // ListDistributionsByWebACLId as the CloudFront API reference documents it (moto lacks it).
    const cf = intercept(ctx, CloudFrontClient, (cmd) => {
      if (!(cmd instanceof ListDistributionsByWebACLIdCommand)) return undefined;
      expect(cmd.input.WebACLId).toBe(cdn.arn);
      asked.push(cmd.input.Marker);
      const item = (id: string) => ({ Id: id, ARN: `arn:aws:cloudfront::${account}:distribution/${id}`, DomainName: `${id.toLowerCase()}.cloudfront.net`, Status: 'Deployed' });
      return Promise.resolve(
        cmd.input.Marker
          ? { DistributionList: { Marker: 'E2', MaxItems: 100, IsTruncated: false, Quantity: 1, Items: [item('E2BBBBBBBBBBBB')] } }
          : { DistributionList: { Marker: '', NextMarker: 'E2', MaxItems: 100, IsTruncated: true, Quantity: 1, Items: [item('E1AAAAAAAAAAAA')] } },
      );
    });
    const res = (await WAFV2_WEB_ACL.describe(cf, { scope: 'CLOUDFRONT', name: 'cdn', id: cdn.id }))!;
    expectDocumentedKeys(res, WAFV2_WEB_ACL.attributes);
    expect(asked).toEqual([undefined, 'E2']);
    expect(res).toMatchObject({
      ResourceId: cdn.arn,
      Arn: cdn.arn,
      Region: REGION,
      Scope: 'CLOUDFRONT',
      Resources: [`arn:aws:cloudfront::${account}:distribution/E1AAAAAAAAAAAA`, `arn:aws:cloudfront::${account}:distribution/E2BBBBBBBBBBBB`],
    });
    expect(cdn.arn).toContain(':global/webacl/cdn/');
    // Against moto itself the call is missing: Resources unknown (null).
    expect((await WAFV2_WEB_ACL.describe(ctx, { scope: 'CLOUDFRONT', name: 'cdn', id: cdn.id }))!.Resources).toBeNull();
  });

  it('returns null for a deleted web ACL', async () => {
    const gone = await create({ Name: 'gone', Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const { LockToken } = await waf.send(new GetWebACLCommand({ Name: gone.name, Scope: 'REGIONAL', Id: gone.id }));
    await waf.send(new DeleteWebACLCommand({ Name: gone.name, Scope: 'REGIONAL', Id: gone.id, LockToken }));
    expect(await WAFV2_WEB_ACL.describe(ctx, { scope: 'REGIONAL', name: gone.name, id: gone.id })).toBeNull();
  });

  it('maps CloudTrail events to refs', () => {
    const acl = `arn:aws:wafv2:${REGION}:123456789012:regional/webacl/edge/0b8c5d7e-1111-2222-3333-444455556666`;
    const ref = { scope: 'REGIONAL', name: 'edge', id: '0b8c5d7e-1111-2222-3333-444455556666' };
    const refs = (name: string, req: Record<string, unknown> | null, res: Record<string, unknown> | null = null) =>
      WAFV2_WEB_ACL.events[name]!.refs!(trail('wafv2.amazonaws.com', name, req, res));
    // CloudTrail lower-cases the first letter of each member: ARN becomes aRN.
    expect(refs('CreateWebACL', { name: 'edge', scope: 'REGIONAL', defaultAction: { allow: {} } }, { summary: { name: 'edge', id: ref.id, lockToken: 't', aRN: acl } })).toEqual([ref]);
    expect(refs('UpdateWebACL', { name: 'edge', scope: 'REGIONAL', id: ref.id, lockToken: 't' }, { nextLockToken: 'u' })).toEqual([ref]);
    expect(WAFV2_WEB_ACL.events.DeleteWebACL!.action).toBe('delete');
    expect(refs('DeleteWebACL', { name: 'cdn', scope: 'CLOUDFRONT', id: 'abc', lockToken: 't' })).toEqual([{ scope: 'CLOUDFRONT', name: 'cdn', id: 'abc' }]);
    expect(refs('AssociateWebACL', { webACLArn: acl, resourceArn: alb() })).toEqual([ref]);
    expect(refs('PutLoggingConfiguration', { loggingConfiguration: { resourceArn: acl, logDestinationConfigs: [logGroup()] } })).toEqual([ref]);
    expect(refs('TagResource', { resourceARN: `arn:aws:wafv2:${REGION}:123456789012:regional/rulegroup/rg/1234`, tags: [] })).toEqual([]);
    expect(
      webAclRefs(trail('wafv2.amazonaws.com', 'UntagResource', { resourceARN: `arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn/abcd`, tagKeys: ['a'] })),
    ).toEqual([{ scope: 'CLOUDFRONT', name: 'cdn', id: 'abcd' }]);
    // Disassociation names only the protected resource.
    expect(WAFV2_WEB_ACL.events.DisassociateWebACL!.action).toBe('rescan-region');
  });
});
