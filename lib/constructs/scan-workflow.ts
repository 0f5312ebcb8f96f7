/**
 * The DailyScan state machine (DESIGN §4), scheduled by EventBridge Scheduler:
 *
 *   PlanScan ─► ScanScopes (Distributed Map over the scope list PlanScan wrote to S3,
 *                           batches of 25 scopes, one child execution per batch)
 *                 └► StartBatch ─► ScanScope ─► MorePages? ──yes──┐
 *                                   │ ▲                           │
 *                                   │ └───────────────────────────┘  no ─► BatchDone
 *                                   └ (failed after its retries) ─► RecordBatchFailure ─► BatchFailed (Fail)
 *             ─► DescribeScanRun (the map run's counts) ─► SummarizeScan ─► AnyBatchFailed? ──yes──► ScanIncomplete (Fail)
 *                                                               │                     └ no ─► ScanDone
 *                                                               └ (failed after its retries) ─► SummaryFailed (Fail)
 *
 * A failed batch never stops the others (the map tolerates 100 % failures), but it leaves ERROR
 * ledger entries for its scopes that have none in this scan (shown as not evaluated; old PASS
 * results are not trusted), and the execution ends FAILED ("N batches failed; ...") rather than
 * succeeding silently: the ExecutionsFailed alarm (lib/constructs/monitoring.ts) fires.
 *
 * Lambda contracts (all JSON, payloadResponseOnly):
 *   PlanScan   in:  the execution input ({} from the schedule)
 *              out: { scanId, bucket, key, scopeCount } — a JSON array of scopes at s3://bucket/key,
 *                   sorted so that one account-region's scopes are adjacent (a batch shares credentials)
 *   ScanScope  in:  { scanId, scopes, cursor }        (cursor starts as { index: 0 })
 *              out: { scanId, scopes, cursor, done }  (same shape, cursor advanced; done=false → again)
 *   RecordBatchFailure in: { scanId, scopes, cursor, failure: { Error, Cause } }   (ScanScope's input + the Catch)
 *              out: { scanId, recorded, kept, message }
 *   SummarizeScan in:  { scanId, startedAt ($$.Execution.StartTime), input ($$.Execution.Input) }
 *              out: { scanId, day, accounts, rows, deleted } — the day's compliance summary of the
 *                   scanned accounts (src/scan/daily-summary.ts), written even when batches failed
 */
