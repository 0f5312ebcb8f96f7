/**
 * AWS.GuardDuty.Detector.Meta — one per account: which enabled regions have a GuardDuty
 * detector (`Detectors`, the AWS.GuardDuty.Detector ResourceIds).
 */
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { perRegion } from './account-regions.ts';
import { detectorResourceId, listDetectorIds } from './guardduty-detector.ts';
import type { ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** The account's single summary needs no reference data. */
export type DetectorMetaRef = Record<string, never>;

export const GUARDDUTY_DETECTOR_META_TYPE = 'AWS.GuardDuty.Detector.Meta';

const resourceId = (target: Pick<ScanTarget, 'accountId'>) => `${target.accountId}::${GUARDDUTY_DETECTOR_META_TYPE}`;

export const GUARDDUTY_DETECTOR_META: ResourceType<DetectorMetaRef> = {
  type: GUARDDUTY_DETECTOR_META_TYPE,
  service: 'guardduty',
  scope: 'global',
  eventSource: 'guardduty.amazonaws.com',

  async list() {
    return { refs: [{}] };
  },

  async describe(ctx) {
    const found = await perRegion(ctx, async (region) => (await listDetectorIds(ctx.clients.get(GuardDutyClient, region))).length > 0);
    const resource: Resource = {
      ResourceId: resourceId(ctx),
      ResourceType: GUARDDUTY_DETECTOR_META_TYPE,
      TimeCreated: null,
      AccountId: ctx.accountId,
      Region: 'global',
      Arn: null,
      Id: null,
      Name: GUARDDUTY_DETECTOR_META_TYPE,
      Tags: null,
      // [] when there is none, as Panther's model has it: its policies iterate this list.
      Detectors: found.filter((r) => r.value).map((r) => detectorResourceId({ accountId: ctx.accountId, region: r.region })),
    };
    return resource;
  },

  resourceId(target) {
    return resourceId(target);
  },

  events: {
    CreateDetector: { action: 'rescan-account' },
    DeleteDetector: { action: 'rescan-account' },
  },

  // SecurityAudit covers every call: ec2:DescribeRegions, guardduty:ListDetectors.
  // Nothing to list; per scope DescribeRegions, per scanned region ListDetectors.
  apiCalls: { perPage: 0, perResource: 0, perScope: 1, perRegion: 1 },
  iamActions: [],

  attributes: [
    {
      name: 'Detectors',
      type: 'list<string>',
      description:
        'ResourceIds (`<acct>:<region>:AWS.GuardDuty.Detector`) of the detectors in the account\'s enabled regions, sorted by region; [] when there is none (Panther\'s model: policies iterate it). A suspended detector is listed too: its Status is on the detector.',
    },
  ],
};
