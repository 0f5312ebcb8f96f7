/**
 * AWS.Athena.WorkGroup — regional. ListWorkGroups pages name the workgroups; `describe` reads
 * GetWorkGroup (result location and encryption, enforcement, metrics) and ListTagsForResource.
 */
import { AthenaClient, GetWorkGroupCommand, ListTagsForResourceCommand, ListWorkGroupsCommand, WorkGroup$, type Tag } from '@aws-sdk/client-athena';
import { hasErrorMessage } from './aws-errors.ts';
import { iso, shape, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, parseArn, req } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface WorkGroupRef {
  name: string;
}

export const ATHENA_WORKGROUP_TYPE = 'AWS.Athena.WorkGroup';

/** Athena answers a missing workgroup with InvalidRequestException: "WorkGroup … is not found"
 *  from GetWorkGroup, "Athena Resource, <arn> Does Not Exist" from ListTagsForResource. */
const isGone = (e: unknown) => hasErrorMessage(e, 'InvalidRequestException', /not found|does not exist/i);

export function workGroupArn(target: ScanTarget, name: string): string {
  return `arn:${target.partition}:athena:${target.region}:${target.accountId}:workgroup/${name}`;
}

/** The workgroup of an Athena ARN (`…:workgroup/<name>`). */
const nameOfArn = (value: string | undefined) => {
  const arn = parseArn(value);
  return arn?.service === 'athena' ? /^workgroup\/([^/]+)$/.exec(arn.resource)?.[1] : undefined;
};

/** The workgroups an event names: request `name` (CreateWorkGroup), `workGroup` (Update/Delete),
 *  the ARN `resourceARN` of the tag calls. */
export function workGroupRefsOf(d: CloudTrailDetail): WorkGroupRef[] {
  const created = d.eventName === 'CreateWorkGroup' ? req(d, 'name') : undefined;
  return distinct([created, req(d, 'workGroup'), nameOfArn(req(d, 'resourceARN'))]).map((name) => ({ name }));
}

const rescan: EventRule<WorkGroupRef> = { action: 'rescan', refs: workGroupRefsOf };

async function tagsOf(athena: AthenaClient, ResourceARN: string): Promise<Record<string, string> | null> {
  const tags: Tag[] = [];
  let NextToken: string | undefined;
  do {
    const page = await athena.send(new ListTagsForResourceCommand({ ResourceARN, NextToken }));
    tags.push(...(page.Tags ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return tagMap(tags);
}

export interface WorkGroupOptions {
  /** ListWorkGroups MaxResults per page (1–50). */
  pageSize?: number;
}

export function makeWorkGroupType(opts: WorkGroupOptions = {}): ResourceType<WorkGroupRef> {
  const pageSize = opts.pageSize ?? 50;
  return {
    type: ATHENA_WORKGROUP_TYPE,
    asffType: 'AwsAthenaWorkGroup',
    service: 'athena',
    scope: 'regional',
    eventSource: 'athena.amazonaws.com',

    async list(ctx, pageToken) {
      const athena = ctx.clients.get(AthenaClient, ctx.region);
      const page = await athena.send(new ListWorkGroupsCommand({ MaxResults: pageSize, NextToken: pageToken }));
      const refs = (page.WorkGroups ?? []).flatMap((w) => (w.Name ? [{ name: w.Name }] : []));
      return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
    },

    async describe(ctx, ref) {
      const athena = ctx.clients.get(AthenaClient, ctx.region);
      try {
        const { WorkGroup: wg } = await athena.send(new GetWorkGroupCommand({ WorkGroup: ref.name }));
        if (!wg?.Name) return null;
        const arn = workGroupArn(ctx, wg.Name);
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: ATHENA_WORKGROUP_TYPE,
          TimeCreated: iso(wg.CreationTime),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: arn,
          Id: null,
          Name: wg.Name,
          Tags: await tagsOf(athena, arn),
          ...apiFields(shape(WorkGroup$, wg), 'Name'),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls.
        if (isGone(e)) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return workGroupArn(target, ref.name);
    },

    events: {
      CreateWorkGroup: rescan,
      UpdateWorkGroup: rescan,
      DeleteWorkGroup: { action: 'delete', refs: workGroupRefsOf },
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: athena:List* (ListWorkGroups, ListTagsForResource), athena:GetWorkGroup.
    // ListWorkGroups per page; per workgroup GetWorkGroup and ListTagsForResource.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'State', type: 'string', description: 'ENABLED or DISABLED.' },
      { name: 'Configuration', type: 'WorkGroupConfiguration', description: '{ResultConfiguration {OutputLocation, EncryptionConfiguration {EncryptionOption (SSE_S3, SSE_KMS, CSE_KMS), KmsKey}, ExpectedBucketOwner, AclConfiguration}, ManagedQueryResultsConfiguration, EnforceWorkGroupConfiguration, PublishCloudWatchMetricsEnabled, BytesScannedCutoffPerQuery, RequesterPaysEnabled, EngineVersion, AdditionalConfiguration, ExecutionRole, MonitoringConfiguration, EngineConfiguration, CustomerContentEncryptionConfiguration, EnableMinimumEncryptionConfiguration, IdentityCenterConfiguration, QueryResultsS3AccessGrantsConfiguration, SystemTableStatuses}.' },
      { name: 'Description', type: 'string | null', description: 'The workgroup description.' },
      { name: 'CreationTime', type: 'timestamp', description: 'When the workgroup was created (also TimeCreated).' },
      { name: 'IdentityCenterApplicationArn', type: 'string | null', description: 'The IAM Identity Center application of the workgroup.' },
    ],
  };
}

export const ATHENA_WORKGROUP: ResourceType<WorkGroupRef> = makeWorkGroupType();
