/**
 * Alert delivery (DESIGN §7): the Alerts table is an outbox; its stream drives `dispatch-alerts`,
 * which routes each transition to the `posture-alerts` topic and the destinations configured in
 * the Destinations table (Slack, signed webhooks, other topics; secrets in Secrets Manager under
 * posture/destinations/). A destination that stays down after retries gets its alert parked on
 * the delivery DLQ; a batch that fails as a whole (stream side) is retried, bisected, then parked
 * on the dispatch-failures queue. Nothing is lost when a destination is down, nothing sent twice.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SECRET_PREFIX, TOPIC_PREFIX } from '#alerts/destination-config.ts';
import { acknowledge, acknowledgeWildcardActions, acknowledgeWildcardResource, REASONS } from '../nag.ts';
import { grantObjects, grantTables, policyHolder } from './grants.ts';
import type { NodeFunctionFactory } from './node-function.ts';
import type { Storage } from './storage.ts';
import { RESOURCES_PREFIX } from '#store/bucket-layout.ts';

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
  /** One message per (alert, destination) that could not be delivered, with the reason. */
  readonly deliveryDeadLetterQueue: sqs.Queue;
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

    this.deliveryDeadLetterQueue = new sqs.Queue(this, 'DeliveryFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deliveryDeadLetterQueue, 'AwsSolutions-SQS3', REASONS.deliveryFailureQueue);

    this.dispatch = props.functions.create(this, 'DispatchFunction', 'dispatch-alerts', {
      description: 'Posture alerts: delivers opened/resolved alerts from the Alerts table stream',
      memorySize: 512,
      // Per destination: up to 4 attempts of 10 s with backoff; the handler stops taking new
      // records two minutes before the timeout, so a batch never times out half-delivered.
      timeout: Duration.minutes(5),
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
    grantObjects(this.dispatch, props.storage.scanBucket, { read: true, prefix: RESOURCES_PREFIX });
    // The destinations, their secrets (by name prefix only) and the delivery DLQ.
    grantTables(this.dispatch, props.storage.tables, ['Destinations'], 'read');
    const secrets = Stack.of(this).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${SECRET_PREFIX}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    iam.Grant.addToPrincipal({ grantee: this.dispatch, actions: ['secretsmanager:GetSecretValue'], resourceArns: [secrets] });
    acknowledgeWildcardResource(policyHolder(this.dispatch), secrets, REASONS.destinationSecrets);
    iam.Grant.addToPrincipal({ grantee: this.dispatch, actions: ['sqs:SendMessage'], resourceArns: [this.deliveryDeadLetterQueue.queueArn] });
    const topics = Stack.of(this).formatArn({ service: 'sns', resource: `${TOPIC_PREFIX}*` });
    iam.Grant.addToPrincipal({ grantee: this.dispatch, actions: ['sns:Publish'], resourceArns: [topics] });
    acknowledgeWildcardResource(policyHolder(this.dispatch), topics, REASONS.destinationTopics);
  }
}
