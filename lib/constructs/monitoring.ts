/**
 * Failures are seen (issue #11 item 6): CloudWatch alarms, with their actions on the stack's
 * alerts topic, on
 *   - every queue where messages park (depth > 0): derived from the construct tree, never listed
 *     by hand — a queue that is another queue's dead-letter target, an EventBridge target's DLQ, a
 *     Lambda event source's on-failure destination, or any queue no event source consumes;
 *   - the DailyScan state machine's failed, timed-out and aborted executions (a scan with failed
 *     batches ends FAILED, see scan-workflow.ts);
 *   - the policy engine function's error rate.
 * The parking queues are derived again by an aspect at synth time, so a queue added after this
 * construct gets its alarm too (and a validation fails the synth if one still has none).
 */
import { ArnFormat, Aspects, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';

/** Engine invocations that may fail in a 5-minute period before the alarm fires (percent). */
export const ENGINE_ERROR_RATE_PERCENT = 1;
const PERIOD = Duration.minutes(5);

/** A queue where messages park, with a stable label (its construct path under the stack). */
export interface ParkingQueue {
  label: string;
  queue: sqs.Queue;
  /** Why it is one: redrive target, rule-target DLQ, on-failure destination, not consumed. */
  reasons: string[];
}

/**
 * Every queue under `root` where messages end up parked until an operator acts: dead-letter
 * targets of queues, EventBridge targets and event source mappings, and queues nothing consumes.
 */
export function parkingQueues(root: IConstruct): ParkingQueue[] {
  const stack = Stack.of(root);
  const key = (value: unknown) => JSON.stringify(stack.resolve(value));
  const all = root.node.findAll();
  const queues = all.filter((c): c is sqs.Queue => c instanceof sqs.Queue);
  const reasons = new Map<string, Set<string>>();
  const mark = (arn: unknown, reason: string) => {
    if (arn === undefined) return;
    const k = key(arn);
    reasons.set(k, (reasons.get(k) ?? new Set()).add(reason));
  };

  for (const q of queues) if (q.deadLetterQueue) mark(q.deadLetterQueue.queue.queueArn, 'redrive target');
  const consumed = new Set<string>();
  for (const c of all) {
    if (c instanceof events.CfnRule) {
      const targets = (stack.resolve(c.targets) ?? []) as Record<string, Record<string, unknown> | undefined>[];
      for (const t of targets) mark((t.deadLetterConfig ?? t.DeadLetterConfig)?.arn ?? (t.deadLetterConfig ?? t.DeadLetterConfig)?.Arn, 'rule-target DLQ');
    }
    if (c instanceof lambda.CfnEventSourceMapping) {
      consumed.add(key(c.eventSourceArn));
      const config = stack.resolve(c.destinationConfig) as { onFailure?: { destination?: unknown }; OnFailure?: { Destination?: unknown } } | undefined;
      mark(config?.onFailure?.destination ?? config?.OnFailure?.Destination, 'on-failure destination');
    }
  }
  const rootPath = stack.node.path;
  return queues
    .map((queue) => {
      const k = key(queue.queueArn);
      const why = [...(reasons.get(k) ?? [])];
      if (!consumed.has(k)) why.push('not consumed');
      return { label: queue.node.path.slice(rootPath.length + 1), queue, reasons: why };
    })
    .filter((q) => q.reasons.length > 0)
    .sort((a, b) => a.label.localeCompare(b.label));
}

export interface MonitoringProps {
  topic: sns.Topic;
  topicKey: kms.Key;
  stateMachine: sfn.StateMachine;
  engine: lambda.IFunction;
}

export class Monitoring extends Construct {
  /** Every parking queue with its alarm (complete once the app is synthesized). */
  readonly parked: ParkingQueue[] = [];
  private readonly alarm: (id: string, props: cloudwatch.AlarmProps) => cloudwatch.Alarm;
  /** Depth alarm of each parking queue, by label. */
  readonly queueAlarms = new Map<string, cloudwatch.Alarm>();
  readonly executionAlarms: { failed: cloudwatch.Alarm; timedOut: cloudwatch.Alarm; aborted: cloudwatch.Alarm };
  readonly engineErrorRate: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.allowAlarmsToPublish(props.topic, props.topicKey);
    const notify = new actions.SnsAction(props.topic);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const a = new cloudwatch.Alarm(this, alarmId, alarmProps);
      a.addAlarmAction(notify);
      // Recovery is news too: the on-call sees the alarm clear.
      a.addOkAction(notify);
      return a;
    };
    this.alarm = alarm;

    this.alarmParkingQueues();
    // Queues created after this construct: the aspect runs at synth, when the tree is complete.
    Aspects.of(stack).add({ visit: (node) => void (node === stack && this.alarmParkingQueues()) });

    const sm = props.stateMachine;
    const execution = (what: string, metric: cloudwatch.Metric) =>
      alarm(`DailyScan${what.replace(/[^A-Za-z]/g, '')}`, {
        alarmName: `${stack.stackName}-dailyscan-${what.toLowerCase().replace(/[^a-z]/g, '-')}`,
        alarmDescription: `A DailyScan execution ${what.toLowerCase()}${what === 'Failed' ? ' (a scan with failed batches ends FAILED; their scopes are ERROR in the ledger)' : ''}: see posture status and the execution's history.`,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.executionAlarms = {
      failed: execution('Failed', sm.metricFailed({ period: PERIOD, statistic: cloudwatch.Stats.SUM })),
      timedOut: execution('Timed out', sm.metricTimedOut({ period: PERIOD, statistic: cloudwatch.Stats.SUM })),
      aborted: execution('Aborted', sm.metricAborted({ period: PERIOD, statistic: cloudwatch.Stats.SUM })),
    };

    // A function error of the engine (crash, timeout, out of memory) leaves a batch of resources
    // unevaluated; a policy that raises is an ERROR result, not a function error.
    this.engineErrorRate = alarm('EngineErrorRate', {
      alarmName: `${stack.stackName}-engine-error-rate`,
      alarmDescription: `The policy engine function failed on more than ${ENGINE_ERROR_RATE_PERCENT} % of its invocations in 5 minutes: scopes it failed for are ERROR in the ledger. See the engine's logs.`,
      metric: new cloudwatch.MathExpression({
        label: 'Engine error rate (%)',
        expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
        usingMetrics: {
          errors: props.engine.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
          invocations: props.engine.metricInvocations({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        },
        period: PERIOD,
      }),
      threshold: ENGINE_ERROR_RATE_PERCENT,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.node.addValidation({
      validate: () =>
        parkingQueues(stack)
          .filter((p) => !this.queueAlarms.has(p.label))
          .map((p) => `${p.queue.node.path}: messages park on this queue (${p.reasons.join(', ')}) but it has no depth alarm`),
    });
  }

  /** A depth alarm for each parking queue that has none yet. */
  private alarmParkingQueues(): void {
    const stack = Stack.of(this);
    for (const p of parkingQueues(stack)) {
      if (this.queueAlarms.has(p.label)) continue;
      const name = p.label.replace(/[^A-Za-z0-9]/g, '');
      this.parked.push(p);
      this.queueAlarms.set(
        p.label,
        this.alarm(`Parked${name}`, {
          alarmName: `${stack.stackName}-parked-${name}`,
          alarmDescription: `Messages are parked on ${p.label} (${p.reasons.join(', ')}): see posture status; inspect and redrive them.`,
          metric: p.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    this.parked.sort((a, b) => a.label.localeCompare(b.label));
  }

  /** The topic is KMS-encrypted and has a resource policy: CloudWatch needs both to publish. */
  private allowAlarmsToPublish(topic: sns.Topic, key: kms.Key): void {
    const stack = Stack.of(this);
    const cloudwatchPrincipal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudwatchPrincipal],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsUseKey',
        principals: [cloudwatchPrincipal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
  }
}
