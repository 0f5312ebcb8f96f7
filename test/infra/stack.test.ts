/**
 * CDK assertions on the synthesized PostureStack, bundling skipped (the one bundled synth is in
 * nag.test.ts).
 */
import { Stack, type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, readLambdaEnv } from '#lambda-runtime/env.ts';
import { TABLES, tableEnvVar, type TableDef, type TableId } from '#store/tables.ts';
import { buildApp } from '../../lib/app.ts';
import { DRAFTS_PREFIX } from '#publish/active-bundle.ts';
import type { PostureStack } from '../../lib/posture-stack.ts';
import { ENGINE_ARCHITECTURE, LAYER_PLATFORM_ARGS, PYTHON_RUNTIME } from '../../lib/constructs/policy-engine.ts';
import { chooseFrameworks, REPORTS_DESELECT_ENV } from '#compliance/frameworks/selection.ts';
import { OUTPUTS } from '../../lib/outputs.ts';
import { asArray, policyStatements, SKIP_BUNDLING, stateMachineDefinition, TEST_CONTEXT } from './helpers.ts';

let stack: PostureStack;
let template: Template;

beforeAll(() => {
  ({ stack } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT } }));
  template = Template.fromStack(stack);
});

const logicalId = (construct: { node: { defaultChild?: unknown } }): string =>
  Stack.of(stack).getLogicalId(construct.node.defaultChild as CfnResource);
const ref = (construct: { node: { defaultChild?: unknown } }) => ({ Ref: logicalId(construct) });
/** The console API's role: its grants are checked in console.test.ts. */
const consoleRole = (): string => logicalId(stack.console!.apiFunction.role as unknown as { node: { defaultChild?: unknown } });
const arnOf = (construct: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

const keySchema = (def: { partitionKey: { name: string }; sortKey?: { name: string } }) => [
  { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
  ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
];

describe('storage', () => {
  it('builds exactly the tables of TABLES', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
    expect(Object.keys(stack.storage.tables).sort()).toEqual(Object.keys(TABLES).sort());
  });

  it.each(Object.values(TABLES) as TableDef[])('$id: keys, indexes, PITR, KMS, TTL, stream, retention', (def) => {
    const resource = template.toJSON().Resources[logicalId(stack.storage.tables[def.id])];
    const p = resource.Properties;
    expect(p.KeySchema).toEqual(keySchema(def));
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf(stack.storage.dataKey) });
    expect(p.TimeToLiveSpecification).toEqual(def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined);
    expect(p.StreamSpecification).toEqual(def.stream ? { StreamViewType: 'NEW_AND_OLD_IMAGES' } : undefined);
    const indexes = (p.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    expect(indexes.map((i) => i.IndexName)).toEqual(def.indexes.map((i) => i.indexName));
    for (const index of def.indexes) {
      const rendered = indexes.find((i) => i.IndexName === index.indexName)!;
      expect(rendered.KeySchema).toEqual(keySchema(index));
      expect(rendered.Projection).toEqual(
        index.include ? { ProjectionType: 'INCLUDE', NonKeyAttributes: index.include } : { ProjectionType: 'ALL' },
      );
    }
    // Tables of expiring operational state may go with the stack; the others are retained.
    expect(resource.DeletionPolicy).toBe(def.ttlAttribute ? 'Delete' : 'Retain');
  });

  it('spells the Resources table as DESIGN §3 says (literal check)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'resourceId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: 'byScope', Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['attributesHash', 'deleted'] } }),
      ]),
    });
  });

  it('rotates the customer-managed keys', () => {
    template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('protects the scan bucket: KMS, no public access, TLS only, versioned, access logs, scans/ expiry', () => {
    const bucket = template.toJSON().Resources[logicalId(stack.storage.scanBucket)];
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: arnOf(stack.storage.dataKey),
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual(ref(stack.storage.accessLogsBucket));
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'scans/', ExpirationInDays: 30, Status: 'Enabled' })]),
    );
    expect(bucket.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(stack.storage.scanBucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('member templates bucket', () => {
  const templatesBucket = () => logicalId(stack.templates.bucket);

  it('admits the Organization and the listed member accounts to read templates/*, and nobody to write', () => {
    const policy = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: templatesBucket() } } });
    const statements = Object.values(policy).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement);
    const reads = statements.filter((s) => s.Effect === 'Allow');
    expect(reads).toHaveLength(2);
    for (const s of reads) {
      expect(s.Action).toBe('s3:GetObject');
      expect(JSON.stringify(s.Resource)).toContain('/templates/*');
    }
    expect(reads.find((s) => s.Condition)).toMatchObject({ Principal: { AWS: '*' }, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } });
    const members = JSON.stringify(reads.find((s) => !s.Condition)!.Principal);
    expect(members).toContain(':iam::111111111111:root');
    expect(members).toContain(':iam::222222222222:root');
    // The rest deny plain HTTP and TLS below 1.2.
    const denies = statements.filter((s) => s.Effect !== 'Allow');
    expect(denies.map((s) => s.Effect)).toEqual(['Deny', 'Deny']);
    expect(denies.map((s) => s.Condition)).toContainEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it('uses S3-managed encryption (no KMS grant for readers in other accounts), blocks public access and logs access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { LogFilePrefix: 'templates-bucket/' },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(template.toJSON().Outputs.MemberTemplateReaders.Value).toBe('o-abcdefghij,111111111111,222222222222');
  });

  it('admits no other account when neither an Organization nor member accounts are configured', () => {
    const { stack: bare } = buildApp({ nag: false, context: { ...SKIP_BUNDLING } });
    const t = Template.fromStack(bare);
    const policy = t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: Stack.of(bare).getLogicalId(bare.templates.bucket.node.defaultChild as CfnResource) } } });
    const allows = Object.values(policy).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Effect: string }[] } } }).Properties.PolicyDocument.Statement).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([]);
    expect(t.toJSON().Outputs.MemberTemplateReaders.Value).toBe('none');
  });
});

