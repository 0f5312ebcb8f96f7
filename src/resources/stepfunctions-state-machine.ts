/**
 * AWS.StepFunctions.StateMachine — regional. ListStateMachines, then per state machine
 * DescribeStateMachine and ListTagsForResource. Step Functions' members are camelCase: they are
 * PascalCased (`loggingConfiguration` → `LoggingConfiguration`) as Panther's model does.
 */
import { DescribeStateMachineCommand, DescribeStateMachineOutput$, ListStateMachinesCommand, ListTagsForResourceCommand, SFNClient } from '@aws-sdk/client-sfn';
import { hasErrorCode } from './aws-errors.ts';
import { iso } from './shape.ts';
import { apiFields, pascalShape } from './shape-pascal.ts';
import { distinct, parseArn, req, res } from './trail-fields.ts';
import type { CloudTrailDetail, EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface StateMachineRef {
  arn: string;
}

export const STEPFUNCTIONS_STATE_MACHINE_TYPE = 'AWS.StepFunctions.StateMachine';

/** The state machine ARN of a state machine, version or alias ARN (`stateMachine:<name>[:<qualifier>]`). */
const machineArn = (arn: string | undefined) => {
  const p = parseArn(arn);
  if (p?.service !== 'states') return undefined;
  const m = /^stateMachine:([^:]+)/.exec(p.resource);
  return m ? `arn:${p.partition}:states:${p.region}:${p.account}:stateMachine:${m[1]}` : undefined;
};

/** State machines an event names: request `stateMachineArn`/`resourceArn`, CreateStateMachine's response `stateMachineArn`. */
export function stateMachineRefsOf(d: CloudTrailDetail): StateMachineRef[] {
  return distinct([machineArn(req(d, 'stateMachineArn')), machineArn(req(d, 'resourceArn')), machineArn(res(d, 'stateMachineArn'))]).map((arn) => ({ arn }));
}

const rescan: EventRule<StateMachineRef> = { action: 'rescan', refs: stateMachineRefsOf };

export interface StateMachineOptions {
  /** ListStateMachines maxResults per page (1–1000). */
  pageSize?: number;
}

export function makeStateMachineType(opts: StateMachineOptions = {}): ResourceType<StateMachineRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: STEPFUNCTIONS_STATE_MACHINE_TYPE,
    asffType: 'AwsStepFunctionStateMachine',
    service: 'states',
    scope: 'regional',
    eventSource: 'states.amazonaws.com',

    async list(ctx, pageToken) {
      const sfn = ctx.clients.get(SFNClient, ctx.region);
      const page = await sfn.send(new ListStateMachinesCommand({ maxResults: pageSize, nextToken: pageToken }));
      const refs = (page.stateMachines ?? []).flatMap((m) => (m.stateMachineArn ? [{ arn: m.stateMachineArn }] : []));
      return { refs, ...(page.nextToken ? { nextPageToken: page.nextToken } : {}) };
    },

    async describe(ctx, ref) {
      const sfn = ctx.clients.get(SFNClient, ctx.region);
      try {
        const [machine, tags] = await Promise.all([
          sfn.send(new DescribeStateMachineCommand({ stateMachineArn: ref.arn })),
          sfn.send(new ListTagsForResourceCommand({ resourceArn: ref.arn })),
        ]);
        if (!machine.stateMachineArn) return null;
        const resource: Resource = {
          ResourceId: machine.stateMachineArn,
          ResourceType: STEPFUNCTIONS_STATE_MACHINE_TYPE,
          TimeCreated: iso(machine.creationDate),
          AccountId: ctx.accountId,
          Region: ctx.region,
          Arn: machine.stateMachineArn,
          Id: machine.stateMachineArn,
          Name: machine.name ?? null,
          Tags: tags.tags && tags.tags.length > 0 ? Object.fromEntries(tags.tags.map((t) => [t.key, t.value ?? ''])) : null,
          ...apiFields(pascalShape(DescribeStateMachineOutput$, machine), 'Name'),
        };
        return resource;
      } catch (e) {
        // Deleted before or during the describe calls (a deleting machine answers DELETING first).
        if (hasErrorCode(e, 'StateMachineDoesNotExist', 'ResourceNotFound')) return null;
        throw e;
      }
    },

    resourceId(_target, ref) {
      return ref.arn;
    },

    events: {
      CreateStateMachine: rescan,
      DeleteStateMachine: { action: 'delete', refs: stateMachineRefsOf },
      UpdateStateMachine: rescan,
      TagResource: rescan,
      UntagResource: rescan,
    },

    // SecurityAudit covers every call: states:ListStateMachines, DescribeStateMachine,
    // ListTagsForResource. ListStateMachines per page; per machine DescribeStateMachine and ListTagsForResource.
    apiCalls: { perPage: 1, perResource: 2, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'StateMachineArn', type: 'string', description: 'The state machine ARN (also ResourceId, Arn and Id).' },
      { name: 'Definition', type: 'string', description: 'The Amazon States Language definition as a JSON string.' },
      { name: 'RoleArn', type: 'string', description: 'The IAM role the state machine runs as.' },
      { name: 'Type', type: 'string', description: 'STANDARD or EXPRESS.' },
      { name: 'CreationDate', type: 'timestamp', description: 'When the state machine was created (also TimeCreated).' },
      { name: 'Status', type: 'string', description: 'ACTIVE or DELETING.' },
      { name: 'LoggingConfiguration', type: '{Level, IncludeExecutionData, Destinations}', description: 'Execution logging: Level ALL, ERROR, FATAL or OFF; Destinations [{CloudWatchLogsLogGroup: {LogGroupArn}}].' },
      { name: 'TracingConfiguration', type: '{Enabled} | null', description: 'X-Ray tracing.' },
      { name: 'Label', type: 'string | null', description: 'The Map Run label (only for a Map Run\'s state machine).' },
      { name: 'RevisionId', type: 'string | null', description: 'The current revision.' },
      { name: 'Description', type: 'string | null', description: 'The description of the described version.' },
      { name: 'EncryptionConfiguration', type: '{KmsKeyId, KmsDataKeyReusePeriodSeconds, Type} | null', description: 'Data encryption: Type AWS_OWNED_KEY or CUSTOMER_MANAGED_KMS_KEY; null when AWS reports none (AWS owned key).' },
      { name: 'VariableReferences', type: 'map | null', description: 'JSONata variable references of the definition\'s states, when AWS reports them.' },
    ],
  };
}

export const STEPFUNCTIONS_STATE_MACHINE: ResourceType<StateMachineRef> = makeStateMachineType();
