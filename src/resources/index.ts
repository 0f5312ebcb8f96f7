/**
 * The resource-type registry (DESIGN §2): every supported type, and the views derived from it —
 * type lookup, the IAM actions the member role needs, the CloudTrail event map used by the
 * real-time path and the member EventBridge rule's filter. Every view is a pure function of a
 * registry (REGISTRY by default), so nothing is written twice.
 */
import { ACM_CERTIFICATE } from './acm-certificate.ts';
import { CLOUDFORMATION_STACK } from './cloudformation-stack.ts';
import { CLOUDTRAIL } from './cloudtrail.ts';
import { CLOUDTRAIL_META } from './cloudtrail-meta.ts';
import { CLOUDWATCH_LOG_GROUP } from './cloudwatch-log-group.ts';
import { CONFIG_RECORDER } from './config-recorder.ts';
import { CONFIG_RECORDER_META } from './config-recorder-meta.ts';
import { DYNAMODB_TABLE } from './dynamodb-table.ts';
import { EC2_AMI } from './ec2-ami.ts';
import { EC2_INSTANCE } from './ec2-instance.ts';
import { EC2_NETWORK_ACL } from './ec2-network-acl.ts';
import { EC2_SECURITY_GROUP } from './ec2-security-group.ts';
import { EC2_VOLUME } from './ec2-volume.ts';
import { EC2_VPC } from './ec2-vpc.ts';
import { ECS_CLUSTER } from './ecs-cluster.ts';
import { EKS_CLUSTER } from './eks-cluster.ts';
import { ELBV2_APPLICATION_LOAD_BALANCER } from './elbv2-application-load-balancer.ts';
import { GUARDDUTY_DETECTOR } from './guardduty-detector.ts';
import { GUARDDUTY_DETECTOR_META } from './guardduty-detector-meta.ts';
import { IAM_GROUP } from './iam-group.ts';
import { IAM_POLICY } from './iam-policy.ts';
import { IAM_ROLE } from './iam-role.ts';
import { IAM_ROOT_USER } from './iam-root-user.ts';
import { IAM_USER } from './iam-user.ts';
import { KMS_KEY } from './kms-key.ts';
import { LAMBDA_FUNCTION } from './lambda-function.ts';
import { PASSWORD_POLICY } from './password-policy.ts';
import { RDS_INSTANCE } from './rds-instance.ts';
import { REDSHIFT_CLUSTER } from './redshift-cluster.ts';
import { S3_BUCKET } from './s3-bucket.ts';
import { WAFV2_WEB_ACL } from './wafv2-web-acl.ts';
import { SQS_QUEUE } from './sqs-queue.ts';
import { SNS_TOPIC } from './sns-topic.ts';
import { SECRETSMANAGER_SECRET } from './secretsmanager-secret.ts';
import { SSM_PARAMETER } from './ssm-parameter.ts';
import { SSM_DOCUMENT } from './ssm-document.ts';
import { KINESIS_STREAM } from './kinesis-stream.ts';
import { FIREHOSE_DELIVERY_STREAM } from './firehose-delivery-stream.ts';
import { STEPFUNCTIONS_STATE_MACHINE } from './stepfunctions-state-machine.ts';
import { EVENTBRIDGE_EVENT_BUS } from './eventbridge-event-bus.ts';
import { COGNITO_USER_POOL } from './cognito-user-pool.ts';
import { ACCESSANALYZER_ANALYZER } from './accessanalyzer-analyzer.ts';
import { ACCESSANALYZER_ANALYZER_META } from './accessanalyzer-analyzer-meta.ts';
import { SECURITYHUB_META } from './securityhub-meta.ts';
import { INSPECTOR_META } from './inspector-meta.ts';
import { ORGANIZATIONS_SCP } from './organizations-scp.ts';
import { ECR_REPOSITORY } from './ecr-repository.ts';
import { EFS_FILE_SYSTEM } from './efs-file-system.ts';
import { EC2_SNAPSHOT } from './ec2-snapshot.ts';
import { RDS_SNAPSHOT } from './rds-snapshot.ts';
import { RDS_CLUSTER_SNAPSHOT } from './rds-cluster-snapshot.ts';
import { RDS_CLUSTER } from './rds-cluster.ts';
import { DOCDB_CLUSTER } from './docdb-cluster.ts';
import { NEPTUNE_CLUSTER } from './neptune-cluster.ts';
import { AUTOSCALING_GROUP } from './autoscaling-group.ts';
import { EC2_LAUNCH_TEMPLATE } from './ec2-launch-template.ts';
import { ELB_LOAD_BALANCER } from './elb-load-balancer.ts';
import { ELBV2_NETWORK_LOAD_BALANCER } from './elbv2-network-load-balancer.ts';
import { BACKUP_VAULT } from './backup-vault.ts';
import { BACKUP_PLAN } from './backup-plan.ts';
import { OPENSEARCH_DOMAIN } from './opensearch-domain.ts';
import { ELASTICACHE_CACHE_CLUSTER } from './elasticache-cache-cluster.ts';
import { ELASTICACHE_REPLICATION_GROUP } from './elasticache-replication-group.ts';
import { APIGATEWAY_REST_API } from './apigateway-rest-api.ts';
import { APIGATEWAYV2_API } from './apigatewayv2-api.ts';
import { CLOUDFRONT_DISTRIBUTION } from './cloudfront-distribution.ts';
import { ROUTE53_HOSTED_ZONE } from './route53-hosted-zone.ts';
import { CODEBUILD_PROJECT } from './codebuild-project.ts';
import { SAGEMAKER_NOTEBOOK_INSTANCE } from './sagemaker-notebook-instance.ts';
import { GLUE_JOB } from './glue-job.ts';
import { ATHENA_WORKGROUP } from './athena-workgroup.ts';
import { EMR_CLUSTER } from './emr-cluster.ts';
import { MQ_BROKER } from './mq-broker.ts';
import { TRANSFER_SERVER } from './transfer-server.ts';
import { MSK_CLUSTER } from './msk-cluster.ts';
import { redactAttributes, withRedaction } from './redact.ts';
import type { EventRule, ResourceType } from './types.ts';
import type { Resource } from '#core/resource.ts';