describe('DailyScan state machine', () => {
  type State = Record<string, unknown> & { Type: string };
  let states: Record<string, State>;
  let map: State & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let processor: Record<string, State & Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(() => {
    const definition = stateMachineDefinition(template);
    expect(definition.StartAt).toBe('PlanScan');
    states = definition.States as Record<string, State>;
    map = states.ScanScopes as typeof map;
    processor = map.ItemProcessor.States;
  });

  it('plans into S3, then runs a Distributed Map over the S3 JSON scope list', () => {
    expect(states.PlanScan).toMatchObject({ Type: 'Task', Next: 'ScanScopes', Resource: `GetAtt(${logicalId(stack.scan.planScan)}.Arn)` });
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemReader).toEqual({
      Resource: 'arn:Ref(AWS::Partition):states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' },
    });
    expect(map.ItemBatcher).toEqual({ MaxItemsPerBatch: 25, BatchInput: { 'scanId.$': '$.scanId' } });
    expect(map.MaxConcurrency).toBe(25); // from context
    expect(map.ToleratedFailurePercentage).toBe(100);
    expect(map.ResultWriter).toMatchObject({ Parameters: { Bucket: `Ref(${logicalId(stack.storage.scanBucket)})`, Prefix: 'scans/results' } });
  });

  it('shapes each batch, then loops ScanScope through a Choice until done', () => {
    expect(map.ItemProcessor.StartAt).toBe('StartBatch');
    expect(processor.StartBatch).toEqual({
      Type: 'Pass',
      Parameters: { 'scanId.$': '$.BatchInput.scanId', 'scopes.$': '$.Items', cursor: { index: 0 } },
      Next: 'ScanScope',
    });
    expect(processor.ScanScope).toMatchObject({ Type: 'Task', Next: 'MorePages', Resource: `GetAtt(${logicalId(stack.scan.scanScope)}.Arn)` });
    const choice = processor.MorePages!;
    expect(choice.Type).toBe('Choice');
    expect(JSON.stringify(choice.Choices)).toContain('"Variable":"$.done","BooleanEquals":false');
    expect(choice.Choices[0].Next).toBe('ScanScope');
    expect(processor[choice.Default as string]!.Type).toBe('Succeed');
  });

  it('retries ScanScope with backoff on Lambda service errors and on task failures', () => {
    const retries = processor.ScanScope!.Retry as { ErrorEquals: string[]; BackoffRate: number; MaxAttempts: number }[];
    const errors = retries.flatMap((r) => r.ErrorEquals);
    expect(errors).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'States.TaskFailed']));
    for (const retry of retries) expect(retry.BackoffRate).toBeGreaterThan(1);
  });

  it('catches a batch that failed after its retries: ERROR ledger entries for its scopes, then the child fails', () => {
    expect(processor.ScanScope!.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordBatchFailure' }]);
    const record = processor.RecordBatchFailure!;
    expect(record).toMatchObject({
      Type: 'Task',
      Resource: `GetAtt(${logicalId(stack.scan.recordBatchFailure)}.Arn)`,
      Parameters: { 'scanId.$': '$.scanId', 'scopes.$': '$.scopes', 'failure.$': '$.failure' },
      ResultPath: '$.recorded',
      Next: 'BatchFailed',
    });
    expect((record.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals)).toContain('States.TaskFailed');
    expect(processor.BatchFailed).toMatchObject({ Type: 'Fail', Error: 'Posture.BatchFailed' });
    expect(processor.BatchFailed!.CausePath).toContain('$.recorded.message');
  });

  it('tolerates failed batches so the others complete, then ends FAILED when any batch failed', () => {
    expect(map.ToleratedFailurePercentage).toBe(100);
    expect(map.Next).toBe('DescribeScanRun');
    expect(states.DescribeScanRun).toMatchObject({
      Type: 'Task',
      Resource: 'arn:Ref(AWS::Partition):states:::aws-sdk:sfn:describeMapRun',
      Parameters: { 'MapRunArn.$': '$.mapRun.MapRunArn' },
      ResultSelector: { 'failed.$': '$.ExecutionCounts.Failed', 'timedOut.$': '$.ExecutionCounts.TimedOut', 'aborted.$': '$.ExecutionCounts.Aborted' },
      ResultPath: '$.batches',
      Next: 'SummarizeScan',
    });
    expect(states.SummarizeScan!.Next).toBe('AnyBatchFailed');
    const check = states.AnyBatchFailed as State & { Choices: { Or: { Variable: string; NumericGreaterThan: number }[]; Next: string }[]; Default: string };
    expect(check.Type).toBe('Choice');
    expect(check.Choices[0]!.Or).toEqual(
      ['failed', 'timedOut', 'aborted'].map((k) => ({ Variable: `$.batches.${k}`, NumericGreaterThan: 0 })),
    );
    expect(states[check.Default]!.Type).toBe('Succeed');
    const count = states[check.Choices[0]!.Next]!;
    expect(count).toMatchObject({ Type: 'Pass', ResultPath: '$.incomplete', Next: 'ScanIncomplete' });
    expect(states.ScanIncomplete).toMatchObject({ Type: 'Fail', Error: 'Posture.ScanIncomplete' });
    expect(states.ScanIncomplete!.CausePath).toMatch(/^States\.Format\('\{\} of \{\} batches failed; their scopes are recorded as ERROR in the ledger/);
    // The state machine may describe its own ScanScopes map runs, and nothing else that way.
    const describe = policyStatements(template).filter((s) => asArray(s.Action).includes('states:DescribeMapRun'));
    expect(describe).toHaveLength(1);
    expect(JSON.stringify(describe[0]!.Resource)).toMatch(/:mapRun:.*\/ScanScopes:\*/);
  });

  it("ends with SummarizeScan: the day's compliance summary (the execution's start and input), failed batches or not", () => {
    expect(states.SummarizeScan).toMatchObject({
      Type: 'Task',
      Resource: `GetAtt(${logicalId(stack.scan.summarizeScan)}.Arn)`,
      Parameters: { 'scanId.$': '$.scanId', 'startedAt.$': '$$.Execution.StartTime', 'input.$': '$$.Execution.Input' },
      ResultPath: '$.summary',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.summaryError', Next: 'SummaryFailed' }],
    });
    expect((states.SummarizeScan!.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals)).toContain('States.TaskFailed');
    expect(states.SummaryFailed).toMatchObject({ Type: 'Fail', Error: 'Posture.SummaryFailed', CausePath: '$.summaryError.Cause' });
  });

  it('lets SummarizeScan read only what the summary needs and write only the DailySummary table', () => {
    const role = logicalId(stack.scan.summarizeScan.role as never);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(role))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement);
    const t = stack.storage.tables;
    const index = (table: (typeof t)['Compliance'], name: string) => ({ 'Fn::Join': ['', [arnOf(table), `/index/${name}`]] });
    // Each (action, resource) pair granted (CDK merges statements that share actions or resources).
    const pairs = (list: { Action: unknown; Resource: unknown }[]) =>
      list.flatMap((st) => (asArray(st.Action) as string[]).filter((a) => a.startsWith('dynamodb:')).flatMap((a) => asArray(st.Resource).map((r) => `${a} ${JSON.stringify(r)}`))).sort();
    expect(pairs(statements as never)).toEqual(
      pairs([
        { Action: 'dynamodb:Scan', Resource: arnOf(t.Accounts) },
        { Action: 'dynamodb:Query', Resource: index(t.Compliance, 'byAccount') },
        { Action: 'dynamodb:Query', Resource: index(t.ScanLedger, 'byAccount') },
        { Action: ['dynamodb:Query', 'dynamodb:GetItem'], Resource: arnOf(t.ScanLedger) },
        { Action: ['dynamodb:Query', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: arnOf(t.DailySummary) },
      ]),
    );
    const actions = statements.flatMap((s) => asArray(s.Action) as string[]);
    expect(actions.filter((a) => /^(s3|sts|lambda|sqs|sns):/.test(a))).toEqual([]);
    expect(new Set(actions.filter((a) => a.startsWith('kms:')))).toEqual(new Set(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
  });

  it('lets RecordBatchFailure only put ledger items (no reads, no other table, no member access)', () => {
    const role = logicalId(stack.scan.recordBatchFailure.role as never);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(role))
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s) => asArray(s.Action) as string[]);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:PutItem']);
    const put = statements.find((s) => asArray(s.Action).includes('dynamodb:PutItem'))!;
    expect(asArray(put.Resource)).toEqual([arnOf(stack.storage.tables.ScanLedger)]);
    expect(actions.filter((a) => /^(s3|sts|lambda|sqs|sns):/.test(a))).toEqual([]);
    expect(new Set(actions.filter((a) => a.startsWith('kms:')))).toEqual(new Set(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
  });

  it('logs ALL to its log group, traces with X-Ray, and is started daily by Scheduler with {}', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 5 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({ Arn: ref(stack.scan.stateMachine), Input: '{}' }),
    });
  });

  it('gives the 15-minute ScanScope a time budget of about 12 minutes', () => {
    const fn = template.toJSON().Resources[logicalId(stack.scan.scanScope)].Properties;
    expect(fn.Timeout).toBe(900);
    expect(Number(fn.Environment.Variables[ENV.scanTimeBudgetMs])).toBe(720_000);
  });
});

