/**
 * The DailyScan state machine (DESIGN §4), scheduled by EventBridge Scheduler:
 *
 *   PlanScan ─► ScanScopes (Distributed Map over the scope list PlanScan wrote to S3,
 *                           batches of 25 scopes, one child execution per batch)
 *                 └► StartBatch ─► ScanScope ─► MorePages? ──yes──┐
 *                                     ▲                           │
 *                                     └───────────────────────────┘  no ─► BatchDone
 *
 * Lambda contracts (all JSON, payloadResponseOnly):
 *   PlanScan   in:  the execution input ({} from the schedule)
 *              out: { scanId, bucket, key, scopeCount } — a JSON array of scopes at s3://bucket/key,
 *                   sorted so that one account-region's scopes are adjacent (a batch shares credentials)
 *   ScanScope  in:  { scanId, scopes, cursor }        (cursor starts as { index: 0 })
 *              out: { scanId, scopes, cursor, done }  (same shape, cursor advanced; done=false → again)
 */
import { ArnFormat, Duration, Fn, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResource, REASONS } from '../nag.ts';
import { grantAssumeAuditRole, grantInvoke, grantObjects, grantTables } from './grants.ts';
import { LOG_RETENTION, type NodeFunctionFactory } from './node-function.ts';
import { SCANS_PREFIX, type Storage } from './storage.ts';
import { LAMBDA_MEMORY_MB, SCOPES_PER_BATCH } from '#aws/sizing.ts';

/** Where the Distributed Map writes its manifest and per-batch results (expires with scans/). */
export const MAP_RESULTS_PREFIX = `${SCANS_PREFIX}results`;

export interface ScanWorkflowProps {
  functions: NodeFunctionFactory;
  storage: Storage;
  engine: lambda.IFunction;
  auditRoleName: string;
  /** Scheduler expression, UTC. */
  schedule: string;
  maxConcurrency: number;
}