export type AnyResourceType = ResourceType<unknown>;

/** Every type, its `describe` redacting the type's `secretAttributes` (redact.ts): the one point
 *  all scans, rescans and examples go through. */
export const REGISTRY: readonly AnyResourceType[] = Object.freeze(([
  S3_BUCKET,
  EC2_SECURITY_GROUP,
  IAM_USER,
  PASSWORD_POLICY,
  IAM_GROUP,
  IAM_POLICY,
  IAM_ROLE,
  IAM_ROOT_USER,
  CLOUDTRAIL,
  CLOUDTRAIL_META,
  CONFIG_RECORDER,
  CONFIG_RECORDER_META,
  GUARDDUTY_DETECTOR,
  GUARDDUTY_DETECTOR_META,
  KMS_KEY,
  ACM_CERTIFICATE,
  CLOUDFORMATION_STACK,
  CLOUDWATCH_LOG_GROUP,
  DYNAMODB_TABLE,
  ECS_CLUSTER,
  EKS_CLUSTER,
  LAMBDA_FUNCTION,
  RDS_INSTANCE,
  REDSHIFT_CLUSTER,
  EC2_AMI,
  EC2_INSTANCE,
  EC2_NETWORK_ACL,
  EC2_VOLUME,
  EC2_VPC,
  ELBV2_APPLICATION_LOAD_BALANCER,
  WAFV2_WEB_ACL,
  SQS_QUEUE,
  SNS_TOPIC,
  SECRETSMANAGER_SECRET,
  SSM_PARAMETER,
  SSM_DOCUMENT,
  KINESIS_STREAM,
  FIREHOSE_DELIVERY_STREAM,
  STEPFUNCTIONS_STATE_MACHINE,
  EVENTBRIDGE_EVENT_BUS,
  COGNITO_USER_POOL,
  ACCESSANALYZER_ANALYZER,
  ACCESSANALYZER_ANALYZER_META,
  SECURITYHUB_META,
  INSPECTOR_META,
  ORGANIZATIONS_SCP,
  ECR_REPOSITORY,
  EFS_FILE_SYSTEM,
  EC2_SNAPSHOT,
  RDS_SNAPSHOT,
  RDS_CLUSTER_SNAPSHOT,
  RDS_CLUSTER,
  DOCDB_CLUSTER,
  NEPTUNE_CLUSTER,
  AUTOSCALING_GROUP,
  EC2_LAUNCH_TEMPLATE,
  ELB_LOAD_BALANCER,
  ELBV2_NETWORK_LOAD_BALANCER,
  BACKUP_VAULT,
  BACKUP_PLAN,
  OPENSEARCH_DOMAIN,
  ELASTICACHE_CACHE_CLUSTER,
  ELASTICACHE_REPLICATION_GROUP,
  APIGATEWAY_REST_API,
  APIGATEWAYV2_API,
  CLOUDFRONT_DISTRIBUTION,
  ROUTE53_HOSTED_ZONE,
  CODEBUILD_PROJECT,
  SAGEMAKER_NOTEBOOK_INSTANCE,
  GLUE_JOB,
  ATHENA_WORKGROUP,
  EMR_CLUSTER,
  MQ_BROKER,
  TRANSFER_SERVER,
  MSK_CLUSTER,
] as AnyResourceType[]).map(withRedaction));

