/**
 * AWS.CloudFront.Distribution — global (CloudFront's API and events live in us-east-1).
 * ListDistributions pages name the distributions; `describe` reads GetDistribution (the
 * Distribution with its DistributionConfig: origins, behaviors, viewer certificate, logging,
 * web ACL) and ListTagsForResource.
 */
import { CloudFrontClient, Distribution$, GetDistributionCommand, ListDistributionsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudfront';
import { hasErrorCode } from './aws-errors.ts';
import { shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface DistributionRef {
  id: string;
}

export const CLOUDFRONT_DISTRIBUTION_TYPE = 'AWS.CloudFront.Distribution';

/** A created or changed distribution deploys to the edge for minutes (Status InProgress). */
const DEPLOY_SETTLE_SECONDS = 60;

export function distributionArn(target: ScanTarget, id: string): string {
  return `arn:${target.partition}:cloudfront::${target.accountId}:distribution/${id}`;
}

/** The distribution of a CloudFront ARN (`…:distribution/<id>`). */
const idOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'cloudfront' ? /^distribution\/([^/]+)$/.exec(arn.resource)?.[1] : undefined;
};

/** The distributions an event names: request `id` (Update/Delete/Copy/AssociateAlias uses
 *  `targetDistributionId`), the ARN `resource` of the tag calls, and the response's distribution. */
export function distributionRefsOf(d: CloudTrailDetail): DistributionRef[] {
  return distinct([
    req(d, 'id'),
    req(d, 'targetDistributionId'),
    idOfArn(req(d, 'resource')),
    res(d, 'distribution', 'id'),
  ]).map((id) => ({ id }));
}

const rescan: EventRule<DistributionRef> = { action: 'rescan', refs: distributionRefsOf, settleSeconds: DEPLOY_SETTLE_SECONDS };

export interface DistributionOptions {
  /** ListDistributions MaxItems per page. */
  pageSize?: number;
}

export function makeDistributionType(opts: DistributionOptions = {}): ResourceType<DistributionRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: CLOUDFRONT_DISTRIBUTION_TYPE,
    asffType: 'AwsCloudFrontDistribution',
    service: 'cloudfront',
    scope: 'global',
    eventSource: 'cloudfront.amazonaws.com',

    async list(ctx, pageToken) {
      const cf = ctx.clients.get(CloudFrontClient, ctx.region);
      const { DistributionList: page } = await cf.send(new ListDistributionsCommand({ MaxItems: pageSize, Marker: pageToken }));
      const refs = (page?.Items ?? []).flatMap((d) => (d.Id ? [{ id: d.Id }] : []));
      return { refs, ...(page?.IsTruncated && page.NextMarker ? { nextPageToken: page.NextMarker } : {}) };
    },

    async describe(ctx, ref) {
      const cf = ctx.clients.get(CloudFrontClient, ctx.region);
      try {
        const { Distribution: dist } = await cf.send(new GetDistributionCommand({ Id: ref.id }));
        if (!dist?.Id) return null;
        // The ResourceId is formed from the ID (as `resourceId` forms it), whatever ARN an endpoint answers.
        const arn = distributionArn(ctx, dist.Id);
        const { Tags } = await cf.send(new ListTagsForResourceCommand({ Resource: dist.ARN ?? arn }));
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: CLOUDFRONT_DISTRIBUTION_TYPE,
          // CloudFront does not tell when a distribution was created.
          TimeCreated: null,
          AccountId: ctx.accountId,
          Region: 'global',
          Arn: arn,
          Id: dist.Id,
          Name: dist.DomainName ?? null,
          Tags: tagMap(Tags?.Items),
          ...apiFields(shape(Distribution$, dist)),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (hasErrorCode(e, 'NoSuchDistribution', 'NoSuchResource')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return distributionArn(target, ref.id);
    },

    events: {
      CreateDistribution: rescan,
      CreateDistributionWithTags: rescan,
      CopyDistribution: rescan,
      UpdateDistribution: rescan,
      UpdateDistributionWithStagingConfig: rescan,
      AssociateAlias: rescan,
      DeleteDistribution: { action: 'delete', refs: distributionRefsOf },
      TagResource: { action: 'rescan', refs: distributionRefsOf },
      UntagResource: { action: 'rescan', refs: distributionRefsOf },
    },

    // SecurityAudit covers every call: cloudfront:List* (ListDistributions, ListTagsForResource), cloudfront:Get* (GetDistribution).
    // ListDistributions per page; per distribution GetDistribution and ListTagsForResource.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],
    // Invalidations come and go without any configuration change.
    volatileAttributes: ['InProgressInvalidationBatches'],

    attributes: [
      { name: 'ARN', type: 'string', description: 'The distribution ARN (also ResourceId and Arn).' },
      { name: 'Status', type: 'string', description: 'Deployed, or InProgress while a change propagates to the edge.' },
      { name: 'LastModifiedTime', type: 'timestamp', description: 'When the distribution was last changed.' },
      { name: 'InProgressInvalidationBatches', type: 'integer', description: 'Invalidation batches in progress (left out of the change hash).' },
      { name: 'DomainName', type: 'string', description: 'The CloudFront domain, d111111abcdef8.cloudfront.net (also Name).' },
      { name: 'DistributionConfig', type: 'DistributionConfig', description: 'The configuration: {CallerReference, Origins {Quantity, Items [{Id, DomainName, OriginPath, CustomHeaders, S3OriginConfig, CustomOriginConfig {HTTPPort, HTTPSPort, OriginProtocolPolicy, OriginSslProtocols, …}, OriginAccessControlId, …}]}, DefaultCacheBehavior {TargetOriginId, ViewerProtocolPolicy, …}, Comment, Enabled, Aliases, DefaultRootObject, OriginGroups, CacheBehaviors, CustomErrorResponses, Logging {Enabled, IncludeCookies, Bucket, Prefix}, PriceClass, ViewerCertificate {CloudFrontDefaultCertificate, ACMCertificateArn, IAMCertificateId, SSLSupportMethod, MinimumProtocolVersion, …}, Restrictions, WebACLId, HttpVersion, IsIPV6Enabled, ContinuousDeploymentPolicyId, Staging, AnycastIpListId, TenantConfig, ConnectionMode, ViewerMtlsConfig, ConnectionFunctionAssociation, CacheTagConfig}.' },
      { name: 'ActiveTrustedSigners', type: '{Enabled, Quantity, Items} | null', description: 'AWS accounts that can sign URLs for private content (legacy).' },
      { name: 'ActiveTrustedKeyGroups', type: '{Enabled, Quantity, Items} | null', description: 'Key groups that can sign URLs for private content.' },
      { name: 'AliasICPRecordals', type: 'list<{CNAME, ICPRecordalStatus}> | null', description: 'ICP recordal status of the aliases (China).' },
    ],
  };
}

export const CLOUDFRONT_DISTRIBUTION: ResourceType<DistributionRef> = makeDistributionType();
