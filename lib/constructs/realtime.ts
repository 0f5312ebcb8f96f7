/**
 * The real-time path (DESIGN §5): member accounts forward CloudTrail write events to the central
 * bus; a rule queues them on SQS `realtime`; RealtimeRescan consumes it and the `realtime-delay`
 * queue (resources that need to settle are re-queued there with a delay).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantAssumeAuditRole, grantInvoke, grantObjects, grantTables } from './grants.ts';
import type { NodeFunctionFactory } from './node-function.ts';
import type { Storage } from './storage.ts';
import { LAMBDA_MEMORY_MB } from '#aws/sizing.ts';
import { CENTRAL_BUS_NAME } from '#events/envelope.ts';

const RESCAN_TIMEOUT = Duration.minutes(5);
/** Lambda's guidance for SQS sources: visibility timeout ≥ 6 × the function timeout. */
export const VISIBILITY_TIMEOUT = Duration.seconds(RESCAN_TIMEOUT.toSeconds() * 6);
/** Receives before a message is moved to its dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

export interface RealtimeProps {
  functions: NodeFunctionFactory;
  storage: Storage;
  engine: lambda.IFunction;
  /** The audit role names it may assume (the deployment's default first). */
  auditRoleNames: readonly string[];
  /** The central rule's pattern: CloudTrail API calls of the registry's sources and names. */
  eventPattern: events.EventPattern;
  organizationId?: string;
  memberAccountIds: string[];
}

export class Realtime extends Construct {
  readonly bus: events.EventBus;
  readonly rule: events.Rule;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly delayQueue: sqs.Queue;
  readonly delayDeadLetterQueue: sqs.Queue;
  readonly rescan: NodejsFunction;

  constructor(scope: Construct, id: string, props: RealtimeProps) {
    super(scope, id);

    this.bus = new events.EventBus(this, 'CentralBus', {
      eventBusName: CENTRAL_BUS_NAME,
      description: 'Posture: CloudTrail API calls forwarded by member accounts',
    });
    this.allowPutEvents(props);
    // A week of events to replay after an outage of the consumer.
    this.bus.archive('Archive', {
      description: 'Posture real-time events, for replay',
      eventPattern: props.eventPattern,
      retention: Duration.days(7),
    });

    this.deadLetterQueue = queue(this, 'RealtimeDlq', { retentionPeriod: Duration.days(14) });
    this.queue = queue(this, 'RealtimeQueue', {
      visibilityTimeout: VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.delayDeadLetterQueue = queue(this, 'RealtimeDelayDlq', { retentionPeriod: Duration.days(14) });
    this.delayQueue = queue(this, 'RealtimeDelayQueue', {
      visibilityTimeout: VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.delayDeadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    this.rule = new events.Rule(this, 'CloudTrailRule', {
      description: 'Posture: queue CloudTrail API calls of supported resource types for rescans',
      eventBus: this.bus,
      eventPattern: props.eventPattern,
      // Events EventBridge could not deliver land in the same DLQ as poison messages.
      targets: [new eventTargets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 10, maxEventAge: Duration.hours(12) })],
    });

    this.rescan = props.functions.create(this, 'RescanFunction', 'realtime-rescan', {
      description: 'Posture real-time: maps CloudTrail events to resources, rescans, evaluates and alerts',
      memorySize: LAMBDA_MEMORY_MB.realtimeRescan,
      timeout: RESCAN_TIMEOUT,
    });
    for (const source of [this.queue, this.delayQueue]) {
      this.rescan.addEventSource(
        new SqsEventSource(source, {
          batchSize: 10,
          maxBatchingWindow: Duration.seconds(5),
          reportBatchItemFailures: true,
          // Caps the rescan rate against member-account APIs (and the engine).
          maxConcurrency: 10,
        }),
      );
    }
    // Deferred rescans go to the delay queue; malformed events straight to the DLQ, with a reason.
    this.delayQueue.grantSendMessages(this.rescan);
    this.deadLetterQueue.grantSendMessages(this.rescan);
    const { storage } = props;
    grantTables(this.rescan, storage.tables, ['Resources', 'ResourceHistory', 'Compliance', 'Alerts', 'ScanLedger', 'Idempotency'], 'readWrite');
    grantTables(this.rescan, storage.tables, ['Accounts', 'Exceptions'], 'read');
    // `posture accounts verify` canaries are recorded on the account's item: only those attributes.
    this.rescan.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [storage.tables.Accounts.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:Attributes': ['accountId', 'canary:*'] } },
      }),
    );
    grantObjects(this.rescan, storage.scanBucket, { read: true, write: true });
    grantInvoke(this.rescan, props.engine);
    grantAssumeAuditRole(this.rescan, props.auditRoleNames);
  }

  /** PutEvents from the Organization and/or the listed member accounts; nobody else. */
  private allowPutEvents(props: RealtimeProps): void {
    if (props.organizationId) {
      this.bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PutEventsFromOrganization',
          principals: [new iam.AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
        }),
      );
    }
    if (props.memberAccountIds.length > 0) {
      this.bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PutEventsFromMemberAccounts',
          principals: props.memberAccountIds.map((account) => new iam.AccountPrincipal(account)),
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
        }),
      );
    }
  }
}

/** Every queue: SSE (SQS-managed keys: EventBridge and Lambda need no key policy), TLS only. */
export function queue(scope: Construct, id: string, props: sqs.QueueProps): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(4),
    removalPolicy: RemovalPolicy.DESTROY,
    ...props,
  });
}
