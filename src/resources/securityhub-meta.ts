/**
 * AWS.SecurityHub.Meta — one per account and region, present whether or not Security Hub is on
 * there (so "not enabled" is a finding, not a missing resource): `Enabled` and DescribeHub's
 * fields. ResourceId `<acct>:<region>:AWS.SecurityHub.Meta`.
 */
import { DescribeHubCommand, DescribeHubResponse$, SecurityHubClient, type DescribeHubCommandOutput } from '@aws-sdk/client-securityhub';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import type { ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** The region's single summary needs no reference data. */
export type SecurityHubMetaRef = Record<string, never>;

export const SECURITYHUB_META_TYPE = 'AWS.SecurityHub.Meta';

const resourceId = (target: Pick<ScanTarget, 'accountId' | 'region'>) => `${target.accountId}:${target.region}:${SECURITYHUB_META_TYPE}`;

const regionChanged = { action: 'rescan-region' } as const;

export const SECURITYHUB_META: ResourceType<SecurityHubMetaRef> = {
  type: SECURITYHUB_META_TYPE,
  service: 'securityhub',
  scope: 'regional',
  eventSource: 'securityhub.amazonaws.com',

  async list() {
    return { refs: [{}] };
  },

  async describe(ctx) {
    let hub: DescribeHubCommandOutput | null;
    try {
      hub = await ctx.clients.get(SecurityHubClient, ctx.region).send(new DescribeHubCommand({}));
    } catch (e) {
      // "Account is not subscribed to AWS Security Hub": the answer when it is off in the region.
      if (!hasErrorCode(e, 'InvalidAccessException')) throw e;
      hub = null;
    }
    const fields = apiFields(shape(DescribeHubResponse$, hub ?? {}));
    const resource: Resource = {
      ResourceId: resourceId(ctx),
      ResourceType: SECURITYHUB_META_TYPE,
      TimeCreated: hub?.SubscribedAt ? iso(hub.SubscribedAt) : null,
      AccountId: ctx.accountId,
      Region: ctx.region,
      Arn: hub?.HubArn ?? null,
      Id: null,
      Name: SECURITYHUB_META_TYPE,
      Tags: null,
      Enabled: hub !== null,
      ...fields,
    };
    return resource;
  },

  resourceId(target) {
    return resourceId(target);
  },

  events: {
    EnableSecurityHub: regionChanged,
    DisableSecurityHub: regionChanged,
    UpdateSecurityHubConfiguration: regionChanged,
  },

  // SecurityAudit covers securityhub:DescribeHub. One call per region scope.
  apiCalls: { perPage: 0, perResource: 1, perScope: 0 },
  iamActions: [],

  attributes: [
    { name: 'Enabled', type: 'boolean', description: 'Whether Security Hub is enabled in the region (DescribeHub answers; false when it says the account is not subscribed).' },
    { name: 'HubArn', type: 'string | null', description: 'The hub ARN (also Arn); null when not enabled.' },
    { name: 'SubscribedAt', type: 'string | null', description: 'When Security Hub was enabled (also TimeCreated).' },
    { name: 'AutoEnableControls', type: 'boolean | null', description: 'Whether new controls of enabled standards are turned on automatically.' },
    { name: 'ControlFindingGenerator', type: 'string | null', description: 'SECURITY_CONTROL (consolidated control findings) or STANDARD_CONTROL.' },
  ],
};
