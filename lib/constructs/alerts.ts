/**
 * Alert delivery (DESIGN §7): the Alerts table is an outbox; its stream drives `dispatch-alerts`,
 * which publishes to the `posture-alerts` topic (and other destinations). Failed stream batches
 * are retried, bisected, then parked on an SQS queue: nothing is lost when a destination is down.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardActions, REASONS } from '../nag.ts';
import { grantObjects, grantTables, policyHolder } from './grants.ts';
import type { NodeFunctionFactory } from './node-function.ts';
import type { Storage } from './storage.ts';

export const ALERTS_TOPIC_NAME = 'posture-alerts';

export interface AlertsProps {
  functions: NodeFunctionFactory;
  storage: Storage;
  alertEmail?: string;
}

export class Alerts extends Construct {
  readonly topicKey: kms.Key;
  readonly topic: sns.Topic;
  readonly failureQueue: sqs.Queue;
  readonly dispatch: NodejsFunction;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);

    this.topicKey = new kms.Key(this, 'TopicKey', {
      description: 'Posture alerts topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: ALERTS_TOPIC_NAME,
      displayName: 'Posture alerts',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    if (props.alertEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));

    this.failureQueue = new sqs.Queue(this, 'DispatchFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.failureQueue, 'AwsSolutions-SQS3', REASONS.streamFailureQueue);

    this.dispatch = props.functions.create(this, 'DispatchFunction', 'dispatch-alerts', {
      description: 'Posture alerts: delivers opened/resolved alerts from the Alerts table stream',
      memorySize: 512,
      timeout: Duration.minutes(1),
      alsoNeedsAnyResource: REASONS.listStreams,
    });
    this.dispatch.addEventSource(
      new DynamoEventSource(props.storage.tables.Alerts, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 50,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.failureQueue),
      }),
    );
    this.topic.grantPublish(this.dispatch);
    acknowledgeWildcardActions(policyHolder(this.dispatch), ['kms:GenerateDataKey*'], REASONS.topicKey);
    // The alert payload carries the resource's current attributes.
    grantTables(this.dispatch, props.storage.tables, ['Resources'], 'read');
    // Resources too large for an item are offloaded to the scan bucket (ResourceStore).
    grantObjects(this.dispatch, props.storage.scanBucket, { read: true, prefix: 'resources/' });
  }
}