describe('real-time path', () => {
  it('lets the Organization and the listed member accounts, nobody else, put events on posture-central', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'posture-central' });
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy')).map(
      (p) => (p as { Properties: { Statement: Record<string, unknown> } }).Properties.Statement,
    );
    expect(policies).toHaveLength(2);
    const org = policies.find((s) => s.Condition)!;
    expect(org).toMatchObject({
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
    });
    const members = policies.find((s) => !s.Condition)!;
    expect(JSON.stringify(members.Principal)).toContain(':iam::111111111111:root');
    expect(JSON.stringify(members.Principal)).toContain(':iam::222222222222:root');
    expect(JSON.stringify(members.Principal)).not.toContain('"*"');
  });

  it('has no bus policy when neither an Organization nor member accounts are configured', () => {
    const { stack: bare } = buildApp({ nag: false, context: { ...SKIP_BUNDLING } });
    Template.fromStack(bare).resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });

  it('lets RealtimeRescan write only the canary attributes of an account item', () => {
    // The console's Cloud Accounts wizard writes whole account items (console.test.ts).
    const statements = policyStatements(template, [consoleRole()]).filter((s) => JSON.stringify(s.Resource).includes(logicalId(stack.storage.tables.Accounts)));
    const writes = statements.filter((s) => (asArray(s.Action) as string[]).some((a) => /Put|Update|Delete|BatchWrite/.test(a)));
    expect(writes).toEqual([expect.objectContaining({ Action: 'dynamodb:UpdateItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:Attributes': ['accountId', 'canary:*'] } } })]);
  });

  it('routes CloudTrail API calls to the encrypted realtime queue, with a DLQ after 5 receives', () => {
    const rt = stack.realtime;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: ref(rt.bus),
      // Only AWS services can emit aws.* sources (PutEvents refuses them); the canary is the one exception.
      EventPattern: { 'detail-type': ['AWS API Call via CloudTrail'], source: [{ prefix: 'aws.' }, 'posture.canary'] },
      Targets: [Match.objectLike({ Arn: arnOf(rt.queue), DeadLetterConfig: { Arn: arnOf(rt.deadLetterQueue) } })],
    });
    const resources = template.toJSON().Resources;
    const rescanTimeout = resources[logicalId(rt.rescan)].Properties.Timeout as number;
    for (const [queue, dlq] of [
      [rt.queue, rt.deadLetterQueue],
      [rt.delayQueue, rt.delayDeadLetterQueue],
    ] as const) {
      const p = resources[logicalId(queue)].Properties;
      expect(p.SqsManagedSseEnabled).toBe(true);
      expect(p.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 5 });
      expect(p.VisibilityTimeout).toBeGreaterThanOrEqual(6 * rescanTimeout);
    }
    // Every queue refuses plain HTTP.
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    const tlsOnly = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter((p) =>
      JSON.stringify(p).includes('"aws:SecureTransport":"false"'),
    );
    expect(tlsOnly.flatMap((p) => (p as { Properties: { Queues: unknown[] } }).Properties.Queues)).toEqual(
      expect.arrayContaining(queues.map((id) => ({ Ref: id }))),
    );
  });

  it('consumes both queues with partial batch failures', () => {
    for (const queue of [stack.realtime.queue, stack.realtime.delayQueue]) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(queue),
        FunctionName: ref(stack.realtime.rescan),
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    const env = template.toJSON().Resources[logicalId(stack.realtime.rescan)].Properties.Environment.Variables;
    expect(env[ENV.realtimeDelayQueue]).toEqual(ref(stack.realtime.delayQueue));
    expect(env[ENV.realtimeDeadLetterQueue]).toEqual(ref(stack.realtime.deadLetterQueue));
    // It may send to the delay queue (deferrals) and the DLQ (malformed events), to no other queue.
    const sends = policyStatements(template).filter((s) => asArray(s.Action).includes('sqs:SendMessage'));
    const targets = sends.flatMap((s) => asArray(s.Resource));
    expect(targets).toEqual(
      expect.arrayContaining([arnOf(stack.realtime.delayQueue), arnOf(stack.realtime.deadLetterQueue), arnOf(stack.alerts.failureQueue)]),
    );
    expect(targets).not.toContainEqual(arnOf(stack.realtime.queue));
  });
});

