import { CloudFrontClient, CreateDistributionCommand, DeleteDistributionCommand, GetDistributionCommand, UpdateDistributionCommand, type ListDistributionsCommandOutput } from '@aws-sdk/client-cloudfront';
import { beforeAll, describe, expect, it } from 'vitest';
import { createShopDistribution } from '../../../src/local/estate/coverage-apps.ts';
import { CLOUDFRONT_DISTRIBUTION, makeDistributionType } from '../../../src/resources/cloudfront-distribution.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
let ctx: ScanContext;
let shop: string;
let legacy: string;
let bare: string;
const arn = (id: string) => `arn:aws:cloudfront::${account}:distribution/${id}`;

const bareConfig = (CallerReference: string) => ({
  CallerReference,
  Comment: '',
  Enabled: false,
  Origins: { Quantity: 1, Items: [{ Id: 'o', DomainName: 'origin.example.com', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' as const } }] },
  DefaultCacheBehavior: { TargetOriginId: 'o', ViewerProtocolPolicy: 'https-only' as const, CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
});

beforeAll(async () => {
  // Global type: scanned from the partition's home region.
  ctx = await scanContext(account, 'us-east-1');
  shop = await createShopDistribution(ctx.clients, { originBucket: 'shop-site', logBucket: 'shop-logs', webAclArn: `arn:aws:wafv2:us-east-1:${account}:global/webacl/edge/1` });
  legacy = await createShopDistribution(ctx.clients, { originBucket: 'shop-site', logBucket: 'shop-logs', weak: true });
  bare = (await ctx.clients.get(CloudFrontClient).send(new CreateDistributionCommand({ DistributionConfig: bareConfig('bare') }))).Distribution!.Id!;
});

describe('AWS.CloudFront.Distribution', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto ignores ListDistributions MaxItems/Marker: paged here as the API reference documents it.
    const paged = intercept(ctx, CloudFrontClient, (cmd, send) => {
      if (cmd.constructor.name !== 'ListDistributionsCommand') return undefined;
      return send(cmd).then((all) => {
        const { page, next } = sliced((all as ListDistributionsCommandOutput).DistributionList?.Items ?? [], Number(cmd.input.MaxItems), cmd.input.Marker as string | undefined);
        return { DistributionList: { Items: page, Quantity: page.length, IsTruncated: next !== undefined, NextMarker: next, Marker: cmd.input.Marker ?? '', MaxItems: cmd.input.MaxItems } };
      });
    });
    const type = makeDistributionType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, paged);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.id).sort()).toEqual([shop, legacy, bare].sort());
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models a distribution with its configuration, global', async () => {
    const res = (await CLOUDFRONT_DISTRIBUTION.describe(ctx, { id: shop }))!;
    expectDocumentedKeys(res, CLOUDFRONT_DISTRIBUTION.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(shop),
      ResourceType: 'AWS.CloudFront.Distribution',
      Region: 'global',
      Arn: arn(shop),
      Id: shop,
      Name: res.DomainName,
      Tags: { team: 'shop' },
      TimeCreated: null,
    });
    // AWS answers the same ARN; moto drops one colon (arn:aws:cloudfront:<acct>:…), kept verbatim.
    expect(res.ARN).toMatch(new RegExp(`^arn:aws:cloudfront::?${account}:distribution/${shop}$`));
    const config = res.DistributionConfig as Record<string, unknown>;
    expect(config).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: expect.objectContaining({ ViewerProtocolPolicy: 'redirect-to-https' }),
      Logging: expect.objectContaining({ Enabled: true, Bucket: 'shop-logs.s3.amazonaws.com' }),
      WebACLId: `arn:aws:wafv2:us-east-1:${account}:global/webacl/edge/1`,
    });
    expect(CLOUDFRONT_DISTRIBUTION.volatileAttributes).toEqual(['InProgressInvalidationBatches']);
  });

  it('models a bare distribution with nulls', async () => {
    const res = (await CLOUDFRONT_DISTRIBUTION.describe(ctx, { id: legacy }))!;
    expectDocumentedKeys(res, CLOUDFRONT_DISTRIBUTION.attributes);
    expect(res.Tags).toBeNull();
    expect(res.DistributionConfig).toMatchObject({ DefaultCacheBehavior: expect.objectContaining({ ViewerProtocolPolicy: 'allow-all' }) });
  });

  it('returns null for a deleted distribution and lets other errors propagate', async () => {
    const cf = ctx.clients.get(CloudFrontClient);
    const created = await cf.send(new CreateDistributionCommand({ DistributionConfig: bareConfig('gone') }));
    const gone = created.Distribution!.Id!;
    const { ETag } = await cf.send(new GetDistributionCommand({ Id: gone }));
    await cf.send(new UpdateDistributionCommand({ Id: gone, IfMatch: ETag, DistributionConfig: bareConfig('gone') }));
    const current = await cf.send(new GetDistributionCommand({ Id: gone }));
    await cf.send(new DeleteDistributionCommand({ Id: gone, IfMatch: current.ETag }));
    expect(await CLOUDFRONT_DISTRIBUTION.describe(ctx, { id: gone })).toBeNull();
    const denied = intercept(ctx, CloudFrontClient, (cmd) => (cmd.constructor.name === 'ListTagsForResourceCommand' ? Promise.reject(awsError('AccessDenied', 'not allowed')) : undefined));
    await expect(CLOUDFRONT_DISTRIBUTION.describe(denied, { id: bare })).rejects.toThrow('not allowed');
  });

  it('maps CloudTrail events to refs, settling deployments', () => {
    const ev = CLOUDFRONT_DISTRIBUTION.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('cloudfront.amazonaws.com', name, req, res));
    expect(refs('CreateDistribution', { distributionConfig: {} }, { distribution: { id: 'E1', aRN: arn('E1') } })).toEqual([{ id: 'E1' }]);
    expect(ev.UpdateDistribution!.settleSeconds).toBe(60);
    expect(refs('UpdateDistribution', { id: 'E2', ifMatch: 'x' })).toEqual([{ id: 'E2' }]);
    expect(ev.DeleteDistribution!.action).toBe('delete');
    expect(refs('AssociateAlias', { targetDistributionId: 'E3', alias: 'www.example.com' })).toEqual([{ id: 'E3' }]);
    expect(refs('TagResource', { resource: arn('E4'), tags: {} })).toEqual([{ id: 'E4' }]);
    expect(refs('TagResource', { resource: `arn:aws:cloudfront::${account}:streaming-distribution/S1` })).toEqual([]);
  });
});
