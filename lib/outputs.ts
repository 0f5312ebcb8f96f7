/** Keys of the stack's CloudFormation outputs (what `posture ... --stack NAME` reads). */
import type { TableId } from '#store/tables.ts';

export const OUTPUTS = {
  eventBusArn: 'CentralEventBusArn',
  alertsTopicArn: 'AlertsTopicArn',
  alertDeliveryDlqUrl: 'AlertDeliveryDlqUrl',
  stateMachineArn: 'DailyScanStateMachineArn',
  scanBucket: 'ScanBucketName',
  templatesBucket: 'MemberTemplatesBucketName',
  templateReaders: 'MemberTemplateReaders',
  engineFunction: 'EngineFunctionName',
  policyBucket: 'PolicyBucketName',
  activePolicyBundle: 'ActivePolicyBundleUrl',
  builtinPolicyBundle: 'BuiltinPolicyBundleUrl',
  realtimeDelayQueueUrl: 'RealtimeDelayQueueUrl',
  auditRoleName: 'AuditRoleName',
  additionalAuditRoleNames: 'AdditionalAuditRoleNames',
  /** The frameworks chosen at deploy (`-c posture:frameworks`): `cis-3.0, fsbp, ...` or `all`. */
  frameworks: 'Frameworks',
  /** Days the resource history keeps a record (`-c posture:historyDays`). */
  historyDays: 'HistoryRetentionDays',
  /** `label=url,label=url`: every queue where messages park (lib/constructs/monitoring.ts). */
  deadLetterQueueUrls: 'DeadLetterQueueUrls',
  /** Present only with -c posture:cloudtrailBuckets (the CloudTrail log-file source). */
  cloudtrailLogsQueueArn: 'CloudTrailLogsQueueArn',
  cloudtrailLogsReaderRoleArn: 'CloudTrailLogsReaderRoleArn',
  cloudtrailBuckets: 'CloudTrailBuckets',
  /** Present only with the console (-c console=true, the default). */
  consoleUrl: 'ConsoleUrl',
  consoleUserPoolId: 'ConsoleUserPoolId',
  /** The distribution's own *.cloudfront.net name: the target of your DNS record with consoleDomainName. */
  consoleDistributionDomainName: 'ConsoleDistributionDomainName',
} as const;

/** e.g. `ResourcesTableName`, `ScanLedgerTableName`. */
export const tableOutputKey = (id: TableId): string => `${id}TableName`;
