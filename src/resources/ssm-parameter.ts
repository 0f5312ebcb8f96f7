/**
 * AWS.SSM.Parameter — regional, METADATA ONLY. DescribeParameters pages, then per parameter
 * ListTagsForResource. Posture never calls GetParameter, GetParameters, GetParametersByPath or
 * GetParameterHistory: a parameter's value (a SecureString's above all) is never read, so it
 * cannot be stored, hashed, evaluated or sent.
 */
import { DescribeParametersCommand, ParameterMetadata$, SSMClient, type ParameterMetadata } from '@aws-sdk/client-ssm';
import { hasErrorCode } from './aws-errors.ts';
import { shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { remember, take } from './scope-cache.ts';
import { ssmTags, taggedId } from './ssm-common.ts';
import { distinct, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface ParameterRef {
  name: string;
}

export const SSM_PARAMETER_TYPE = 'AWS.SSM.Parameter';

/** `arn:…:parameter/a/b` for `/a/b` and for `a/b` alike (AWS drops the leading slash). */
export const parameterArn = (target: ScanTarget, name: string) =>
  `arn:${target.partition}:ssm:${target.region}:${target.accountId}:parameter/${name.replace(/^\//, '')}`;

const memoKey = (ctx: ScanContext, name: string) => `ssm-parameter:${ctx.region}:${name}`;

/** Parameters an event names: `name`, `names` (DeleteParameters), tagged `resourceId` of type Parameter. */
export function parameterRefsOf(d: CloudTrailDetail): ParameterRef[] {
  const names = d.requestParameters?.names;
  const many = Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string' && n !== '') : [];
  return distinct([req(d, 'name'), ...many, taggedId(d, 'Parameter')]).map((name) => ({ name }));
}

const rescan: EventRule<ParameterRef> = { action: 'rescan', refs: parameterRefsOf };

export interface SsmParameterOptions {
  /** DescribeParameters MaxResults per page (1–50). */
  pageSize?: number;
}

export function makeSsmParameterType(opts: SsmParameterOptions = {}): ResourceType<ParameterRef> {
  const pageSize = opts.pageSize ?? 50;
  return {
    type: SSM_PARAMETER_TYPE,
    service: 'ssm',
    scope: 'regional',
    eventSource: 'ssm.amazonaws.com',

    async list(ctx, pageToken) {
      const ssm = ctx.clients.get(SSMClient, ctx.region);
      const page = await ssm.send(new DescribeParametersCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.Parameters ?? []).flatMap((p) => {
        if (!p.Name) return [];
        remember(ctx, memoKey(ctx, p.Name), p);
        return [{ name: p.Name }];
      });
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const ssm = ctx.clients.get(SSMClient, ctx.region);
      let meta: ParameterMetadata | undefined = await take<ParameterMetadata>(ctx, memoKey(ctx, ref.name));
      if (!meta) {
        const r = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [ref.name] }] }));
        meta = r.Parameters?.find((p) => p.Name === ref.name);
      }
      if (!meta?.Name) return null;
      // A parameter deleted between the listing and this call answers InvalidResourceId.
      let tags: Record<string, string> | null;
      try {
        tags = await ssmTags(ssm, 'Parameter', meta.Name);
      } catch (e) {
        if (hasErrorCode(e, 'InvalidResourceId')) return null;
        throw e;
      }
      const arn = meta.ARN ?? parameterArn(ctx, meta.Name);
      const resource: Resource = {
        ResourceId: arn,
        ResourceType: SSM_PARAMETER_TYPE,
        // AWS reports no creation date; LastModifiedDate is the version's.
        TimeCreated: null,
        AccountId: ctx.accountId,
        Region: ctx.region,
        Arn: arn,
        Id: meta.Name,
        Name: meta.Name,
        Tags: tags,
        ...apiFields(shape(ParameterMetadata$, meta), 'Name'),
      };
      return resource;
    },

    resourceId(target, ref) {
      return parameterArn(target, ref.name);
    },

    events: {
      PutParameter: rescan,
      DeleteParameter: { action: 'delete', refs: parameterRefsOf },
      DeleteParameters: { action: 'delete', refs: parameterRefsOf },
      LabelParameterVersion: rescan,
      UnlabelParameterVersion: rescan,
      AddTagsToResource: rescan,
      RemoveTagsFromResource: rescan,
    },

    // SecurityAudit covers every call: ssm:DescribeParameters, ssm:ListTagsForResource. Never
    // ssm:GetParameter*. DescribeParameters per page (its metadata is the model); per parameter
    // ListTagsForResource.
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'ARN', type: 'string', description: 'The parameter ARN (also ResourceId and Arn).' },
      { name: 'Type', type: 'string', description: 'String, StringList or SecureString.' },
      { name: 'KeyId', type: 'string | null', description: 'The KMS key of a SecureString parameter (alias/aws/ssm when the AWS managed key is used); null for other types.' },
      { name: 'LastModifiedDate', type: 'timestamp', description: 'When the current version was written.' },
      { name: 'LastModifiedUser', type: 'string', description: 'The ARN of whoever wrote the current version.' },
      { name: 'Description', type: 'string | null', description: 'The parameter description.' },
      { name: 'AllowedPattern', type: 'string | null', description: 'The regular expression values must match.' },
      { name: 'Version', type: 'integer', description: 'The current version number.' },
      { name: 'Tier', type: 'string', description: 'Standard, Advanced or Intelligent-Tiering.' },
      { name: 'Policies', type: 'list<{PolicyText, PolicyType, PolicyStatus}> | null', description: 'Parameter policies (Expiration, ExpirationNotification, NoChangeNotification) of an advanced parameter; null when none.' },
      { name: 'DataType', type: 'string', description: 'text, aws:ec2:image or aws:ssm:integration.' },
    ],
  };
}

export const SSM_PARAMETER: ResourceType<ParameterRef> = makeSsmParameterType();