/** The type named `name`; throws a one-line error for an unknown name. */
export function getResourceType(name: string, registry: readonly AnyResourceType[] = REGISTRY): AnyResourceType {
  const t = registry.find((r) => r.type === name);
  if (!t) throw new Error(`unknown resource type "${name}" (known: ${resourceTypeNames(registry).join(', ')})`);
  // A registry assembled elsewhere (tests, a --types subset) redacts like REGISTRY does.
  return withRedaction(t);
}

/** `resource` with its type's secret attributes redacted (unknown types unchanged): for values
 *  that may predate redaction, such as a stored resource read back for an alert. */
export function redactResource<T extends Resource>(resource: T, registry: readonly AnyResourceType[] = REGISTRY): T {
  const t = registry.find((r) => r.type === resource.ResourceType);
  return t?.secretAttributes?.length ? redactAttributes(resource, t.secretAttributes) : resource;
}

/** Every type name, sorted. */
export function resourceTypeNames(registry: readonly AnyResourceType[] = REGISTRY): string[] {
  return registry.map((r) => r.type).sort();
}

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** IAM actions the member audit role needs beyond SecurityAudit: sorted, unique. */
export function iamActions(registry: readonly AnyResourceType[] = REGISTRY): string[] {
  return sortedUnique(registry.flatMap((r) => r.iamActions));
}

/** Every (eventSource, eventName, rule) a type listens to: its own service's events, then related ones. */
export function typeEvents(type: AnyResourceType): { source: string; name: string; rule: EventRule<unknown> }[] {
  const own = Object.entries(type.events).map(([name, rule]) => ({ source: type.eventSource, name, rule }));
  const related = Object.entries(type.relatedEvents ?? {}).flatMap(([source, rules]) =>
    Object.entries(rules).map(([name, rule]) => ({ source, name, rule })),
  );
  return [...own, ...related];
}

/** eventSource → the event names bound under it, both sorted. */
export function eventNamesBySource(registry: readonly AnyResourceType[] = REGISTRY): Map<string, string[]> {
  const by = new Map<string, Set<string>>();
  for (const t of registry) for (const e of typeEvents(t)) by.set(e.source, (by.get(e.source) ?? new Set()).add(e.name));
  return new Map([...by.keys()].sort().map((s) => [s, sortedUnique(by.get(s)!)]));
}

/** CloudTrail event sources of the registry's events, sorted (e.g. `s3.amazonaws.com`). */
export function eventSources(registry: readonly AnyResourceType[] = REGISTRY): string[] {
  return [...eventNamesBySource(registry).keys()];
}

/** CloudTrail event names of the registry's events, sorted. */
export function eventNames(registry: readonly AnyResourceType[] = REGISTRY): string[] {
  return sortedUnique([...eventNamesBySource(registry).values()].flat());
}

/** One resource type's rule for one CloudTrail event. */
export interface EventBinding {
  type: AnyResourceType;
  rule: EventRule<unknown>;
}

export type EventMap = ReadonlyMap<string, ReadonlyMap<string, readonly EventBinding[]>>;

/** eventSource → eventName → the (type, rule) pairs it triggers (one event can touch several
 *  types, e.g. IAM events for users and the password policy share `iam.amazonaws.com`). */
export function eventMap(registry: readonly AnyResourceType[] = REGISTRY): EventMap {
  const map = new Map<string, Map<string, EventBinding[]>>();
  for (const type of registry) {
    for (const { source, name, rule } of typeEvents(type)) {
      let byName = map.get(source);
      if (!byName) map.set(source, (byName = new Map()));
      let bindings = byName.get(name);
      if (!bindings) byName.set(name, (bindings = []));
      bindings.push({ type, rule });
    }
  }
  return map;
}

let registryEventMap: EventMap | undefined;

/** The (type, rule) pairs one CloudTrail event triggers; [] when no type cares about it.
 *  Without `map`, REGISTRY's map (built once: REGISTRY is frozen). */
export function eventRules(eventSource: string, eventName: string, map?: EventMap): readonly EventBinding[] {
  const m = map ?? (registryEventMap ??= eventMap());
  return m.get(eventSource)?.get(eventName) ?? [];
}

/** The EventBridge pattern for the member-account rule: CloudTrail API calls of the registry's
 *  sources and names that did not fail (no `errorCode`). One pattern covers all sources; the
 *  real-time path drops the rare source/name pair that no type binds. */
export function memberEventPattern(registry: readonly AnyResourceType[] = REGISTRY): Record<string, unknown> {
  return eventPatternOf(eventSources(registry), eventNames(registry));
}

/** The member pattern for some sources and event names. */
export function eventPatternOf(sources: string[], names: string[]): Record<string, unknown> {
  return {
    source: sortedUnique(sources.map((s) => `aws.${s.replace(/\.amazonaws\.com$/, '')}`)),
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: {
      eventSource: sources,
      eventName: names,
      errorCode: [{ exists: false }],
    },
  };
}
