/**
 * AWS.Inspector.Meta — one per account and region, present whether or not Amazon Inspector is on
 * there: BatchGetAccountStatus for the account (its state and each scan type's state: EC2, ECR,
 * Lambda standard and Lambda code scanning, code repositories). ResourceId
 * `<acct>:<region>:AWS.Inspector.Meta`. Inspector's camelCase members are PascalCased.
 */
import { AccountState$, BatchGetAccountStatusCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { pascalShape } from './shape-pascal.ts';
import type { ResourceType, ScanTarget } from './types.ts';
import type { Resource } from '#core/resource.ts';

/** The region's single summary needs no reference data. */
export type InspectorMetaRef = Record<string, never>;

export const INSPECTOR_META_TYPE = 'AWS.Inspector.Meta';

const resourceId = (target: Pick<ScanTarget, 'accountId' | 'region'>) => `${target.accountId}:${target.region}:${INSPECTOR_META_TYPE}`;

const regionChanged = { action: 'rescan-region' } as const;

export const INSPECTOR_META: ResourceType<InspectorMetaRef> = {
  type: INSPECTOR_META_TYPE,
  service: 'inspector2',
  scope: 'regional',
  eventSource: 'inspector2.amazonaws.com',

  async list() {
    return { refs: [{}] };
  },

  async describe(ctx) {
    const out = await ctx.clients.get(Inspector2Client, ctx.region).send(new BatchGetAccountStatusCommand({ accountIds: [ctx.accountId] }));
    const failed = out.failedAccounts?.find((f) => f.accountId === ctx.accountId);
    if (failed) throw new Error(`inspector2 BatchGetAccountStatus failed for account ${ctx.accountId} in ${ctx.region}: ${failed.errorCode ?? ''} ${failed.errorMessage ?? ''}`.trim());
    const account = out.accounts?.find((a) => a.accountId === ctx.accountId);
    const state = (pascalShape(AccountState$, account ?? { accountId: ctx.accountId }) as { State: unknown; ResourceState: unknown });
    const resource: Resource = {
      ResourceId: resourceId(ctx),
      ResourceType: INSPECTOR_META_TYPE,
      TimeCreated: null,
      AccountId: ctx.accountId,
      Region: ctx.region,
      Arn: null,
      Id: null,
      Name: INSPECTOR_META_TYPE,
      Tags: null,
      State: state.State,
      ResourceState: state.ResourceState,
    };
    return resource;
  },

  resourceId(target) {
    return resourceId(target);
  },

  events: {
    Enable: regionChanged,
    Disable: regionChanged,
  },

  // inspector2:BatchGetAccountStatus matches none of SecurityAudit's inspector2 grants (Get*,
  // List*, Describe*), so it is granted explicitly. One call per region scope.
  apiCalls: { perPage: 0, perResource: 1, perScope: 0 },
  iamActions: ['inspector2:BatchGetAccountStatus'],

  attributes: [
    { name: 'State', type: '{Status, ErrorCode, ErrorMessage} | null', description: 'The account\'s Inspector state in the region: Status ENABLING, ENABLED, DISABLING, DISABLED, SUSPENDING or SUSPENDED.' },
    { name: 'ResourceState', type: '{Ec2, Ecr, Lambda, LambdaCode, CodeRepository} | null', description: 'Each scan type\'s state {Status, ErrorCode, ErrorMessage}: Ec2 (EC2 scanning), Ecr (ECR image scanning), Lambda (standard scanning), LambdaCode (code scanning), CodeRepository.' },
  ],
};
