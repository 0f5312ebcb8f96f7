/**
 * AWS.Lambda.Function — regional, the unqualified ($LATEST) function. ListFunctions names the
 * functions; each is described with GetFunctionConfiguration (ListFunctions answers only a subset
 * of the configuration, without State, LastUpdateStatus or RuntimeVersionConfig, so listing and
 * real-time rescans would disagree), GetPolicy and ListTags.
 */
import {
  FunctionConfiguration$,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  GetPolicyResponse$,
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
} from '@aws-sdk/client-lambda';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { iso, shape } from './shape.ts';
import { distinct, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface FunctionRef {
  name: string;
}

export const LAMBDA_FUNCTION_TYPE = 'AWS.Lambda.Function';

export function functionArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:lambda:${target.region}:${target.accountId}:function:${name}`;
}

/** LastModified as RFC 3339 (Lambda answers e.g. `2024-05-01T10:00:00.000+0000`); an
 *  unparseable value is kept as answered. */
function lastModified(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return iso(value);
  } catch {
    return value;
  }
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The function name of a name, `name:qualifier`, an ARN or a partial ARN
 *  (`<account>:function:<name>[:qualifier]`). */
export function functionNameOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const marker = value.indexOf(':function:');
  if (marker >= 0) return value.slice(marker + ':function:'.length).split(':')[0] || undefined;
  if (value.startsWith('arn:')) return undefined;
  return value.split(':')[0] || undefined;
}

/** The function an event names: request `functionName` (name or ARN), response `functionName`
 *  (CreateFunction) or request `resource` (TagResource/UntagResource, an ARN). */
export function functionRefsOf(d: CloudTrailDetail): FunctionRef[] {
  return distinct([functionNameOf(req(d, 'functionName')), functionNameOf(res(d, 'functionName')), functionNameOf(req(d, 'resource'))]).map((name) => ({
    name,
  }));
}

/** The version or alias of a qualified name or ARN (`name:3`, `...:function:name:prod`). */
function qualifierOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const marker = value.indexOf(':function:');
  const rest = marker >= 0 ? value.slice(marker + ':function:'.length) : value.startsWith('arn:') ? '' : value;
  return rest.split(':')[1] || undefined;
}

/** DeleteFunction with a qualifier (its own parameter, or in the name: `name:3`, a version ARN)
 *  deletes one version; the function itself stays. */
const deletedFunctions = (d: CloudTrailDetail): FunctionRef[] => (req(d, 'qualifier') || qualifierOf(req(d, 'functionName')) ? [] : functionRefsOf(d));

const rescan: EventRule<FunctionRef> = { action: 'rescan', refs: functionRefsOf };

export interface LambdaFunctionOptions {
  /** ListFunctions MaxItems per page (1–50). */
  pageSize?: number;
}

export function makeLambdaFunctionType(opts: LambdaFunctionOptions = {}): ResourceType<FunctionRef> {
  const pageSize = opts.pageSize ?? 50;
  return {
    type: LAMBDA_FUNCTION_TYPE,
    asffType: 'AwsLambdaFunction',
    service: 'lambda',
    scope: 'regional',
    eventSource: 'lambda.amazonaws.com',

    async list(ctx, pageToken) {
      const lambda = ctx.clients.get(LambdaClient, ctx.region);
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: pageSize, Marker: pageToken }));
      return {
        refs: (page.Functions ?? []).flatMap((f) => (f.FunctionName ? [{ name: f.FunctionName }] : [])),
        ...(page.NextMarker ? { nextPageToken: page.NextMarker } : {}),
      };
    },

    async describe(ctx, ref) {
      const lambda = ctx.clients.get(LambdaClient, ctx.region);
      const FunctionName = ref.name;
      try {
        const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
        const arn = config.FunctionArn ?? functionArn(ctx, ref.name);
        const [policy, tags] = await Promise.all([
          // No resource-based policy: ResourceNotFoundException.
          orNull(lambda.send(new GetPolicyCommand({ FunctionName })), 'ResourceNotFoundException'),
          lambda.send(new ListTagsCommand({ Resource: arn })),
        ]);
        const fields = shape(FunctionConfiguration$, config) as Record<string, unknown>;
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: LAMBDA_FUNCTION_TYPE,
          TimeCreated: null,
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: null,
          Name: config.FunctionName ?? ref.name,
          Tags: tags.Tags && Object.keys(tags.Tags).length > 0 ? tags.Tags : null,
          ...fields,
          LastModified: lastModified(config.LastModified),
          Policy: shape(GetPolicyResponse$, policy),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'ResourceNotFoundException')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return functionArn(target, ref.name);
    },

    // CloudTrail records Lambda calls under versioned names; both generations are bound.
    events: {
      CreateFunction20150331: rescan,
      DeleteFunction20150331: { action: 'delete', refs: deletedFunctions },
      UpdateFunctionConfiguration20150331: rescan,
      UpdateFunctionConfiguration20150331v2: rescan,
      UpdateFunctionCode20150331: rescan,
      UpdateFunctionCode20150331v2: rescan,
      AddPermission20150331: rescan,
      AddPermission20150331v2: rescan,
      RemovePermission20150331: rescan,
      RemovePermission20150331v2: rescan,
      TagResource20170331: rescan,
      TagResource20170331v2: rescan,
      UntagResource20170331: rescan,
      UntagResource20170331v2: rescan,
    },

    // SecurityAudit covers every call: lambda:List* (ListFunctions, ListTags),
    // lambda:GetFunctionConfiguration, lambda:GetPolicy.
    // ListFunctions per page; per function GetFunctionConfiguration, GetPolicy, ListTags.
    apiCalls: { perPage: 1, perResource: 3, perScope: 0 },
    iamActions: [],
    // Environment variables routinely hold passwords and API keys.
    secretAttributes: ['Environment.Variables.*'],

    attributes: [
      { name: 'FunctionName', type: 'string', description: 'The function name (also Name).' },
      { name: 'FunctionArn', type: 'string', description: 'The unqualified function ARN (also ResourceId and Arn).' },
      { name: 'Runtime', type: 'string | null', description: 'e.g. "nodejs22.x", "python3.13"; null for container images.' },
      { name: 'Role', type: 'string', description: 'The execution role ARN.' },
      { name: 'Handler', type: 'string | null', description: 'The handler.' },
      { name: 'CodeSize', type: 'integer', description: 'Deployment package size in bytes.' },
      { name: 'Description', type: 'string | null', description: 'The description.' },
      { name: 'Timeout', type: 'integer', description: 'Timeout in seconds.' },
      { name: 'MemorySize', type: 'integer', description: 'Memory in MB.' },
      { name: 'LastModified', type: 'timestamp', description: 'When the function was last updated (RFC 3339; Lambda answers e.g. "…+0000").' },
      { name: 'CodeSha256', type: 'string', description: 'SHA-256 of the deployment package.' },
      { name: 'Version', type: 'string', description: '"$LATEST".' },
      { name: 'VpcConfig', type: '{SubnetIds, SecurityGroupIds, VpcId, Ipv6AllowedForDualStack} | null', description: 'VPC attachment.' },
      { name: 'DeadLetterConfig', type: '{TargetArn} | null', description: 'Dead-letter queue or topic.' },
      { name: 'Environment', type: '{Variables, Error} | null', description: 'Environment variables: the names as Lambda answers them, every value redacted.' },
      { name: 'KMSKeyArn', type: 'string | null', description: 'Customer managed key for environment variables; null with the AWS managed key.' },
      { name: 'TracingConfig', type: '{Mode} | null', description: 'X-Ray tracing: Active or PassThrough.' },
      { name: 'MasterArn', type: 'string | null', description: 'The main function of a Lambda@Edge replica.' },
      { name: 'RevisionId', type: 'string | null', description: 'Revision of the configuration.' },
      { name: 'Layers', type: 'list<{Arn, CodeSize, SigningProfileVersionArn, SigningJobArn}> | null', description: 'Layers.' },
      { name: 'State', type: 'string | null', description: 'Pending, Active, Inactive or Failed.' },
      { name: 'StateReason', type: 'string | null', description: 'Why the function is in its state.' },
      { name: 'StateReasonCode', type: 'string | null', description: 'Code for StateReason.' },
      { name: 'LastUpdateStatus', type: 'string | null', description: 'Successful, Failed or InProgress.' },
      { name: 'LastUpdateStatusReason', type: 'string | null', description: 'Why the last update is in its status.' },
      { name: 'LastUpdateStatusReasonCode', type: 'string | null', description: 'Code for LastUpdateStatusReason.' },
      { name: 'FileSystemConfigs', type: 'list<{Arn, LocalMountPath}> | null', description: 'EFS mounts.' },
      { name: 'SigningProfileVersionArn', type: 'string | null', description: 'Code signing profile version.' },
      { name: 'SigningJobArn', type: 'string | null', description: 'Code signing job.' },
      { name: 'PackageType', type: 'string | null', description: 'Zip or Image.' },
      { name: 'ImageConfigResponse', type: 'object | null', description: 'Container image settings.' },
      { name: 'Architectures', type: 'list<string> | null', description: 'x86_64 or arm64.' },
      { name: 'EphemeralStorage', type: '{Size} | null', description: '/tmp size in MB.' },
      { name: 'SnapStart', type: '{ApplyOn, OptimizationStatus} | null', description: 'SnapStart settings.' },
      { name: 'RuntimeVersionConfig', type: '{RuntimeVersionArn, Error} | null', description: 'The runtime version in use.' },
      { name: 'LoggingConfig', type: '{LogFormat, ApplicationLogLevel, SystemLogLevel, LogGroup} | null', description: 'Logging settings.' },
      { name: 'TenancyConfig', type: 'object | null', description: 'GetFunctionConfiguration TenancyConfig, when Lambda reports one.' },
      { name: 'CapacityProviderConfig', type: 'object | null', description: 'GetFunctionConfiguration CapacityProviderConfig, when Lambda reports one.' },
      { name: 'ConfigSha256', type: 'string | null', description: 'GetFunctionConfiguration ConfigSha256, when Lambda reports one.' },
      { name: 'DurableConfig', type: 'object | null', description: 'GetFunctionConfiguration DurableConfig, when Lambda reports one.' },
      { name: 'Policy', type: '{Policy, RevisionId} | null', description: 'The GetPolicy output: Policy is the resource-based policy as a JSON string; null when the function has none.' },
    ],
  };
}

export const LAMBDA_FUNCTION: ResourceType<FunctionRef> = makeLambdaFunctionType();
