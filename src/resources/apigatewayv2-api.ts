/**
 * AWS.ApiGatewayV2.Api — regional: HTTP and WebSocket APIs (API Gateway v2). GetApis pages
 * return whole APIs: `list` keeps them in the scope cache; `describe` adds the API's stages
 * (GetStages: access logging, default route settings) and routes (GetRoutes: authorization).
 */
import { Api$, ApiGatewayV2Client, GetApiCommand, GetApisCommand, GetRoutesCommand, GetStagesCommand, Route$, Stage$, type Api, type Route, type Stage } from '@aws-sdk/client-apigatewayv2';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, shapeList } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { remember, take } from './scope-cache.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface ApiV2Ref {
  id: string;
}

export const APIGATEWAYV2_API_TYPE = 'AWS.ApiGatewayV2.Api';

const cacheKey = (region: string, id: string) => `apigatewayv2:api:${region}:${id}`;

export function apiV2Arn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:apigateway:${target.region}::/apis/${id}`;
}

/** The API of an API Gateway v2 ARN (`…::/apis/<id>[/stages/<stage>…]`). */
const idOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'apigateway' ? /^\/apis\/([^/]+)/.exec(arn.resource)?.[1] : undefined;
};

/** The APIs an event names: request `apiId`, the ARN of the tag calls (`resourceArn`), and
 *  CreateApi/ImportApi's response `apiId`. */
export function apiV2RefsOf(d: CloudTrailDetail): ApiV2Ref[] {
  return distinct([req(d, 'apiId'), idOfArn(req(d, 'resourceArn')), res(d, 'apiId')]).map((id) => ({ id }));
}

const rescan: EventRule<ApiV2Ref> = { action: 'rescan', refs: apiV2RefsOf };

/** Every page of a v2 collection call (GetStages, GetRoutes). */
async function allItems<T>(fetch: (NextToken: string | undefined) => Promise<{ Items?: T[]; NextToken?: string }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...(page.Items ?? []));
    token = page.NextToken;
  } while (token);
  return items;
}

export interface ApiV2Options {
  /** GetApis MaxResults per page. */
  pageSize?: number;
}

export function makeApiV2Type(opts: ApiV2Options = {}): ResourceType<ApiV2Ref> {
  const pageSize = opts.pageSize ?? 500;
  return {
    type: APIGATEWAYV2_API_TYPE,
    asffType: 'AwsApiGatewayV2Api',
    service: 'apigateway',
    scope: 'regional',
    eventSource: 'apigateway.amazonaws.com',

    async list(ctx, pageToken) {
      const apigw = ctx.clients.get(ApiGatewayV2Client, ctx.region);
      const page = await apigw.send(new GetApisCommand({ MaxResults: String(pageSize), NextToken: pageToken }));
      const refs: ApiV2Ref[] = [];
      for (const api of page.Items ?? []) {
        if (!api.ApiId) continue;
        remember(ctx, cacheKey(ctx.region, api.ApiId), api);
        refs.push({ id: api.ApiId });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const apigw = ctx.clients.get(ApiGatewayV2Client, ctx.region);
      try {
        const api: Partial<Api> = (await take<Api>(ctx, cacheKey(ctx.region, ref.id))) ?? (await apigw.send(new GetApiCommand({ ApiId: ref.id })));
        if (!api.ApiId) return null;
        const ApiId = api.ApiId;
        const [stages, routes] = await Promise.all([
          allItems<Stage>((NextToken) => apigw.send(new GetStagesCommand({ ApiId, NextToken }))),
          allItems<Route>((NextToken) => apigw.send(new GetRoutesCommand({ ApiId, NextToken }))),
        ]);
        const arn = apiV2Arn(ctx, ApiId);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: APIGATEWAYV2_API_TYPE,
          TimeCreated: iso(api.CreatedDate),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: ApiId,
          Name: api.Name ?? null,
          Tags: api.Tags && Object.keys(api.Tags).length > 0 ? api.Tags : null,
          ...apiFields(shape(Api$, api), 'Tags', 'Name'),
          Stages: shapeList(Stage$, stages.sort((a, b) => (a.StageName ?? '').localeCompare(b.StageName ?? ''))),
          Routes: shapeList(Route$, routes.sort((a, b) => (a.RouteKey ?? '').localeCompare(b.RouteKey ?? ''))),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'NotFoundException')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return apiV2Arn(target, ref.id);
    },

    events: {
      CreateApi: rescan,
      ImportApi: rescan,
      ReimportApi: rescan,
      UpdateApi: rescan,
      DeleteApi: { action: 'delete', refs: apiV2RefsOf },
      CreateStage: rescan,
      UpdateStage: rescan,
      DeleteStage: rescan,
      DeleteAccessLogSettings: rescan,
      CreateRoute: rescan,
      UpdateRoute: rescan,
      DeleteRoute: rescan,
      CreateDeployment: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: apigateway:GET on /apis, /apis/*/stages and /apis/*/routes.
    // GetApis per page (APIs are described from it); per API GetStages and GetRoutes.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'ApiId', type: 'string', description: 'The API ID (also Id).' },
      { name: 'ProtocolType', type: 'string', description: 'HTTP or WEBSOCKET.' },
      { name: 'RouteSelectionExpression', type: 'string', description: 'How a request selects its route, e.g. ${request.method} ${request.path}.' },
      { name: 'ApiEndpoint', type: 'string | null', description: 'The default endpoint, https://<id>.execute-api.<region>.amazonaws.com.' },
      { name: 'ApiGatewayManaged', type: 'boolean | null', description: 'Whether API Gateway manages the API (quick create).' },
      { name: 'ApiKeySelectionExpression', type: 'string | null', description: 'API key selection (WebSocket APIs).' },
      { name: 'CorsConfiguration', type: '{AllowCredentials, AllowHeaders, AllowMethods, AllowOrigins, ExposeHeaders, MaxAge} | null', description: 'CORS settings of an HTTP API.' },
      { name: 'CreatedDate', type: 'timestamp', description: 'When the API was created (also TimeCreated).' },
      { name: 'Description', type: 'string | null', description: 'The API description.' },
      { name: 'DisableSchemaValidation', type: 'boolean | null', description: 'Whether schema validation is off (WebSocket APIs).' },
      { name: 'DisableExecuteApiEndpoint', type: 'boolean | null', description: 'Whether the default execute-api endpoint is off.' },
      { name: 'ImportInfo', type: 'list<string> | null', description: 'Messages from the last import.' },
      { name: 'IpAddressType', type: 'string | null', description: 'ipv4 or dualstack.' },
      { name: 'Version', type: 'string | null', description: 'The API version label.' },
      { name: 'Warnings', type: 'list<string> | null', description: 'Warnings from the last import.' },
      { name: 'Stages', type: 'list<Stage> | null', description: 'GetStages, by name (Posture addition): {StageName, AccessLogSettings {DestinationArn, Format}, ApiGatewayManaged, AutoDeploy, ClientCertificateId, CreatedDate, DefaultRouteSettings {DataTraceEnabled, DetailedMetricsEnabled, LoggingLevel, ThrottlingBurstLimit, ThrottlingRateLimit}, DeploymentId, Description, LastDeploymentStatusMessage, LastUpdatedDate, RouteSettings, StageVariables, Tags}; null when none.' },
      { name: 'Routes', type: 'list<Route> | null', description: 'GetRoutes, by route key (Posture addition): {RouteKey, ApiGatewayManaged, ApiKeyRequired, AuthorizationScopes, AuthorizationType (NONE, AWS_IAM, CUSTOM, JWT), AuthorizerId, ModelSelectionExpression, OperationName, RequestModels, RequestParameters, RouteId, RouteResponseSelectionExpression, Target}; null when none.' },
    ],
  };
}

export const APIGATEWAYV2_API: ResourceType<ApiV2Ref> = makeApiV2Type();
