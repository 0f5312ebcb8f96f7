import { APIGatewayClient, CreateRestApiCommand, DeleteRestApiCommand, type GetRestApisCommandOutput } from '@aws-sdk/client-api-gateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLegacyRestApi, createShopRestApi } from '../../../src/local/estate/coverage-apps.ts';
import { APIGATEWAY_REST_API, makeRestApiType } from '../../../src/resources/apigateway-rest-api.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'ap-south-1';
let ctx: ScanContext;
let shop: string;
let legacy: string;
let bare: string;
const arn = (id: string) => `arn:aws:apigateway:${REGION}::/restapis/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  shop = await createShopRestApi(ctx.clients, { accessLogArn: `arn:aws:logs:${REGION}:${account}:log-group:shop-api-access` });
  legacy = await createLegacyRestApi(ctx.clients);
  bare = (await ctx.clients.get(APIGatewayClient).send(new CreateRestApiCommand({ name: 'bare' }))).id!;
});

describe('AWS.ApiGateway.RestApi', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto ignores GetRestApis `limit`/`position`: paged here as the API reference documents it.
    const paged = intercept(ctx, APIGatewayClient, (cmd, send) => {
      if (cmd.constructor.name !== 'GetRestApisCommand') return undefined;
      return send(cmd).then((all) => {
        const { page, next } = sliced((all as GetRestApisCommandOutput).items ?? [], cmd.input.limit as number, cmd.input.position as string | undefined);
        return { items: page, position: next };
      });
    });
    const type = makeRestApiType({ pageSize: 2 });
    const { refs, pages } = await listAll(type, paged);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.id).sort()).toEqual([shop, legacy, bare].sort());
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models an API with its stages, PascalCase at every depth', async () => {
    await APIGATEWAY_REST_API.list(ctx);
    const res = (await APIGATEWAY_REST_API.describe(ctx, { id: shop }))!;
    expectDocumentedKeys(res, APIGATEWAY_REST_API.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(shop),
      ResourceType: 'AWS.ApiGateway.RestApi',
      Arn: arn(shop),
      Id: shop,
      Name: 'shop-api',
      Tags: { team: 'shop' },
      Description: 'shop-api (REST)',
      EndpointConfiguration: expect.objectContaining({ Types: ['REGIONAL'] }),
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    const [stage] = res.Stages as Record<string, unknown>[];
    expect(stage).toMatchObject({
      StageName: 'prod',
      TracingEnabled: true,
      CacheClusterEnabled: true,
      AccessLogSettings: { DestinationArn: expect.stringContaining('shop-api-access'), Format: expect.stringContaining('$context.requestId') },
      MethodSettings: { '*/*': expect.objectContaining({ LoggingLevel: 'INFO', CachingEnabled: true, CacheDataEncrypted: true }) },
    });
  });

  it('models a bare API with nulls', async () => {
    const res = (await APIGATEWAY_REST_API.describe(ctx, { id: bare }))!;
    expectDocumentedKeys(res, APIGATEWAY_REST_API.attributes);
    expect(res).toMatchObject({ Tags: null, Stages: null, Policy: null });
    const dev = ((await APIGATEWAY_REST_API.describe(ctx, { id: legacy }))!.Stages as Record<string, unknown>[])[0]!;
    expect(dev).toMatchObject({ StageName: 'dev', ClientCertificateId: null, AccessLogSettings: null, WebAclArn: null });
    expect(dev.TracingEnabled ?? false).toBe(false);
  });

  it('returns null for a deleted API and lets other errors propagate', async () => {
    const apigw = ctx.clients.get(APIGatewayClient);
    const gone = (await apigw.send(new CreateRestApiCommand({ name: 'gone' }))).id!;
    await apigw.send(new DeleteRestApiCommand({ restApiId: gone }));
    expect(await APIGATEWAY_REST_API.describe(ctx, { id: gone })).toBeNull();
    const throttled = intercept(ctx, APIGatewayClient, (cmd) =>
      cmd.constructor.name === 'GetStagesCommand' ? Promise.reject(awsError('TooManyRequestsException', 'Too Many Requests')) : undefined,
    );
    await expect(APIGATEWAY_REST_API.describe(throttled, { id: bare })).rejects.toThrow('Too Many Requests');
  });

  it('maps CloudTrail events to refs, WAF associations included', () => {
    const ev = APIGATEWAY_REST_API.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('apigateway.amazonaws.com', name, req, res));
    expect(refs('CreateRestApi', { name: 'x' }, { id: 'a1', name: 'x' })).toEqual([{ id: 'a1' }]);
    expect(ev.DeleteRestApi!.action).toBe('delete');
    expect(refs('DeleteRestApi', { restApiId: 'a2' })).toEqual([{ id: 'a2' }]);
    expect(refs('UpdateStage', { restApiId: 'a3', stageName: 'prod', patchOperations: [] })).toEqual([{ id: 'a3' }]);
    expect(refs('TagResource', { resourceArn: `${arn('a4')}/stages/prod`, tags: {} })).toEqual([{ id: 'a4' }]);
    // An HTTP API's calls name no REST API.
    expect(refs('CreateStage', { apiId: 'h1', stageName: '$default' })).toEqual([]);
    expect(refs('TagResource', { resourceArn: `arn:aws:apigateway:${REGION}::/apis/h1` })).toEqual([]);
    const waf = APIGATEWAY_REST_API.relatedEvents!['wafv2.amazonaws.com']!.AssociateWebACL!;
    expect(waf.refs!(trail('wafv2.amazonaws.com', 'AssociateWebACL', { webACLArn: 'w', resourceArn: `${arn('a5')}/stages/prod` }))).toEqual([{ id: 'a5' }]);
  });
});