describe('policy engine', () => {
  it('is a Python arm64 function with the engine layer and the bundle path', () => {
    const fn = template.toJSON().Resources[logicalId(stack.engine.function)].Properties;
    expect(fn.Runtime).toMatch(/^python3\.\d+$/);
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.Handler).toBe('index.handler');
    expect(fn.Layers).toEqual([ref(stack.engine.layer)]);
    expect(fn.Environment.Variables.POSTURE_BUNDLE).toBe('/opt/posture/bundle.zip');
    expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
    template.hasResourceProperties('AWS::Lambda::LayerVersion', { CompatibleRuntimes: [fn.Runtime], CompatibleArchitectures: ['arm64'] });
  });

  it("stages the console's merged drafts under the policy bucket's draft prefix, expired after a week (grants: policy-bundle.test.ts)", () => {
    const fn = template.toJSON().Resources[logicalId(stack.engine.function)].Properties;
    expect(fn.Environment.Variables.POSTURE_DRAFTS_PREFIX).toBe(DRAFTS_PREFIX);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireDraftBundles', Prefix: DRAFTS_PREFIX, ExpirationInDays: 7, Status: 'Enabled' })]) },
    });
  });

  it('runs the policies of the frameworks chosen at deploy: CIS and FSBP by default, posture:frameworks otherwise', () => {
    const env = (t: Template, s: PostureStack) => t.toJSON().Resources[Stack.of(s).getLogicalId(s.engine.function.node.defaultChild as CfnResource)].Properties.Environment.Variables;
    const left = (t: Template, s: PostureStack) => JSON.parse(env(t, s)[REPORTS_DESELECT_ENV]) as string[];
    const byDefault = left(template, stack);
    expect(byDefault).toEqual(chooseFrameworks().deselectedKeys);
    expect(byDefault).toEqual(expect.arrayContaining(['PCI DSS v4.0.1', 'NIST SP 800-53 Revision 5']));
    expect(byDefault).not.toContain('AWS Foundational Security Best Practices');
    expect(byDefault).not.toContain('CIS AWS Foundations 1.2.0');
    template.hasOutput(OUTPUTS.frameworks, { Value: 'cis-3.0, fsbp, cis-1.4, cis-1.2' });

    const { stack: fsbp } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, 'posture:frameworks': 'fsbp' } });
    const t = Template.fromStack(fsbp);
    expect(left(t, fsbp)).toEqual(expect.arrayContaining(['CIS AWS Foundations 3.0', 'CIS AWS Foundations 1.2.0', 'PCI DSS v4.0.1']));
    expect(left(t, fsbp)).not.toContain('AWS Foundational Security Best Practices');
    t.hasOutput(OUTPUTS.frameworks, { Value: 'fsbp' });
    expect(() => buildApp({ nag: false, context: { ...SKIP_BUNDLING, 'posture:frameworks': 'nope' } })).toThrow(/^CDK context "posture:frameworks": 'nope' is not a known framework/);
  });

  it('-c posture:historyDays sets the history retention of every function and the HistoryRetentionDays output', () => {
    template.hasOutput(OUTPUTS.historyDays, { Value: '90' });
    const { stack: kept } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, 'posture:historyDays': '365' } });
    const t = Template.fromStack(kept);
    t.hasOutput(OUTPUTS.historyDays, { Value: '365' });
    const fns = Object.values(t.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.[tableEnvVar('ResourceHistory')]);
    expect(fns.length).toBeGreaterThan(3);
    for (const fn of fns) expect(fn.Properties.Environment.Variables[ENV.historyDays]).toBe('365');
    // The table expires records by TTL on expiresAt (the retention is applied when a record is written).
    t.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true }, KeySchema: [{ AttributeName: 'resourceId', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }] });
  });

  it("builds the layer's dependencies for the function's own runtime and architecture (one declaration)", () => {
    const fn = template.toJSON().Resources[logicalId(stack.engine.function)].Properties;
    expect([...LAYER_PLATFORM_ARGS]).toEqual(['--lambda-runtime', fn.Runtime, '--architecture', fn.Architectures[0]]);
    expect([PYTHON_RUNTIME.name, ENGINE_ARCHITECTURE.name]).toEqual(['python3.13', 'arm64']);
  });
});

