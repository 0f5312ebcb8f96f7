/**
 * AWS.CloudFormation.Stack — regional. DescribeStacks pages already return whole stacks, so
 * `list` keeps each page's stacks in the scope cache and `describe` calls the API only for refs
 * that did not come from this scope's listing (real-time rescans).
 *
 * Drift: Posture reads the last drift detection's results (DescribeStackResourceDrifts) for
 * stacks whose DriftInformation says they were checked; it never starts a detection
 * (DetectStackDrift is not a read action and needs read access to every stack resource).
 */
import {
  CloudFormationClient,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  Stack$,
  StackResourceDrift$,
  type Stack,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { hasErrorCode } from './aws-errors.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import { apiFields } from './shape-pascal.ts';
import { distinct, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';
import { remember, take } from './scope-cache.ts';

export interface StackRef {
  /** The stack name or its StackId (an ARN). Listings always give the StackId. */
  stackName: string;
}

export const CLOUDFORMATION_STACK_TYPE = 'AWS.CloudFormation.Stack';

/** Seconds until a stack operation has usually finished (creates, updates and deletes run
 *  asynchronously, and no event marks their end). */
const STACK_SETTLE_SECONDS = 300;

const cacheKey = (region: string, stackId: string) => `cloudformation:stack:${region}:${stackId}`;

const isStackId = (name: string) => name.startsWith('arn:');

/** True for the error DescribeStacks answers for a stack that does not exist. */
const isMissingStack = (e: unknown) => hasErrorCode(e, 'ValidationError') && /does not exist/i.test((e as Error).message ?? '');

async function drifts(cfn: CloudFormationClient, stack: Stack): Promise<StackResourceDrift[]> {
  const status = stack.DriftInformation?.StackDriftStatus;
  // NOT_CHECKED (or no drift information): there are no detection results to read.
  if (!status || status === 'NOT_CHECKED') return [];
  const out: StackResourceDrift[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackResourceDriftsCommand({ StackName: stack.StackId, MaxResults: 100, NextToken: token }));
    out.push(...(page.StackResourceDrifts ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

async function model(ctx: ScanContext, cfn: CloudFormationClient, stack: Stack): Promise<Resource | null> {
  const stackId = stack.StackId!;
  let resourceDrifts: StackResourceDrift[];
  try {
    resourceDrifts = await drifts(cfn, stack);
  } catch (e) {
    // Deleted between the listing and the drift call.
    if (isMissingStack(e)) return null;
    throw e;
  }
  return {
    ResourceId: stackId,
    ResourceType: CLOUDFORMATION_STACK_TYPE,
    TimeCreated: iso(stack.CreationTime),
    AccountId: ctx.accountId,
    Region: ctx.region,
    Arn: stackId,
    Id: stackId,
    Name: stack.StackName ?? null,
    Tags: tagMap(stack.Tags),
    ...apiFields(shape(Stack$, stack), 'Tags'),
    Drifts: shapeList(StackResourceDrift$, resourceDrifts),
  };
}

// ---- CloudTrail refs -------------------------------------------------------------------------

/** The stack an event names: response `stackId` (CreateStack, UpdateStack,
 *  UpdateTerminationProtection), else request `stackName` (a name or a StackId). */
export function stackRefsOf(d: CloudTrailDetail): StackRef[] {
  const id = res(d, 'stackId');
  return distinct([id ?? req(d, 'stackName')]).map((stackName) => ({ stackName }));
}

const settled: EventRule<StackRef> = { action: 'rescan', refs: stackRefsOf, settleSeconds: STACK_SETTLE_SECONDS };

export const CLOUDFORMATION_STACK: ResourceType<StackRef> = {
  type: CLOUDFORMATION_STACK_TYPE,
  asffType: 'AwsCloudFormationStack',
  service: 'cloudformation',
  scope: 'regional',
  eventSource: 'cloudformation.amazonaws.com',

  async list(ctx, pageToken) {
    const cfn = ctx.clients.get(CloudFormationClient, ctx.region);
    // DescribeStacks takes no page size (AWS answers up to 100 stacks a page).
    const page = await cfn.send(new DescribeStacksCommand({ NextToken: pageToken }));
    const refs: StackRef[] = [];
    for (const stack of page.Stacks ?? []) {
      if (!stack.StackId || stack.StackStatus === 'DELETE_COMPLETE') continue;
      remember(ctx, cacheKey(ctx.region, stack.StackId), stack);
      refs.push({ stackName: stack.StackId });
    }
    return { refs, ...(page.NextToken ? { nextPageToken: page.NextToken } : {}) };
  },

  async describe(ctx, ref) {
    const cfn = ctx.clients.get(CloudFormationClient, ctx.region);
    let stack = await take<Stack>(ctx, cacheKey(ctx.region, ref.stackName));
    if (!stack) {
      try {
        const out = await cfn.send(new DescribeStacksCommand({ StackName: ref.stackName }));
        stack = out.Stacks?.[0];
      } catch (e) {
        if (isMissingStack(e)) return null;
        throw e;
      }
    }
    // Described by StackId, a deleted stack is still answered (for 90 days) as DELETE_COMPLETE.
    if (!stack?.StackId || stack.StackStatus === 'DELETE_COMPLETE') return null;
    return model(ctx, cfn, stack);
  },

  resourceId(_target, ref) {
    return isStackId(ref.stackName) ? ref.stackName : undefined;
  },

  events: {
    CreateStack: settled,
    UpdateStack: settled,
    // Deletion runs asynchronously and can fail (DELETE_FAILED): rescan once it has settled; a
    // stack that is gone then is tombstoned (by StackId, or by reconciling the region when the
    // event names the stack only by name).
    DeleteStack: settled,
    CancelUpdateStack: settled,
    ContinueUpdateRollback: settled,
    RollbackStack: settled,
    UpdateTerminationProtection: { action: 'rescan', refs: stackRefsOf },
    // Detection takes a while; its results are read afterwards.
    DetectStackDrift: { action: 'rescan', refs: stackRefsOf, settleSeconds: 60 },
    // Recorded with the change set's name or ARN, often without the stack's name.
    ExecuteChangeSet: { action: 'rescan-region', settleSeconds: STACK_SETTLE_SECONDS },
  },

  // SecurityAudit covers every call: cloudformation:DescribeStack* (DescribeStacks,
  // DescribeStackResourceDrifts).
  // DescribeStacks per page (stacks are described from it); DescribeStackResourceDrifts only for
  // stacks whose drift was ever detected.
  apiCalls: { perPage: 1, perResource: 0, perScope: 0 },
  iamActions: [],
  // Parameters often carry passwords and tokens that were not declared NoEcho (and resolved SSM
  // values); the keys stay, so policies can still check which parameters a stack has.
  secretAttributes: ['Parameters[].ParameterValue', 'Parameters[].ResolvedValue'],

  attributes: [
    { name: 'StackName', type: 'string', description: 'The stack name (also Name).' },
    { name: 'StackId', type: 'string', description: 'The stack ID, an ARN (also ResourceId, Arn and Id).' },
    { name: 'CreationTime', type: 'timestamp', description: 'When the stack was created (also TimeCreated).' },
    { name: 'StackStatus', type: 'string', description: 'e.g. CREATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE, DELETE_FAILED.' },
    { name: 'StackStatusReason', type: 'string | null', description: 'Why the stack is in its status.' },
    { name: 'DetailedStatus', type: 'string | null', description: 'CONFIGURATION_COMPLETE or VALIDATION_FAILED during an operation.' },
    { name: 'ChangeSetId', type: 'string | null', description: 'The change set the stack was last created or updated with.' },
    { name: 'Description', type: 'string | null', description: 'The template description.' },
    { name: 'Parameters', type: 'list<Parameter> | null', description: '{ParameterKey, ParameterValue, UsePreviousValue, ResolvedValue}: the keys, every value redacted (NoEcho values are masked by AWS already).' },
    { name: 'DeletionTime', type: 'timestamp | null', description: 'When deletion started (failed deletions).' },
    { name: 'LastUpdatedTime', type: 'timestamp | null', description: 'When the stack was last updated.' },
    { name: 'RollbackConfiguration', type: '{RollbackTriggers, MonitoringTimeInMinutes} | null', description: 'Rollback triggers.' },
    { name: 'DisableRollback', type: 'boolean | null', description: 'Rollback on creation failure is disabled.' },
    { name: 'DeploymentConfig', type: 'object | null', description: 'DescribeStacks DeploymentConfig, when AWS reports one.' },
    { name: 'NotificationARNs', type: 'list<string> | null', description: 'SNS topics that receive stack events.' },
    { name: 'TimeoutInMinutes', type: 'integer | null', description: 'Creation timeout.' },
    { name: 'Capabilities', type: 'list<string> | null', description: 'Acknowledged capabilities, e.g. CAPABILITY_IAM, CAPABILITY_NAMED_IAM.' },
    { name: 'Outputs', type: 'list<Output> | null', description: '{OutputKey, OutputValue, Description, ExportName}.' },
    { name: 'RoleARN', type: 'string | null', description: 'The service role CloudFormation uses for the stack.' },
    { name: 'EnableTerminationProtection', type: 'boolean | null', description: 'Termination protection is on.' },
    { name: 'ParentId', type: 'string | null', description: 'The direct parent stack of a nested stack.' },
    { name: 'RootId', type: 'string | null', description: 'The top-level stack of a nested stack.' },
    { name: 'DriftInformation', type: '{StackDriftStatus, LastCheckTimestamp} | null', description: 'Drift status of the last detection: DRIFTED, IN_SYNC, UNKNOWN or NOT_CHECKED (AWS reports NOT_CHECKED for stacks never checked).' },
    { name: 'RetainExceptOnCreate', type: 'boolean | null', description: 'Newly created resources are deleted on rollback, others retained.' },
    { name: 'DeletionMode', type: 'string | null', description: 'STANDARD or FORCE_DELETE_STACK.' },
    { name: 'LastOperations', type: 'list<OperationEntry> | null', description: 'DescribeStacks LastOperations, when AWS reports them.' },
    { name: 'AliasName', type: 'string | null', description: 'DescribeStacks AliasName, when AWS reports one.' },
    { name: 'Drifts', type: 'list<StackResourceDrift> | null', description: 'DescribeStackResourceDrifts of the last drift detection: {StackId, LogicalResourceId, PhysicalResourceId, PhysicalResourceIdContext, ResourceType, ExpectedProperties, ActualProperties, PropertyDifferences, StackResourceDriftStatus, Timestamp, ModuleInfo, DriftStatusReason}; null when drift was never detected. Posture does not start detections.' },
  ],
};
