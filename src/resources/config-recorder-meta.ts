/**
 * AWS.Config.Recorder.Meta — one per account: the configuration recorders of the enabled
 * regions (`Recorders`, AWS.Config.Recorder ResourceIds) and how many of them record IAM's
 * global resource types (`GlobalRecorderCount`; one is enough, more duplicate the records).
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { perRegion } from './account-regions.ts';
import { customerRecorder, recorderResourceId, recordsGlobalTypes } from './config-recorder.ts';
import type { ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** The account's single summary needs no reference data. */
export type RecorderMetaRef = Record<string, never>;

export const CONFIG_RECORDER_META_TYPE = 'AWS.Config.Recorder.Meta';

const resourceId = (target: Pick<ScanTarget, 'accountId'>) => `${target.accountId}::${CONFIG_RECORDER_META_TYPE}`;

export const CONFIG_RECORDER_META: ResourceType<RecorderMetaRef> = {
  type: CONFIG_RECORDER_META_TYPE,
  service: 'config',
  scope: 'global',
  eventSource: 'config.amazonaws.com',

  async list() {
    return { refs: [{}] };
  },

  async describe(ctx) {
    const found = await perRegion(ctx, (region) => customerRecorder(ctx.clients.get(ConfigServiceClient, region)));
    const present = found.filter((r) => r.value);
    const resource: Resource = {
      ResourceId: resourceId(ctx),
      ResourceType: CONFIG_RECORDER_META_TYPE,
      TimeCreated: null,
      AccountId: ctx.accountId,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: CONFIG_RECORDER_META_TYPE,
      Tags: null,
      GlobalRecorderCount: present.filter((r) => recordsGlobalTypes(r.value!)).length,
      // [] when there is none, as Panther's model has it.
      Recorders: present.map((r) => recorderResourceId({ accountId: ctx.accountId, region: r.region })),
    };
    return resource;
  },

  resourceId(target) {
    return resourceId(target);
  },

  events: {
    PutConfigurationRecorder: { action: 'rescan-account' },
    DeleteConfigurationRecorder: { action: 'rescan-account' },
    AssociateResourceTypes: { action: 'rescan-account' },
    DisassociateResourceTypes: { action: 'rescan-account' },
  },

  // SecurityAudit covers every call: ec2:DescribeRegions, config:DescribeConfigurationRecorders.
  // Nothing to list; per scope DescribeRegions, per scanned region DescribeConfigurationRecorders.
  apiCalls: { perPage: 0, perResource: 0, perScope: 1, perRegion: 1 },
  iamActions: [],

  attributes: [
    { name: 'GlobalRecorderCount', type: 'integer', description: 'How many of the recorders record IAM\'s global resource types (AllSupported with IncludeGlobalResourceTypes, or AWS::IAM::* types listed); policies expect exactly one region to do so. Whether each records at all is its Status.Recording.' },
    { name: 'Recorders', type: 'list<string>', description: 'ResourceIds (`<acct>:<region>:AWS.Config.Recorder`) of the customer-managed recorders in the account\'s enabled regions, sorted by region; [] when there is none (Panther\'s model).' },
  ],
};