describe('alerts', () => {
  it('publishes to a KMS-encrypted, TLS-only posture-alerts topic with the email subscription', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'posture-alerts', KmsMasterKeyId: arnOf(stack.alerts.topicKey) });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secops@example.com' });
  });

  it('dispatches from the Alerts stream with retries, bisection, partial failures and an on-failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.storage.tables.Alerts), 'StreamArn'] },
      FunctionName: ref(stack.alerts.dispatch),
      StartingPosition: 'LATEST',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: Match.anyValue(),
      DestinationConfig: { OnFailure: { Destination: arnOf(stack.alerts.failureQueue) } },
    });
    // The console's Destinations page sends test alerts (console.test.ts).
    const publish = policyStatements(template, [consoleRole()]).filter((s) => asArray(s.Action).includes('sns:Publish'));
    // The alerts topic, plus the posture-* topics an operator may add as destinations (alert-destinations.test.ts).
    expect(publish).toEqual([expect.objectContaining({ Resource: expect.arrayContaining([ref(stack.alerts.topic)]) })]);
  });
});

describe('monitoring: failures are seen', () => {
  type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const resources = () => template.toJSON().Resources as Record<string, Resource>;
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
  const queueId = (arn: unknown): string | undefined => (arn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];

  /** From the template alone: every queue that is a dead-letter target, an on-failure destination, or consumed by nothing. */
  function parkingQueuesOfTemplate(): string[] {
    const all = resources();
    const queues = Object.keys(all).filter((id) => all[id]!.Type === 'AWS::SQS::Queue');
    const found = new Set<string>();
    const consumed = new Set<string>();
    for (const r of Object.values(all)) {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::SQS::Queue' && p.RedrivePolicy) found.add(queueId(p.RedrivePolicy.deadLetterTargetArn)!);
      if (r.Type === 'AWS::Events::Rule') for (const t of p.Targets ?? []) if (t.DeadLetterConfig) found.add(queueId(t.DeadLetterConfig.Arn)!);
      if (r.Type === 'AWS::Lambda::EventSourceMapping') {
        const id = queueId(p.EventSourceArn);
        if (id) consumed.add(id);
        if (p.DestinationConfig?.OnFailure) found.add(queueId(p.DestinationConfig.OnFailure.Destination)!);
      }
    }
    for (const id of queues) if (!consumed.has(id)) found.add(id);
    return [...found].sort();
  }

  it('alarms on the depth of every queue where messages park (dead-letter targets, on-failure destinations, unconsumed queues), to the alerts topic', () => {
    const parking = parkingQueuesOfTemplate();
    // What that derivation finds today: the realtime and delay DLQs, the stream's on-failure queue and the delivery DLQ.
    expect(parking).toEqual(
      [stack.realtime.deadLetterQueue, stack.realtime.delayDeadLetterQueue, stack.alerts.failureQueue, stack.alerts.deliveryDeadLetterQueue].map(logicalId).sort(),
    );
    for (const id of parking) {
      const alarm = alarms().find((a) => a.Properties.Namespace === 'AWS/SQS' && JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }]));
      expect(alarm, `${id} has no depth alarm`).toBeDefined();
      expect(alarm!.Properties).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [ref(stack.alerts.topic)],
        OKActions: [ref(stack.alerts.topic)],
      });
      // posture status finds every one of them through the stack output.
      expect(JSON.stringify(template.toJSON().Outputs.DeadLetterQueueUrls.Value)).toContain(JSON.stringify({ Ref: id }));
    }
    // The work queues are consumed: no depth alarm on them.
    const alarmed = alarms().filter((a) => a.Properties.Namespace === 'AWS/SQS').map((a) => a.Properties.Dimensions[0].Value['Fn::GetAtt'][0]);
    expect(alarmed.sort()).toEqual(parking);
  });

  it('alarms on a dead-letter queue added after the Monitoring construct too (a new DLQ cannot be forgotten)', async () => {
    const { Queue, QueueEncryption } = await import('aws-cdk-lib/aws-sqs');
    const { app, stack: late } = buildApp({ nag: false, context: { ...SKIP_BUNDLING } });
    const dlq = new Queue(late, 'LateDlq', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    new Queue(late, 'LateQueue', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const synthesized = app.synth().getStackByName(late.stackName).template as { Resources: Record<string, { Type: string; Properties: Record<string, any> }>; Outputs: Record<string, { Value: unknown }> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const dlqId = late.getLogicalId(dlq.node.defaultChild as CfnResource);
    const alarm = Object.values(synthesized.Resources).find((r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.Dimensions ?? []).includes(`"${dlqId}"`));
    expect(alarm?.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, AlarmDescription: expect.stringContaining('LateDlq (redrive target, not consumed)') });
    expect(JSON.stringify(synthesized.Outputs.DeadLetterQueueUrls!.Value)).toContain(`LateDlq=",{"Ref":"${dlqId}"}`);
  });

  it('alarms on failed, timed-out and aborted DailyScan executions, to the alerts topic', () => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      const found = alarms().filter((a) => a.Properties.MetricName === metric);
      expect(found, metric).toHaveLength(1);
      expect(found[0]!.Properties).toMatchObject({
        Namespace: 'AWS/States',
        Dimensions: [{ Name: 'StateMachineArn', Value: ref(stack.scan.stateMachine) }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [ref(stack.alerts.topic)],
      });
    }
  });

  it('alarms on the policy engine error rate (Errors / Invocations), to the alerts topic', () => {
    const rate = alarms().find((a) => (a.Properties.Metrics ?? []).some((m: { Expression?: string }) => m.Expression?.includes('errors / invocations')));
    expect(rate).toBeDefined();
    expect(rate!.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [ref(stack.alerts.topic)] });
    const metrics = (rate!.Properties.Metrics as { Id: string; MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions: unknown[] } } }[]).filter((m) => m.MetricStat);
    expect(metrics.map((m) => [m.Id, m.MetricStat!.Metric.MetricName]).sort()).toEqual([
      ['errors', 'Errors'],
      ['invocations', 'Invocations'],
    ]);
    for (const m of metrics) {
      expect(m.MetricStat!.Metric.Namespace).toBe('AWS/Lambda');
      expect(m.MetricStat!.Metric.Dimensions).toEqual([{ Name: 'FunctionName', Value: ref(stack.engine.function) }]);
    }
  });

  it('lets CloudWatch (this account\'s alarms only) publish to the KMS-encrypted alerts topic', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(stack.alerts.topic)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: Match.anyValue() },
          }),
        ]),
      },
    });
    const key = resources()[logicalId(stack.alerts.topicKey)]!.Properties.KeyPolicy.Statement as Record<string, unknown>[];
    expect(key).toContainEqual(expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }));
  });
});