export class ScanWorkflow extends Construct {
  readonly planScan: NodejsFunction;
  readonly scanScope: NodejsFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ScanWorkflowProps) {
    super(scope, id);
    const { storage, functions } = props;

    this.planScan = functions.create(this, 'PlanScanFunction', 'plan-scan', {
      description: 'Posture DailyScan: lists accounts × enabled regions × types and writes the scope list to S3',
      memorySize: LAMBDA_MEMORY_MB.planScan,
      timeout: Duration.minutes(5),
    });
    grantTables(this.planScan, storage.tables, ['Accounts'], 'read');
    grantTables(this.planScan, storage.tables, ['ScanLedger'], 'readWrite');
    grantObjects(this.planScan, storage.scanBucket, { read: true, write: true, prefix: SCANS_PREFIX });
    grantAssumeAuditRole(this.planScan, props.auditRoleName);

    this.scanScope = functions.create(this, 'ScanScopeFunction', 'scan-scope', {
      description: 'Posture DailyScan: lists, describes, diffs and evaluates a batch of scopes within a time budget',
      memorySize: LAMBDA_MEMORY_MB.scanScope,
      timeout: Duration.minutes(15),
    });
    grantTables(this.scanScope, storage.tables, ['Resources', 'Compliance', 'Alerts', 'ScanLedger'], 'readWrite');
    grantTables(this.scanScope, storage.tables, ['Accounts', 'Exceptions'], 'read');
    grantObjects(this.scanScope, storage.scanBucket, { read: true, write: true });
    grantInvoke(this.scanScope, props.engine);
    grantAssumeAuditRole(this.scanScope, props.auditRoleName);

    const definition = this.definition(props);
    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'DailyScan', {
      comment: 'Posture daily scan of every onboarded account',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // A run that outlives the next day's schedule is stuck, not slow.
      timeout: Duration.hours(23),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    this.grantStateMachine(props);

    this.schedule = new scheduler.Schedule(this, 'DailySchedule', {
      description: 'Starts the Posture DailyScan state machine',
      schedule: scheduler.ScheduleExpression.expression(props.schedule, TimeZone.ETC_UTC),
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({}),
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
  }

  private definition(props: ScanWorkflowProps): sfn.IChainable {
    const planScan = new tasks.LambdaInvoke(this, 'PlanScan', {
      comment: 'Writes the scope list to S3; returns { scanId, bucket, key, scopeCount }',
      lambdaFunction: this.planScan,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    planScan.addRetry({ errors: [sfn.Errors.TASKS_FAILED], interval: Duration.seconds(30), maxAttempts: 2, backoffRate: 2 });

    // Items + BatchInput (what Step Functions gives a batched child) → the ScanScope shape.
    const startBatch = new sfn.Pass(this, 'StartBatch', {
      parameters: { 'scanId.$': '$.BatchInput.scanId', 'scopes.$': '$.Items', cursor: { index: 0 } },
    });
    const scanScope = new tasks.LambdaInvoke(this, 'ScanScope', {
      comment: 'Scans the batch from its cursor until done or out of time budget',
      lambdaFunction: this.scanScope,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true, // Lambda.ServiceException & co: 2 s, ×2, 6 attempts
    });
    scanScope.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(5),
      maxAttempts: 8,
      backoffRate: 2,
      maxDelay: Duration.minutes(2),
      jitterStrategy: sfn.JitterType.FULL,
    });
    scanScope.addRetry({
      errors: [sfn.Errors.TASKS_FAILED],
      interval: Duration.seconds(15),
      maxAttempts: 3,
      backoffRate: 3,
      jitterStrategy: sfn.JitterType.FULL,
    });
    const morePages = new sfn.Choice(this, 'MorePages')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.done'), sfn.Condition.booleanEquals('$.done', false)), scanScope)
      .otherwise(new sfn.Succeed(this, 'BatchDone'));

    const scanScopes = new sfn.DistributedMap(this, 'ScanScopes', {
      comment: 'One child execution per batch of scopes; a failed batch never fails the run',
      itemReader: new sfn.S3JsonItemReader({
        bucketNamePath: sfn.JsonPath.stringAt('$.bucket'),
        key: sfn.JsonPath.stringAt('$.key'),
      }),
      itemBatcher: new sfn.ItemBatcher({ maxItemsPerBatch: SCOPES_PER_BATCH, batchInput: { 'scanId.$': '$.scanId' } }),
      maxConcurrency: props.maxConcurrency,
      toleratedFailurePercentage: 100,
      // Results go to S3, not into the state: a large organization's results exceed 256 KiB,
      // and the FAILED_*.json files name each failed batch with its error for operators.
      resultWriterV2: new sfn.ResultWriterV2({ bucket: props.storage.scanBucket, prefix: MAP_RESULTS_PREFIX }),
      resultPath: '$.mapRun',
      mapExecutionType: sfn.StateMachineType.STANDARD,
      label: 'ScanScopes',
    });
    scanScopes.itemProcessor(startBatch.next(scanScope).next(morePages));

    return planScan.next(scanScopes);
  }

  /** The item reader (bucket from PlanScan's output) and the result writer need the scan bucket. */
  private grantStateMachine(props: ScanWorkflowProps): void {
    const { scanBucket, dataKey } = props.storage;
    grantObjects(this.stateMachine, scanBucket, { read: true, prefix: SCANS_PREFIX });
    dataKey.grant(this.stateMachine, 'kms:GenerateDataKey', 'kms:Decrypt');

    const role = this.stateMachine.role;
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', `${REASONS.xray} ${REASONS.sfnLogDelivery}`);
    acknowledgeWildcardResource(role, `${this.planScan.functionArn}:*`, REASONS.functionVersions);
    acknowledgeWildcardResource(role, `${this.scanScope.functionArn}:*`, REASONS.functionVersions);
    // ResultWriterV2 grants s3:PutObject & co. on every object of the bucket it writes to.
    const stack = Stack.of(this);
    acknowledgeWildcardResource(role, stack.formatArn({ service: 's3', region: '', account: '', resource: scanBucket.bucketName, resourceName: '*' }), REASONS.mapResults);
    // The Distributed Map's child executions and map runs of this state machine.
    const name = Fn.select(6, Fn.split(':', this.stateMachine.stateMachineArn));
    for (const executions of [`${name}:*`, `${name}/ScanScopes:*`]) {
      const arn = stack.formatArn({ service: 'states', resource: 'execution', resourceName: executions, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      acknowledgeWildcardResource(this.stateMachine, arn, REASONS.distributedMapChildren);
    }
  }
}
