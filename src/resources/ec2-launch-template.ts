/**
 * AWS.EC2.LaunchTemplate — regional. DescribeLaunchTemplates pages return the templates (tags
 * included), kept in the scope cache; `describe` adds the default version
 * (DescribeLaunchTemplateVersions `$Default`): what an instance launched from the template without
 * a version gets — network interfaces, metadata options, block devices. Its UserData is redacted.
 */
import {
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  LaunchTemplate$,
  LaunchTemplateVersion$,
  type LaunchTemplate,
} from '@aws-sdk/client-ec2';
import { schemaAttributeDocs } from './attribute-docs.ts';
import { hasErrorCode } from './aws-errors.ts';
import { awsFields, ec2Arn, idsIn } from './ec2-common.ts';
import { remember, take } from './scope-cache.ts';
import { iso, shape, tagMap } from './shape.ts';
import { distinct, pick, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface LaunchTemplateRef {
  /** The template ID, `lt-…`; absent when an event names the template by name only. */
  id?: string;
  name?: string;
}

export const EC2_LAUNCH_TEMPLATE_TYPE = 'AWS.EC2.LaunchTemplate';

const NOT_FOUND = ['InvalidLaunchTemplateId.NotFound', 'InvalidLaunchTemplateName.NotFoundException', 'InvalidLaunchTemplateId.Malformed'];
const cacheKey = (region: string, id: string) => `ec2:launch-template:${region}:${id}`;

async function model(ctx: ScanContext, t: LaunchTemplate): Promise<Resource | null> {
  const LaunchTemplateId = t.LaunchTemplateId!;
  const ec2 = ctx.clients.get(EC2Client, ctx.region);
  let version;
  try {
    version = (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId, Versions: ['$Default'] }))).LaunchTemplateVersions?.[0];
  } catch (e) {
    // Deleted after it was listed.
    if (hasErrorCode(e, ...NOT_FOUND)) return null;
    throw e;
  }
  const arn = ec2Arn(ctx, ctx.accountId, 'launch-template', LaunchTemplateId);
  return {
    ResourceId: arn,
    ResourceType: EC2_LAUNCH_TEMPLATE_TYPE,
    TimeCreated: iso(t.CreateTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: arn,
    Id: LaunchTemplateId,
    Name: t.LaunchTemplateName ?? null,
    Tags: tagMap(t.Tags),
    ...awsFields(LaunchTemplate$, t),
    DefaultVersion: shape(LaunchTemplateVersion$, version),
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The templates an event names: `launchTemplateId` anywhere in the request or response (EC2
 *  wraps these calls as `CreateLaunchTemplateVersionRequest.LaunchTemplateId`, answers
 *  `launchTemplate.launchTemplateId`), tag calls' `lt-` resource IDs; by name when no ID is given. */
export function launchTemplateRefsOf(d: CloudTrailDetail): LaunchTemplateRef[] {
  const ids = idsIn(d, ['launchTemplateId', 'resourceId'], 'lt-');
  if (ids.length > 0) return ids.map((id) => ({ id }));
  const p = d.requestParameters;
  const names = distinct([req(d, 'launchTemplateName'), ...Object.keys(p ?? {}).map((k) => pick(p, k, 'LaunchTemplateName'))]);
  return names.map((name) => ({ name }));
}

const rescan: EventRule<LaunchTemplateRef> = { action: 'rescan', refs: launchTemplateRefsOf };

export interface Ec2LaunchTemplateOptions {
  /** DescribeLaunchTemplates MaxResults per page (1–200). */
  pageSize?: number;
}

export function makeEc2LaunchTemplateType(opts: Ec2LaunchTemplateOptions = {}): ResourceType<LaunchTemplateRef> {
  const pageSize = opts.pageSize ?? 200;
  return {
    type: EC2_LAUNCH_TEMPLATE_TYPE,
    asffType: 'AwsEc2LaunchTemplate',
    service: 'ec2',
    scope: 'regional',
    eventSource: 'ec2.amazonaws.com',

    async list(ctx, pageToken) {
      const ec2 = ctx.clients.get(EC2Client, ctx.region);
      const page = await ec2.send(new DescribeLaunchTemplatesCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs: LaunchTemplateRef[] = [];
      for (const t of page.LaunchTemplates ?? []) {
        if (!t.LaunchTemplateId) continue;
        remember(ctx, cacheKey(ctx.region, t.LaunchTemplateId), t);
        refs.push({ id: t.LaunchTemplateId });
      }
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      let t = ref.id ? await take<LaunchTemplate>(ctx, cacheKey(ctx.region, ref.id)) : undefined;
      if (!t) {
        const ec2 = ctx.clients.get(EC2Client, ctx.region);
        try {
          const out = await ec2.send(new DescribeLaunchTemplatesCommand(ref.id ? { LaunchTemplateIds: [ref.id] } : { LaunchTemplateNames: [ref.name!] }));
          t = out.LaunchTemplates?.[0];
        } catch (e) {
          if (hasErrorCode(e, ...NOT_FOUND)) return null;
          throw e;
        }
      }
      return t?.LaunchTemplateId ? model(ctx, t) : null;
    },

    resourceId(target, ref) {
      return ref.id ? ec2Arn(target, target.accountId, 'launch-template', ref.id) : undefined;
    },

    events: {
      CreateLaunchTemplate: rescan,
      CreateLaunchTemplateVersion: rescan,
      ModifyLaunchTemplate: rescan,
      DeleteLaunchTemplate: { action: 'delete', refs: launchTemplateRefsOf },
      DeleteLaunchTemplateVersions: rescan,
      CreateTags: rescan,
      DeleteTags: rescan,
    },

    // SecurityAudit's ec2:Describe* covers DescribeLaunchTemplates and DescribeLaunchTemplateVersions.
    // DescribeLaunchTemplates per page; per template DescribeLaunchTemplateVersions ($Default).
    apiCalls: { perPage: 1, perResource: 1, perScope: 0 },
    iamActions: [],
    // Instance user data often carries bootstrap secrets.
    secretAttributes: ['DefaultVersion.LaunchTemplateData.UserData'],

    attributes: [
      ...schemaAttributeDocs(LaunchTemplate$, 'DescribeLaunchTemplates', {
        LaunchTemplateId: ['string', 'The template ID (also Id).'],
        LaunchTemplateName: ['string', 'The template name (also Name).'],
        CreateTime: ['timestamp', 'When the template was created (also TimeCreated).'],
        CreatedBy: 'The principal ARN that created the template.',
        DefaultVersionNumber: 'The default version number.',
        LatestVersionNumber: 'The latest version number.',
        Operator: 'The service managing the template {Managed, Principal}, if any.',
      }, ['Tags']),
      { name: 'DefaultVersion', type: 'LaunchTemplateVersion | null', description: 'DescribeLaunchTemplateVersions of the default version: {VersionNumber, VersionDescription, CreateTime, CreatedBy, DefaultVersion, LaunchTemplateData {ImageId, InstanceType, NetworkInterfaces [{AssociatePublicIpAddress, DeviceIndex, SubnetId, Groups, ...}], MetadataOptions {HttpTokens, HttpPutResponseHopLimit, HttpEndpoint, ...}, BlockDeviceMappings, IamInstanceProfile, SecurityGroupIds, UserData (redacted), ...}}.' },
    ],
  };
}

export const EC2_LAUNCH_TEMPLATE: ResourceType<LaunchTemplateRef> = makeEc2LaunchTemplateType();
