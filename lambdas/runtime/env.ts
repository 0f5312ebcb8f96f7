/**
 * The Lambda environment contract: the CDK stack sets these variables, handlers read them once
 * with `readLambdaEnv()`; both use this file so that names cannot drift.
 */
import { z } from 'zod';
import { TABLES, tableEnvVar, type TableId, type TableNames } from '#store/tables.ts';
import { DEFAULT_HISTORY_DAYS } from '#store/history-store.ts';
import { AUDIT_ROLE_NAME_PATTERN, BUCKET_NAME_PATTERN, DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';

export const ENV = {
  scanBucket: 'SCAN_BUCKET',
  engineFunction: 'ENGINE_FUNCTION_NAME',
  alertsTopic: 'ALERTS_TOPIC_ARN',
  auditRoleName: 'AUDIT_ROLE_NAME',
  realtimeDelayQueue: 'REALTIME_DELAY_QUEUE_URL',
  realtimeDeadLetterQueue: 'REALTIME_DLQ_URL',
  alertDeliveryDeadLetterQueue: 'ALERT_DELIVERY_DLQ_URL',
  scanTimeBudgetMs: 'SCAN_TIME_BUDGET_MS',
  historyDays: 'HISTORY_RETENTION_DAYS',
} as const;

const schema = z.object({
  tables: z.record(z.string(), z.string().min(1)),
  scanBucket: z.string().min(1),
  engineFunction: z.string().min(1),
  alertsTopic: z.string().min(1),
  auditRoleName: z.string().regex(AUDIT_ROLE_NAME_PATTERN, 'must be an IAM role name').default(DEFAULT_AUDIT_ROLE_NAME),
  realtimeDelayQueue: z.string().min(1),
  realtimeDeadLetterQueue: z.string().min(1),
  alertDeliveryDeadLetterQueue: z.string().min(1),
  scanTimeBudgetMs: z.coerce.number().int().positive().default(600_000),
  historyDays: z.coerce.number().int().min(1).max(3650).default(DEFAULT_HISTORY_DAYS),
  region: z.string().min(1),
});

export type LambdaEnv = Omit<z.infer<typeof schema>, 'tables'> & { tables: TableNames };

export function readLambdaEnv(env: NodeJS.ProcessEnv = process.env): LambdaEnv {
  const tables = Object.fromEntries((Object.keys(TABLES) as TableId[]).map((id) => [id, env[tableEnvVar(id)]]));
  const parsed = schema.safeParse({
    tables,
    scanBucket: env[ENV.scanBucket],
    engineFunction: env[ENV.engineFunction],
    alertsTopic: env[ENV.alertsTopic],
    auditRoleName: env[ENV.auditRoleName],
    realtimeDelayQueue: env[ENV.realtimeDelayQueue],
    realtimeDeadLetterQueue: env[ENV.realtimeDeadLetterQueue],
    alertDeliveryDeadLetterQueue: env[ENV.alertDeliveryDeadLetterQueue],
    scanTimeBudgetMs: env[ENV.scanTimeBudgetMs],
    historyDays: env[ENV.historyDays],
    region: env.AWS_REGION,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Lambda environment: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data as LambdaEnv;
}

/**
 * What the console API function needs on top of the contract (lib/constructs/console.ts sets
 * these on that function only): the account the stack runs in (the wizard's trust policy and
 * templates), the DailyScan state machine (an onboarding's baseline scan) and the policy bucket
 * (publishing the active bundle, src/publish/active-bundle.ts).
 */
export const CONSOLE_ENV = {
  securityAccountId: 'SECURITY_ACCOUNT_ID',
  stateMachineArn: 'STATE_MACHINE_ARN',
  policyBucket: 'POLICY_BUCKET',
  // Cloud Accounts (the connect wizard): the member template's bucket and parameters, and the
  // audit role names the function may assume (its sts:AssumeRole grant) for verify.
  eventBusArn: 'CENTRAL_EVENT_BUS_ARN',
  templatesBucket: 'MEMBER_TEMPLATES_BUCKET',
  assumableAuditRoleNames: 'ASSUMABLE_AUDIT_ROLE_NAMES',
} as const;

const consoleSchema = z.object({
  securityAccountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit account ID'),
  stateMachineArn: z.string().startsWith('arn:', 'must be a state machine ARN'),
  policyBucket: z.string().min(1),
  eventBusArn: z.string().startsWith('arn:', 'must be an event bus ARN'),
  templatesBucket: z.string().min(1),
  /** Comma-separated; each an IAM role name. */
  assumableAuditRoleNames: z
    .string()
    .transform((v) => v.split(','))
    .pipe(z.array(z.string().regex(AUDIT_ROLE_NAME_PATTERN, 'must be comma-separated IAM role names')).min(1)),
});
export type ConsoleEnv = z.output<typeof consoleSchema>;

export function readConsoleEnv(env: NodeJS.ProcessEnv = process.env): ConsoleEnv {
  const parsed = consoleSchema.safeParse(Object.fromEntries(Object.entries(CONSOLE_ENV).map(([key, name]) => [key, env[name]])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path[0] as keyof typeof CONSOLE_ENV;
    throw new Error(`Lambda environment: ${CONSOLE_ENV[key] ?? key}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * What the CloudTrail log-file reader needs on top of the contract (lib/constructs/cloudtrail-logs.ts
 * sets these on that function only): the realtime queue it forwards to, its own dead-letter queue,
 * and the trail buckets the deployment reads (comma-separated).
 */
export const LOG_SOURCE_ENV = {
  realtimeQueueUrl: 'REALTIME_QUEUE_URL',
  deadLetterQueueUrl: 'CLOUDTRAIL_LOGS_DLQ_URL',
  buckets: 'CLOUDTRAIL_BUCKETS',
} as const;

const logSourceSchema = z.object({
  realtimeQueueUrl: z.string().min(1),
  deadLetterQueueUrl: z.string().min(1),
  buckets: z
    .string()
    .transform((v) => v.split(','))
    .pipe(z.array(z.string().regex(BUCKET_NAME_PATTERN, 'must be comma-separated S3 bucket names')).min(1)),
});
export type LogSourceEnv = z.output<typeof logSourceSchema>;

export function readLogSourceEnv(env: NodeJS.ProcessEnv = process.env): LogSourceEnv {
  const parsed = logSourceSchema.safeParse(Object.fromEntries(Object.entries(LOG_SOURCE_ENV).map(([key, name]) => [key, env[name]])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path[0] as keyof typeof LOG_SOURCE_ENV;
    throw new Error(`Lambda environment: ${LOG_SOURCE_ENV[key] ?? key}: ${issue.message}`);
  }
  return parsed.data;
}
