/**
 * The Posture security-account stack (DESIGN §2): storage, the policy engine, the daily scan,
 * the real-time path and alert delivery.
 */
import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { resourceTypeNames } from '#resources/index.ts';
import { unscannedPantherTypes } from '#resources/panther-types.ts';
import * as events from 'aws-cdk-lib/aws-events';
import { CENTRAL_EVENT_PATTERN } from '#events/envelope.ts';
import type { TableId } from '#store/tables.ts';
import { assumableAuditRoleNames, type PostureConfig } from './config.ts';
import { describeChoice } from '#compliance/frameworks/selection.ts';
import { Alerts } from './constructs/alerts.ts';
import { Console } from './constructs/console.ts';
import { NodeFunctionFactory } from './constructs/node-function.ts';
import { PolicyEngine } from './constructs/policy-engine.ts';
import { Realtime } from './constructs/realtime.ts';
import { CloudTrailLogs } from './constructs/cloudtrail-logs.ts';
import { ScanWorkflow } from './constructs/scan-workflow.ts';
import { MemberTemplates } from './constructs/member-templates.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Storage } from './constructs/storage.ts';
import { OUTPUTS, tableOutputKey } from './outputs.ts';
import { ACTIVE_BUNDLE_KEY } from '#publish/active-bundle.ts';

export interface PostureStackProps extends StackProps {
  config: PostureConfig;
}

export class PostureStack extends Stack {
  readonly storage: Storage;
  readonly engine: PolicyEngine;
  readonly scan: ScanWorkflow;
  readonly realtime: Realtime;
  /** Present only with -c posture:cloudtrailBuckets. */
  readonly cloudtrailLogs?: CloudTrailLogs;
  readonly alerts: Alerts;
  readonly templates: MemberTemplates;
  readonly monitoring: Monitoring;
  /** Absent with -c console=false. */
  readonly console?: Console;

  constructor(scope: Construct, id: string, props: PostureStackProps) {
    super(scope, id, props);
    const { config } = props;
    const functions = new NodeFunctionFactory();

    this.storage = new Storage(this, 'Storage');
    // The built-in pack may name Panther-documented types that are not scanned (panther-types.ts): valid, never evaluated.
    this.engine = new PolicyEngine(this, 'PolicyEngine', { resourceTypes: [...resourceTypeNames(), ...unscannedPantherTypes()], accessLogsBucket: this.storage.accessLogsBucket, frameworks: config.frameworks });
    this.scan = new ScanWorkflow(this, 'Scan', {
      functions,
      storage: this.storage,
      engine: this.engine.function,
      auditRoleNames: assumableAuditRoleNames(config),
      schedule: config.scanSchedule,
      maxConcurrency: config.scanMaxConcurrency,
    });
    this.realtime = new Realtime(this, 'Realtime', {
      functions,
      storage: this.storage,
      engine: this.engine.function,
      auditRoleNames: assumableAuditRoleNames(config),
      // The member rules filter by the registry's sources and event names (split to fit
      // EventBridge's 2,048-character pattern limit); the central rule admits CloudTrail events
      // from AWS services (`aws.*`, which PutEvents cannot send) and the verify canary, and the bus
      // policy decides who may send. Unknown events are dropped and counted downstream.
      eventPattern: {
        detailType: [...CENTRAL_EVENT_PATTERN['detail-type']],
        source: events.Match.anyOf(...CENTRAL_EVENT_PATTERN.source.map((s) => (typeof s === 'string' ? events.Match.exactString(s) : events.Match.prefix(s.prefix)))),
      },
      organizationId: config.organizationId,
      memberAccountIds: config.memberAccountIds,
    });
    if (config.cloudtrailLogs) {
      this.cloudtrailLogs = new CloudTrailLogs(this, 'CloudTrailLogs', {
        functions,
        storage: this.storage,
        realtimeQueue: this.realtime.queue,
        bus: this.realtime.bus,
        buckets: config.cloudtrailLogs.buckets,
        kmsKeyArn: config.cloudtrailLogs.kmsKeyArn,
      });
    }
    this.templates = new MemberTemplates(this, 'MemberTemplates', {
      accessLogsBucket: this.storage.accessLogsBucket,
      organizationId: config.organizationId,
      memberAccountIds: config.memberAccountIds,
    });
    this.alerts = new Alerts(this, 'Alerts', { functions, storage: this.storage, alertEmail: config.alertEmail });

    if (config.console) {
      this.console = new Console(this, 'Console', {
        functions,
        storage: this.storage,
        engine: this.engine.function,
        policyBucket: this.engine.policyBucket,
        stateMachine: this.scan.stateMachine,
        alertsTopic: this.alerts.topic,
        onboarding: { templatesBucket: this.templates.bucket, eventBus: this.realtime.bus, auditRoleNames: assumableAuditRoleNames(config) },
        domain: config.consoleDomain,
      });
    }

    functions.applyContract({
      tables: this.storage.tables,
      scanBucket: this.storage.scanBucket,
      engineFunction: this.engine.function,
      alertsTopic: this.alerts.topic,
      realtimeDelayQueue: this.realtime.delayQueue,
      realtimeDeadLetterQueue: this.realtime.deadLetterQueue,
      alertDeliveryDeadLetterQueue: this.alerts.deliveryDeadLetterQueue,
      auditRoleName: config.auditRoleName,
      historyDays: config.historyDays,
    });

    // Last: it derives the queues to alarm on from everything built above.
    this.monitoring = new Monitoring(this, 'Monitoring', {
      topic: this.alerts.topic,
      topicKey: this.alerts.topicKey,
      stateMachine: this.scan.stateMachine,
      engine: this.engine.function,
    });

    this.outputs(config);
  }

