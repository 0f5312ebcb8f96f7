import { ApiGatewayV2Client, CreateApiCommand, DeleteApiCommand, type GetApisCommandOutput } from '@aws-sdk/client-apigatewayv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrdersHttpApi } from '../../../src/local/estate/coverage-apps.ts';
import { APIGATEWAYV2_API, makeApiV2Type } from '../../../src/resources/apigatewayv2-api.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { expectDocumentedKeys, listAll, sliced } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'ap-southeast-2';
let ctx: ScanContext;
let orders: string;
let open: string;
let bare: string;
const arn = (id: string) => `arn:aws:apigateway:${REGION}::/apis/${id}`;

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  orders = await createOrdersHttpApi(ctx.clients, { accessLogArn: `arn:aws:logs:${REGION}:${account}:log-group:orders-http-access` });
  open = await createOrdersHttpApi(ctx.clients, { open: true });
  bare = (await ctx.clients.get(ApiGatewayV2Client).send(new CreateApiCommand({ Name: 'bare', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
});

describe('AWS.ApiGatewayV2.Api', () => {
  it('lists across pages with resolvable refs', async () => {
    // moto ignores GetApis MaxResults/NextToken: paged here as the API reference documents it.
    const paged = intercept(ctx, ApiGatewayV2Client, (cmd, send) => {
      if (cmd.constructor.name !== 'GetApisCommand') return undefined;
      return send(cmd).then((all) => {
        const { page, next } = sliced((all as GetApisCommandOutput).Items ?? [], Number(cmd.input.MaxResults), cmd.input.NextToken as string | undefined);
        return { Items: page, NextToken: next };
      });
    });
    const type = makeApiV2Type({ pageSize: 2 });
    const { refs, pages } = await listAll(type, paged);
    expect(pages).toBe(2);
    expect(refs.map((r) => r.id).sort()).toEqual([orders, open, bare].sort());
    for (const ref of refs) expect(type.resourceId(ctx, ref)).toBe(arn(ref.id));
  });

  it('models an HTTP API with its stages and routes', async () => {
    const res = (await APIGATEWAYV2_API.describe(ctx, { id: orders }))!;
    expectDocumentedKeys(res, APIGATEWAYV2_API.attributes);
    expect(res).toMatchObject({
      ResourceId: arn(orders),
      ResourceType: 'AWS.ApiGatewayV2.Api',
      Id: orders,
      ApiId: orders,
      Name: 'orders-http',
      Tags: { team: 'orders' },
      ProtocolType: 'HTTP',
      CorsConfiguration: expect.objectContaining({ AllowOrigins: ['https://shop.example.com'] }),
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.Stages).toEqual([
      expect.objectContaining({
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: expect.stringContaining('orders-http-access'), Format: expect.stringContaining('$context.requestId') },
        DefaultRouteSettings: expect.objectContaining({ LoggingLevel: 'INFO' }),
      }),
    ]);
    expect((res.Routes as { RouteKey: string; AuthorizationType: string }[]).map((r) => [r.RouteKey, r.AuthorizationType])).toEqual([
      ['GET /orders', 'AWS_IAM'],
      ['POST /orders', 'AWS_IAM'],
    ]);
  });

  it('models a bare API with nulls', async () => {
    const res = (await APIGATEWAYV2_API.describe(ctx, { id: bare }))!;
    expectDocumentedKeys(res, APIGATEWAYV2_API.attributes);
    expect(res).toMatchObject({ Tags: null, Stages: null, Routes: null, ProtocolType: 'WEBSOCKET', CorsConfiguration: null });
    const pub = (await APIGATEWAYV2_API.describe(ctx, { id: open }))!;
    expect((pub.Stages as Record<string, unknown>[])[0]).toMatchObject({ AccessLogSettings: null });
    expect((pub.Routes as Record<string, unknown>[])[0]).toMatchObject({ AuthorizationType: 'NONE' });
  });

  it('returns null for a deleted API and lets other errors propagate', async () => {
    const apigw = ctx.clients.get(ApiGatewayV2Client);
    const gone = (await apigw.send(new CreateApiCommand({ Name: 'gone', ProtocolType: 'HTTP' }))).ApiId!;
    await apigw.send(new DeleteApiCommand({ ApiId: gone }));
    expect(await APIGATEWAYV2_API.describe(ctx, { id: gone })).toBeNull();
    const between = intercept(ctx, ApiGatewayV2Client, (cmd) => (cmd.constructor.name === 'GetRoutesCommand' ? Promise.reject(awsError('NotFoundException', 'Invalid API identifier')) : undefined));
    expect(await APIGATEWAYV2_API.describe(between, { id: bare })).toBeNull();
    const denied = intercept(ctx, ApiGatewayV2Client, (cmd) => (cmd.constructor.name === 'GetStagesCommand' ? Promise.reject(awsError('AccessDeniedException', 'not allowed')) : undefined));
    await expect(APIGATEWAYV2_API.describe(denied, { id: bare })).rejects.toThrow('not allowed');
  });

  it('maps CloudTrail events to refs', () => {
    const ev = APIGATEWAYV2_API.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('apigateway.amazonaws.com', name, req, res));
    expect(refs('CreateApi', { name: 'x', protocolType: 'HTTP' }, { apiId: 'h1', name: 'x' })).toEqual([{ id: 'h1' }]);
    expect(ev.DeleteApi!.action).toBe('delete');
    expect(refs('DeleteApi', { apiId: 'h2' })).toEqual([{ id: 'h2' }]);
    expect(refs('UpdateRoute', { apiId: 'h3', routeId: 'r1', authorizationType: 'JWT' })).toEqual([{ id: 'h3' }]);
    expect(refs('TagResource', { resourceArn: `${arn('h4')}/stages/$default` })).toEqual([{ id: 'h4' }]);
    // A REST API's calls name no HTTP API.
    expect(refs('CreateStage', { restApiId: 'a1', stageName: 'prod' })).toEqual([]);
    expect(refs('TagResource', { resourceArn: `arn:aws:apigateway:${REGION}::/restapis/a1` })).toEqual([]);
  });
});