describe('Lambda functions and IAM', () => {
  const nodeFunctions = () => [stack.scan.planScan, stack.scan.scanScope, stack.scan.recordBatchFailure, stack.scan.summarizeScan, stack.realtime.rescan, stack.alerts.dispatch, stack.console!.apiFunction];

  it('runs every Node function on nodejs22.x arm64 with X-Ray, its own log group and the Powertools settings', () => {
    const resources = template.toJSON().Resources;
    const node = Object.values(resources).filter((r: any) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Runtime).startsWith('nodejs')); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(node).toHaveLength(nodeFunctions().length);
    for (const fn of nodeFunctions()) {
      const p = resources[logicalId(fn)].Properties;
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Handler).toBe('index.handler');
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.LoggingConfig.LogGroup).toEqual(expect.objectContaining({ Ref: expect.any(String) }));
      expect(p.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'posture', POWERTOOLS_METRICS_NAMESPACE: 'Posture' });
    }
  });

  it('gives every Node function the whole environment contract of lambdas/runtime/env.ts', () => {
    const resources = template.toJSON().Resources;
    const expected: Record<string, unknown> = {
      [ENV.scanBucket]: ref(stack.storage.scanBucket),
      [ENV.engineFunction]: ref(stack.engine.function),
      [ENV.alertsTopic]: ref(stack.alerts.topic),
      [ENV.auditRoleName]: 'PostureTestAudit',
      [ENV.realtimeDelayQueue]: ref(stack.realtime.delayQueue),
      [ENV.realtimeDeadLetterQueue]: ref(stack.realtime.deadLetterQueue),
      // The default retention of the resource history (-c posture:historyDays).
      [ENV.historyDays]: '90',
    };
    for (const id of Object.keys(TABLES) as TableId[]) expected[tableEnvVar(id)] = ref(stack.storage.tables[id]);
    for (const fn of nodeFunctions()) {
      const env = resources[logicalId(fn)].Properties.Environment.Variables;
      expect(env).toMatchObject(expected);
      for (const name of Object.values(ENV)) expect(env, name).toHaveProperty(name);
      // What the handlers will do with it: tokens stand in for the deploy-time values.
      const deployed = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      expect(readLambdaEnv({ ...deployed, AWS_REGION: 'eu-west-1' }).auditRoleName).toBe('PostureTestAudit');
      expect(Number(env[ENV.scanTimeBudgetMs])).toBeLessThan(resources[logicalId(fn)].Properties.Timeout * 1000);
    }
  });

  const roleArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::*:role/${name}`]] });
  const assumeStatements = (t: Template) => policyStatements(t).filter((s) => asArray(s.Action).includes('sts:AssumeRole'));

  it('restricts sts:AssumeRole to the audit role name in any account', () => {
    const assume = assumeStatements(template);
    expect(assume.length).toBe(4); // plan-scan, scan-scope, realtime-rescan, the console API (the connect wizard's verify)
    for (const statement of assume) {
      expect(statement.Action).toBe('sts:AssumeRole');
      expect(statement.Resource).toEqual(roleArn('PostureTestAudit'));
    }
    expect(template.toJSON().Outputs.AuditRoleName.Value).toBe('PostureTestAudit');
    expect(template.toJSON().Outputs.AdditionalAuditRoleNames.Value).toBe('none');
  });

  it('-c auditRoleName and -c additionalAuditRoleNames reach the grants of every function that assumes, the environment and the outputs', () => {
    const { stack: other } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT, auditRoleName: 'OrgSecurityAudit', additionalAuditRoleNames: 'TeamAudit' } });
    const t = Template.fromStack(other);
    const resources = t.toJSON().Resources;
    const assume = assumeStatements(t);
    expect(assume.length).toBe(4);
    for (const statement of assume) expect(statement.Resource).toEqual([roleArn('OrgSecurityAudit'), roleArn('TeamAudit')]);
    // Exactly the functions that reach member accounts hold the grant.
    const holders = Object.entries(t.findResources('AWS::IAM::Policy'))
      .filter(([, p]) => (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement.some((s) => asArray(s.Action).includes('sts:AssumeRole')))
      .flatMap(([, p]) => (p as { Properties: { Roles: { Ref: string }[] } }).Properties.Roles.map((r) => r.Ref))
      .sort();
    const roleOf = (fn: { role?: unknown }) => Stack.of(other).getLogicalId((fn.role as { node: { defaultChild: CfnResource } }).node.defaultChild);
    expect(holders).toEqual([other.scan.planScan, other.scan.scanScope, other.realtime.rescan, other.console!.apiFunction].map(roleOf).sort());
    // The default name (not the additional ones) is what the handlers assume for an account that names none.
    for (const fn of [other.scan.planScan, other.scan.scanScope, other.scan.recordBatchFailure, other.scan.summarizeScan, other.realtime.rescan, other.alerts.dispatch]) {
      const env = resources[Stack.of(other).getLogicalId(fn.node.defaultChild as CfnResource)].Properties.Environment.Variables;
      expect(env[ENV.auditRoleName]).toBe('OrgSecurityAudit');
      const deployed = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      expect(readLambdaEnv({ ...deployed, AWS_REGION: 'eu-west-1' }).auditRoleName).toBe('OrgSecurityAudit');
    }
    expect(t.toJSON().Outputs.AuditRoleName.Value).toBe('OrgSecurityAudit');
    expect(t.toJSON().Outputs.AdditionalAuditRoleNames.Value).toBe('TeamAudit');
  });

  it('uses no AWS managed policies and no wildcard actions except KMS grant variants', () => {
    // The one exception: the CDK's BucketDeployment handler that copies the console at deploy time
    // (its own role, acknowledged in lib/nag.ts REASONS.bucketDeployment).
    const roles = Object.entries(template.findResources('AWS::IAM::Role'));
    const deployment = roles.filter(([id]) => id.startsWith('CustomCDKBucketDeployment')).map(([id]) => id);
    expect(deployment).toHaveLength(1);
    for (const [id, role] of roles) {
      if (deployment.includes(id)) continue;
      expect((role as { Properties: { ManagedPolicyArns?: unknown } }).Properties.ManagedPolicyArns, id).toBeUndefined();
    }
    const wildcardActions = policyStatements(template, deployment)
      .flatMap((s) => asArray(s.Action) as string[])
      .filter((a) => a.includes('*'));
    expect([...new Set(wildcardActions)].sort()).toEqual(['kms:GenerateDataKey*', 'kms:ReEncrypt*']);
  });

  it('outputs what operators and the CLI need', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'CentralEventBusArn',
        'AlertsTopicArn',
        'DailyScanStateMachineArn',
        'ScanBucketName',
        'EngineFunctionName',
        ...Object.keys(TABLES).map((id) => `${id}TableName`),
      ]),
    );
  });
});