  private outputs(config: PostureConfig): void {
    const output = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description });
    output(OUTPUTS.eventBusArn, this.realtime.bus.eventBusArn, 'Central event bus: target of the member accounts\' rules');
    output(OUTPUTS.alertsTopicArn, this.alerts.topic.topicArn, 'SNS topic of alert notifications');
    output(OUTPUTS.alertDeliveryDlqUrl, this.alerts.deliveryDeadLetterQueue.queueUrl, 'Alert deliveries that failed (posture destinations redrive)');
    output(OUTPUTS.stateMachineArn, this.scan.stateMachine.stateMachineArn, 'DailyScan state machine');
    output(OUTPUTS.scanBucket, this.storage.scanBucket.bucketName, 'Scan bucket (scope lists, map results, large resources)');
    output(OUTPUTS.templatesBucket, this.templates.bucket.bucketName, 'Member templates for quick-create links (readable by the member accounts)');
    output(OUTPUTS.templateReaders, this.templates.readers.join(',') || 'none', 'Organization and accounts that may read the member templates');
    output(OUTPUTS.engineFunction, this.engine.function.functionName, 'Python policy engine function');
    output(OUTPUTS.policyBucket, this.engine.policyBucket.bucketName, 'Policy bucket: posture upload writes the active bundle here');
    output(OUTPUTS.activePolicyBundle, this.engine.policyBucket.s3UrlForObject(ACTIVE_BUNDLE_KEY), 'Uploaded policy bundle the engine loads (absent: the built-in one)');
    output(OUTPUTS.builtinPolicyBundle, this.engine.bundle.s3ObjectUrl, 'Built-in policy bundle deployed with the stack');
    output(OUTPUTS.realtimeDelayQueueUrl, this.realtime.delayQueue.queueUrl, 'Delay queue of the real-time path');
    output(OUTPUTS.auditRoleName, config.auditRoleName, 'Audit role name assumed in member accounts onboarded without --role-name');
    output(OUTPUTS.historyDays, String(config.historyDays), 'Days a resource version or compliance transition stays in the resource history (-c posture:historyDays)');
    output(OUTPUTS.frameworks, describeChoice(config.frameworks), 'Frameworks whose policies the engine runs (-c posture:frameworks; posture upload evaluates with the same choice)');
    output(OUTPUTS.additionalAuditRoleNames, config.additionalAuditRoleNames.join(',') || 'none', 'Further audit role names the stack may assume (accounts add --role-name)');
    output(
      OUTPUTS.deadLetterQueueUrls,
      // Lazy: queues that get their alarm at synth (Monitoring's aspect) are listed too.
      Lazy.string({ produce: () => this.monitoring.parked.map((p) => `${p.label}=${p.queue.queueUrl}`).join(',') }),
      'Queues where messages park (label=URL, comma-separated; each has a depth alarm): read by posture status',
    );
    if (this.cloudtrailLogs) {
      output(OUTPUTS.cloudtrailLogsQueueArn, this.cloudtrailLogs.queue.queueArn, 'Queue of the trail buckets\' notifications (put-bucket-notification-configuration QueueConfigurations target)');
      output(OUTPUTS.cloudtrailLogsReaderRoleArn, this.cloudtrailLogs.reader.role!.roleArn, 'Role of the log-file reader: the trail bucket policy (and key policy) of another account must let it GetObject (Decrypt) on AWSLogs/');
      output(OUTPUTS.cloudtrailBuckets, config.cloudtrailLogs!.buckets.join(','), 'Trail buckets whose CloudTrail log files feed the real-time path (-c posture:cloudtrailBuckets)');
    }
    if (this.console) {
      output(OUTPUTS.consoleUrl, this.console.url, 'Web console (sign in with a Cognito user; README: the first admin)');
      output(OUTPUTS.consoleUserPoolId, this.console.userPool.userPoolId, 'Cognito user pool of the console (admin-create-user, admin-add-user-to-group)');
      output(OUTPUTS.consoleDistributionDomainName, this.console.distribution.distributionDomainName, 'CloudFront name of the console (the DNS target of consoleDomainName)');
    }
    for (const [id, table] of Object.entries(this.storage.tables) as [TableId, { tableName: string }][]) {
      output(tableOutputKey(id), table.tableName, `DynamoDB table ${id}`);
    }
  }
}
