/**
 * The optional second real-time source (DESIGN §5): CloudTrail log files an existing trail delivers
 * to S3. The trail buckets' object-created notifications (S3 → SQS, or S3 → EventBridge → the
 * central bus → a rule) land on the `cloudtrail-logs` queue; the reader reads each log file and
 * forwards the write events of onboarded accounts to the realtime queue RealtimeRescan consumes.
 * Only with `-c posture:cloudtrailBuckets=…` (posture-stack.ts); least privilege: GetObject on the
 * named buckets' `AWSLogs/` objects, Decrypt on the trail's key only when one is given.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantTables } from './grants.ts';
import type { NodeFunctionFactory } from './node-function.ts';
import { MAX_RECEIVE_COUNT, queue, VISIBILITY_TIMEOUT } from './realtime.ts';
import type { Storage } from './storage.ts';
import { acknowledge, nagString, REASONS } from '../nag.ts';
import { LAMBDA_MEMORY_MB } from '#aws/sizing.ts';
import { LOG_SOURCE_ENV } from '#lambda-runtime/env.ts';
import { S3_OBJECT_CREATED } from '#events/s3-notification.ts';

const READER_TIMEOUT = Duration.minutes(5);

export interface CloudTrailLogsProps {
  functions: NodeFunctionFactory;
  storage: Storage;
  /** The realtime queue (RealtimeRescan's source) the reader forwards to. */
  realtimeQueue: sqs.IQueue;
  /** The central bus: S3 events forwarded from the trail bucket's account reach the queue through a rule on it. */
  bus: events.IEventBus;
  buckets: readonly string[];
  /** The trail's SSE-KMS key, when it encrypts log files with one. */
  kmsKeyArn?: string;
}

export class CloudTrailLogs extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly rule: events.Rule;
  readonly reader: NodejsFunction;

  constructor(scope: Construct, id: string, props: CloudTrailLogsProps) {
    super(scope, id);
    const { partition } = Stack.of(this);
    const bucketArns = props.buckets.map((b) => `arn:${partition}:s3:::${b}`);

    this.deadLetterQueue = queue(this, 'LogsDlq', { retentionPeriod: Duration.days(14) });
    this.queue = queue(this, 'LogsQueue', {
      visibilityTimeout: VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    // S3 event notifications of the named trail buckets only (buckets may live in another account: the ARN names them).
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TrailBucketNotifications',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnLike: { 'aws:SourceArn': bucketArns } },
      }),
    );
    // Or S3 → EventBridge: the trail account's default-bus rule forwards Object Created to the central bus.
    this.rule = new events.Rule(this, 'ObjectCreatedRule', {
      description: 'Posture: S3 Object Created events of the CloudTrail trail buckets, for the log-file reader',
      eventBus: props.bus,
      eventPattern: { source: ['aws.s3'], detailType: [S3_OBJECT_CREATED], detail: { bucket: { name: [...props.buckets] } } },
      targets: [new eventTargets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 10, maxEventAge: Duration.hours(12) })],
    });

    this.reader = props.functions.create(this, 'ReaderFunction', 'cloudtrail-logs', {
      description: 'Posture real-time: reads CloudTrail log files of the trail buckets and forwards write events to the realtime queue',
      memorySize: LAMBDA_MEMORY_MB.cloudtrailLogs,
      timeout: READER_TIMEOUT,
    });
    this.reader.addEnvironment(LOG_SOURCE_ENV.realtimeQueueUrl, props.realtimeQueue.queueUrl);
    this.reader.addEnvironment(LOG_SOURCE_ENV.deadLetterQueueUrl, this.deadLetterQueue.queueUrl);
    this.reader.addEnvironment(LOG_SOURCE_ENV.buckets, props.buckets.join(','));
    this.reader.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(5), reportBatchItemFailures: true, maxConcurrency: 10 }));

    props.realtimeQueue.grantSendMessages(this.reader);
    this.deadLetterQueue.grantSendMessages(this.reader);
    grantTables(this.reader, props.storage.tables, ['Accounts'], 'read');
    const objects = bucketArns.map((arn) => `${arn}/*AWSLogs/*`);
    const policy = new iam.Policy(this, 'ReadTrailLogs', {
      statements: [
        new iam.PolicyStatement({ sid: 'ReadTrailLogFiles', actions: ['s3:GetObject'], resources: objects }),
        ...(props.kmsKeyArn
          ? [
              new iam.PolicyStatement({
                sid: 'DecryptTrailLogFiles',
                actions: ['kms:Decrypt'],
                resources: [props.kmsKeyArn],
                // Only for S3 reads of the trail's objects: S3 in the key's region (an SSE-KMS key is in its bucket's region).
                conditions: { StringEquals: { 'kms:ViaService': `s3.${props.kmsKeyArn.split(':')[3]}.amazonaws.com` } },
              }),
            ]
          : []),
      ],
    });
    this.reader.role!.attachInlinePolicy(policy);
    for (const o of objects) acknowledge(policy, `AwsSolutions-IAM5[Resource::${nagString(this, o)}]`, REASONS.trailLogObjects);
  }
}