import { ArnFormat, Aws, Duration, Fn, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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
import type { Storage } from './storage.ts';
import { MAP_RESULTS_PREFIX, SCANS_PREFIX } from '#store/bucket-layout.ts';
import { LAMBDA_MEMORY_MB, PLAN_SCAN_TIMEOUT_MINUTES, SCAN_SCOPE_TIMEOUT_MINUTES, SCOPES_PER_BATCH } from '#aws/sizing.ts';


export interface ScanWorkflowProps {
  functions: NodeFunctionFactory;
  storage: Storage;
  engine: lambda.IFunction;
  /** The audit role names it may assume (the deployment's default first). */
  auditRoleNames: readonly string[];
  /** Scheduler expression, UTC. */
  schedule: string;
  maxConcurrency: number;
}

export class ScanWorkflow extends Construct {
  readonly planScan: NodejsFunction;
  readonly scanScope: NodejsFunction;
  readonly recordBatchFailure: NodejsFunction;
  readonly summarizeScan: NodejsFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ScanWorkflowProps) {
    super(scope, id);
    const { storage, functions } = props;

    this.planScan = functions.create(this, 'PlanScanFunction', 'plan-scan', {
      description: 'Posture DailyScan: lists accounts × enabled regions × types and writes the scope list to S3',
      memorySize: LAMBDA_MEMORY_MB.planScan,
      timeout: Duration.minutes(PLAN_SCAN_TIMEOUT_MINUTES),
    });
    grantTables(this.planScan, storage.tables, ['Accounts'], 'read');
    grantTables(this.planScan, storage.tables, ['ScanLedger'], 'readWrite');
    grantObjects(this.planScan, storage.scanBucket, { read: true, write: true, prefix: SCANS_PREFIX });
    grantAssumeAuditRole(this.planScan, props.auditRoleNames);

    this.scanScope = functions.create(this, 'ScanScopeFunction', 'scan-scope', {
      description: 'Posture DailyScan: lists, describes, diffs and evaluates a batch of scopes within a time budget',
      memorySize: LAMBDA_MEMORY_MB.scanScope,
      timeout: Duration.minutes(SCAN_SCOPE_TIMEOUT_MINUTES),
    });
    grantTables(this.scanScope, storage.tables, ['Resources', 'ResourceHistory', 'Compliance', 'Alerts', 'ScanLedger'], 'readWrite');
    grantTables(this.scanScope, storage.tables, ['Accounts', 'Exceptions'], 'read');
    grantObjects(this.scanScope, storage.scanBucket, { read: true, write: true });
    grantInvoke(this.scanScope, props.engine);
    grantAssumeAuditRole(this.scanScope, props.auditRoleNames);

    this.recordBatchFailure = functions.create(this, 'RecordBatchFailureFunction', 'record-batch-failure', {
      description: 'Posture DailyScan: records ERROR ledger entries for the scopes of a batch that failed after its retries',
      memorySize: 256,
      timeout: Duration.minutes(1),
    });
    // Ledger writes only: one conditional PutItem per scope (never overwrites an entry), no reads.
    const ledger = storage.tables.ScanLedger;
    iam.Grant.addToPrincipal({ grantee: this.recordBatchFailure, actions: ['dynamodb:PutItem'], resourceArns: [ledger.tableArn] });
    ledger.encryptionKey?.grant(this.recordBatchFailure, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');

    this.summarizeScan = functions.create(this, 'SummarizeScanFunction', 'summarize-scan', {
      description: "Posture DailyScan: writes the day's compliance summary of the scanned accounts",
      // Holds the counted fields of every compliance item of the scanned accounts (~200 bytes each).
      memorySize: 1024,
      timeout: Duration.minutes(15),
    });
    this.grantSummary(storage);

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
    // After its retries: ERROR entries for the batch's unrecorded scopes, then this child fails
    // (the map run counts it; the other batches go on).
    const recordFailure = new tasks.LambdaInvoke(this, 'RecordBatchFailure', {
      comment: 'Records ERROR ledger entries (the failure as message) for the batch scopes without an entry in this scan',
      lambdaFunction: this.recordBatchFailure,
      payload: sfn.TaskInput.fromObject({
        scanId: sfn.JsonPath.stringAt('$.scanId'),
        scopes: sfn.JsonPath.objectAt('$.scopes'),
        failure: sfn.JsonPath.objectAt('$.failure'),
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      resultPath: '$.recorded',
    });
    recordFailure.addRetry({ errors: [sfn.Errors.TASKS_FAILED], interval: Duration.seconds(5), maxAttempts: 3, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
    recordFailure.next(
      new sfn.Fail(this, 'BatchFailed', {
        error: 'Posture.BatchFailed',
        causePath: sfn.JsonPath.format('{} (its scopes without an entry are recorded as ERROR in the ledger)', sfn.JsonPath.stringAt('$.recorded.message')),
      }),
    );
    scanScope.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });

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

    // The map tolerates failed batches; the execution must not succeed silently with them.
    // A CustomState: its grant (states:DescribeMapRun on this machine's map runs) names the state
    // machine's own ARN, so it goes into a separate policy (grantStateMachine), not the role's
    // default policy the state machine depends on.
    const describeRun = new sfn.CustomState(this, 'DescribeScanRun', {
      stateJson: {
        Type: 'Task',
        Comment: "The map run's child execution counts (failed, timed out, aborted batches)",
        Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:sfn:describeMapRun`,
        Parameters: { 'MapRunArn.$': '$.mapRun.MapRunArn' },
        ResultSelector: {
          'failed.$': '$.ExecutionCounts.Failed',
          'timedOut.$': '$.ExecutionCounts.TimedOut',
          'aborted.$': '$.ExecutionCounts.Aborted',
          'total.$': '$.ExecutionCounts.Total',
        },
        ResultPath: '$.batches',
        Retry: [{ ErrorEquals: ['Sfn.SfnException', 'States.TaskFailed'], IntervalSeconds: 5, MaxAttempts: 4, BackoffRate: 2 }],
      },
    });
    const notDone = sfn.Condition.or(
      sfn.Condition.numberGreaterThan('$.batches.failed', 0),
      sfn.Condition.numberGreaterThan('$.batches.timedOut', 0),
      sfn.Condition.numberGreaterThan('$.batches.aborted', 0),
    );
    const countFailed = new sfn.Pass(this, 'CountFailedBatches', {
      parameters: {
        'failed.$': 'States.MathAdd(States.MathAdd($.batches.failed, $.batches.timedOut), $.batches.aborted)',
        'total.$': '$.batches.total',
        'scanId.$': '$.scanId',
      },
      resultPath: '$.incomplete',
    });
    countFailed.next(
      new sfn.Fail(this, 'ScanIncomplete', {
        error: 'Posture.ScanIncomplete',
        causePath: sfn.JsonPath.format(
          '{} of {} batches failed; their scopes are recorded as ERROR in the ledger (scan {}; posture status)',
          sfn.JsonPath.stringAt('$.incomplete.failed'),
          sfn.JsonPath.stringAt('$.incomplete.total'),
          sfn.JsonPath.stringAt('$.incomplete.scanId'),
        ),
      }),
    );
    const anyFailed = new sfn.Choice(this, 'AnyBatchFailed').when(notDone, countFailed).otherwise(new sfn.Succeed(this, 'ScanDone'));

    // The day's summary of the scanned accounts, failed batches included (their scopes are ERROR
    // in the ledger: not evaluated). The execution's start names the day, so a retry rewrites it.
    const summarize = new tasks.LambdaInvoke(this, 'SummarizeScan', {
      comment: "Writes the day's compliance summary of the scanned accounts",
      lambdaFunction: this.summarizeScan,
      payload: sfn.TaskInput.fromObject({
        scanId: sfn.JsonPath.stringAt('$.scanId'),
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
        input: sfn.JsonPath.objectAt('$$.Execution.Input'),
      }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      resultPath: '$.summary',
    });
    summarize.addRetry({ errors: [sfn.Errors.TASKS_FAILED], interval: Duration.seconds(10), maxAttempts: 3, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
    summarize.addCatch(new sfn.Fail(this, 'SummaryFailed', { error: 'Posture.SummaryFailed', causePath: '$.summaryError.Cause' }), { errors: [sfn.Errors.ALL], resultPath: '$.summaryError' });

    return planScan.next(scanScopes).next(describeRun).next(summarize).next(anyFailed);
  }

  /**
   * SummarizeScan reads the accounts (Scan), their compliance (the byAccount index), the ledger's
   * not-evaluated scopes (per account: the newest scheduled scan's entries — a Query of the table
   * — and the byAccount index since, then GetItem) and replaces the day's summary rows
   * (Query + BatchWriteItem of puts and deletes): only those actions, on those tables and indexes.
   */
  private grantSummary(storage: Storage): void {
    const t = storage.tables;
    const statements: [string[], string[]][] = [
      [['dynamodb:Scan'], [t.Accounts.tableArn]],
      [['dynamodb:Query'], [`${t.Compliance.tableArn}/index/byAccount`]],
      [['dynamodb:Query'], [`${t.ScanLedger.tableArn}/index/byAccount`]],
      [['dynamodb:Query', 'dynamodb:GetItem'], [t.ScanLedger.tableArn]],
      // BatchWriteItem's puts and deletes are authorized per item too.
      [['dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], [t.DailySummary.tableArn]],
    ];
    for (const [actions, resourceArns] of statements) iam.Grant.addToPrincipal({ grantee: this.summarizeScan, actions, resourceArns });
    storage.dataKey.grant(this.summarizeScan, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
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
    // DescribeScanRun reads the counts of this machine's ScanScopes map runs, nothing else.
    const mapRuns = stack.formatArn({ service: 'states', resource: 'mapRun', resourceName: `${name}/ScanScopes:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const mapRunPolicy = new iam.Policy(this.stateMachine, 'MapRunPolicy', {
      statements: [new iam.PolicyStatement({ actions: ['states:DescribeMapRun'], resources: [mapRuns] })],
    });
    role.attachInlinePolicy(mapRunPolicy);
    acknowledgeWildcardResource(this.stateMachine, mapRuns, REASONS.distributedMapChildren);
    acknowledgeWildcardResource(role, `${this.recordBatchFailure.functionArn}:*`, REASONS.functionVersions);
    acknowledgeWildcardResource(role, `${this.summarizeScan.functionArn}:*`, REASONS.functionVersions);
  }
}
