/**
 * AWS.ApiGateway.RestApi — regional. GetRestApis pages return whole APIs: `list` keeps them in
 * the scope cache; `describe` adds the API's stages (GetStages: logging, tracing, caching,
 * client certificate, WAF web ACL per stage). API Gateway's members are camelCase: the model
 * writes them PascalCase (the API's `id` and `name` are the common Id and Name) at every depth (shape-pascal.ts), as Panther does.
 */
import { APIGatewayClient, GetRestApiCommand, GetRestApisCommand, GetStagesCommand, RestApi$, Stage$, type RestApi } from '@aws-sdk/client-api-gateway';
import { hasErrorCode } from './aws-errors.ts';
import { iso } from './shape.ts';
import { apiFields, pascalShape, pascalShapeList } from './shape-pascal.ts';
import { remember, take } from './scope-cache.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface RestApiRef {
  id: string;
}

export const APIGATEWAY_REST_API_TYPE = 'AWS.ApiGateway.RestApi';

const cacheKey = (region: string, id: string) => `apigateway:restapi:${region}:${id}`;

export function restApiArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:apigateway:${target.region}::/restapis/${id}`;
}

/** The REST API of an API Gateway ARN (`…::/restapis/<id>[/stages/<stage>…]`). */
const idOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'apigateway' ? /^\/restapis\/([^/]+)/.exec(arn.resource)?.[1] : undefined;
};

/** The REST APIs an event names: request `restApiId`, the ARN of the tag calls and of a WAF
 *  association (`resourceArn`), and CreateRestApi/ImportRestApi's response `id`. */
export function restApiRefsOf(d: CloudTrailDetail): RestApiRef[] {
  const created = ['CreateRestApi', 'ImportRestApi'].includes(d.eventName) ? res(d, 'id') : undefined;
  return distinct([req(d, 'restApiId'), idOfArn(req(d, 'resourceArn')), created]).map((id) => ({ id }));
}

const rescan: EventRule<RestApiRef> = { action: 'rescan', refs: restApiRefsOf };

export interface RestApiOptions {
  /** GetRestApis limit per page (1–500). */
  pageSize?: number;
}

export function makeRestApiType(opts: RestApiOptions = {}): ResourceType<RestApiRef> {
  const pageSize = opts.pageSize ?? 500;
  return {
    type: APIGATEWAY_REST_API_TYPE,
    asffType: 'AwsApiGatewayRestApi',
    service: 'apigateway',
    scope: 'regional',
    eventSource: 'apigateway.amazonaws.com',

    async list(ctx, pageToken) {
      const apigw = ctx.clients.get(APIGatewayClient, ctx.region);
      const page = await apigw.send(new GetRestApisCommand({ limit: pageSize, position: pageToken }));
      const refs: RestApiRef[] = [];
      for (const api of page.items ?? []) {
        if (!api.id) continue;
        remember(ctx, cacheKey(ctx.region, api.id), api);
        refs.push({ id: api.id });
      }
      return { refs, ...(page.position ? { nextPageToken: page.position } : {}) };
    },

    async describe(ctx, ref) {
      const apigw = ctx.clients.get(APIGatewayClient, ctx.region);
      try {
        const api: RestApi = (await take<RestApi>(ctx, cacheKey(ctx.region, ref.id))) ?? (await apigw.send(new GetRestApiCommand({ restApiId: ref.id })));
        if (!api.id) return null;
        const { item: stages } = await apigw.send(new GetStagesCommand({ restApiId: api.id }));
        const arn = restApiArn(ctx, api.id);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: APIGATEWAY_REST_API_TYPE,
          TimeCreated: iso(api.createdDate),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: api.id,
          Name: api.name ?? null,
          Tags: api.tags && Object.keys(api.tags).length > 0 ? api.tags : null,
          ...apiFields(pascalShape(RestApi$, api), 'Tags', 'Id', 'Name'),
          Stages: pascalShapeList(Stage$, [...(stages ?? [])].sort((a, b) => (a.stageName ?? '').localeCompare(b.stageName ?? ''))),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'NotFoundException')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return restApiArn(target, ref.id);
    },

    events: {
      CreateRestApi: rescan,
      ImportRestApi: rescan,
      PutRestApi: rescan,
      UpdateRestApi: rescan,
      DeleteRestApi: { action: 'delete', refs: restApiRefsOf },
      CreateStage: rescan,
      UpdateStage: rescan,
      DeleteStage: rescan,
      CreateDeployment: rescan,
      FlushStageCache: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },
    // A stage's WebAclArn changes with the WAF association calls.
    relatedEvents: {
      'wafv2.amazonaws.com': { AssociateWebACL: rescan, DisassociateWebACL: rescan },
    },

    // SecurityAudit covers every call: apigateway:GET on /restapis and /restapis/*/stages.
    // GetRestApis per page (APIs are described from it); GetStages per API.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'Description', type: 'string | null', description: 'The API description.' },
      { name: 'CreatedDate', type: 'timestamp', description: 'When the API was created (also TimeCreated).' },
      { name: 'Version', type: 'string | null', description: 'The API version label.' },
      { name: 'Warnings', type: 'list<string> | null', description: 'Warnings from the last import.' },
      { name: 'BinaryMediaTypes', type: 'list<string> | null', description: 'Media types handled as binary.' },
      { name: 'MinimumCompressionSize', type: 'integer | null', description: 'Payload size from which responses are compressed; null when off.' },
      { name: 'ApiKeySource', type: 'string | null', description: 'HEADER or AUTHORIZER.' },
      { name: 'EndpointConfiguration', type: '{Types, IpAddressType, VpcEndpointIds} | null', description: 'EDGE, REGIONAL or PRIVATE endpoint.' },
      { name: 'Policy', type: 'string | null', description: 'The resource policy as a JSON string (as API Gateway returns it); null when none.' },
      { name: 'DisableExecuteApiEndpoint', type: 'boolean | null', description: 'Whether the default execute-api endpoint is off.' },
      { name: 'RootResourceId', type: 'string | null', description: 'The ID of the root resource `/`.' },
      { name: 'SecurityPolicy', type: 'string | null', description: 'The TLS security policy of the API, when set.' },
      { name: 'EndpointAccessMode', type: 'string | null', description: 'The endpoint access mode, when set.' },
      { name: 'ApiStatus', type: 'string | null', description: 'The API status, when AWS reports one.' },
      { name: 'ApiStatusMessage', type: 'string | null', description: 'The status message, when AWS reports one.' },
      { name: 'Stages', type: 'list<Stage> | null', description: 'GetStages, by name (Posture addition): {DeploymentId, ClientCertificateId, StageName, Description, CacheClusterEnabled, CacheClusterSize, CacheClusterStatus, MethodSettings (map "resource/method" → {MetricsEnabled, LoggingLevel, DataTraceEnabled, ThrottlingBurstLimit, ThrottlingRateLimit, CachingEnabled, CacheTtlInSeconds, CacheDataEncrypted, RequireAuthorizationForCacheControl, UnauthorizedCacheControlHeaderStrategy}), Variables, DocumentationVersion, AccessLogSettings {Format, DestinationArn}, CanarySettings, TracingEnabled, WebAclArn, Tags, CreatedDate, LastUpdatedDate}; null when the API has no stage.' },
    ],
  };
}

export const APIGATEWAY_REST_API: ResourceType<RestApiRef> = makeRestApiType();
