/**
 * Deployment configuration of the Posture stack, read from CDK context
 * (`cdk.json` "context", or `npx cdk deploy -c key=value`).
 */
import type { Construct } from 'constructs';
import { AUDIT_ROLE_NAME_PATTERN, BUCKET_NAME_PATTERN, DEFAULT_AUDIT_ROLE_NAME } from '#accounts/account.ts';
import { DEFAULT_SCAN_MAX_CONCURRENCY } from '#aws/sizing.ts';
import { DEFAULT_HISTORY_DAYS } from '#store/history-store.ts';
import { chooseFrameworks, FrameworkChoiceError, frameworkNames, type FrameworkChoice } from '#compliance/frameworks/selection.ts';

export interface PostureConfig {
  /** AWS Organization whose accounts may put events on the central bus (`o-...`). */
  organizationId?: string;
  /** Accounts (outside or instead of the Organization) that may put events on the central bus. */
  memberAccountIds: string[];
  /** Optional email subscription on the alerts topic. */
  alertEmail?: string;
  /** EventBridge Scheduler expression of the daily scan (UTC). */
  scanSchedule: string;
  /** MaxConcurrency of the Distributed Map (child executions = batches of scopes). */
  scanMaxConcurrency: number;
  /**
   * Name of the read-only audit role in the member accounts: what the stack assumes in an account
   * onboarded without `--role-name` (the Lambdas' AUDIT_ROLE_NAME) and what the published member
   * template creates by default.
   */
  auditRoleName: string;
  /** Further role names the stack may assume, for accounts onboarded with `--role-name` (default none). */
  additionalAuditRoleNames: string[];
  /** Deploy the web console (CloudFront, HTTP API, Cognito; lib/constructs/console.ts). Default true; `-c console=false` leaves it out. */
  console: boolean;
  /**
   * The console on your own domain: its name and an ACM certificate for it in us-east-1 (both or
   * neither). With them CloudFront enforces TLS 1.2+ for viewers; without, the console is served on
   * the distribution's *.cloudfront.net name with CloudFront's default certificate.
   */
  consoleDomain?: { name: string; certificateArn: string };
  /**
   * The frameworks whose policies the engine runs (`-c posture:frameworks=fsbp,cis`; default CIS,
   * every version, and FSBP; `all` runs every policy): the engine function's POSTURE_REPORTS_DESELECT.
   */
  frameworks: FrameworkChoice;
  /** Days a resource version or transition is kept in the history (`-c posture:historyDays`, default 90; DynamoDB TTL). */
  historyDays: number;
  /**
   * The optional real-time source from CloudTrail log files in S3 (`-c posture:cloudtrailBuckets=a,b`,
   * `-c posture:cloudtrailKmsKey=ARN` when the trail encrypts with SSE-KMS): absent, it is not deployed.
   */
  cloudtrailLogs?: { buckets: string[]; kmsKeyArn?: string };
}

/** Every audit role name the stack may assume (its sts:AssumeRole grant), the default first. */
export function assumableAuditRoleNames(config: Pick<PostureConfig, 'auditRoleName' | 'additionalAuditRoleNames'>): string[] {
  return [...new Set([config.auditRoleName, ...config.additionalAuditRoleNames])];
}

export const DEFAULT_SCAN_SCHEDULE = 'cron(0 5 * * ? *)';
export { DEFAULT_SCAN_MAX_CONCURRENCY };

/** The framework choice's context key (`-c posture:frameworks=fsbp,cis`). */
export const FRAMEWORKS_CONTEXT = 'posture:frameworks';
/** The trail buckets whose log files feed the real-time path, and their SSE-KMS key. */
export const CLOUDTRAIL_BUCKETS_CONTEXT = 'posture:cloudtrailBuckets';
export const CLOUDTRAIL_KMS_KEY_CONTEXT = 'posture:cloudtrailKmsKey';

/** The history retention's context key (`-c posture:historyDays=365`). */
export const HISTORY_DAYS_CONTEXT = 'posture:historyDays';

/** The context keys, for `-c key=value`. */
export const CONTEXT_KEYS = [
  'organizationId',
  'memberAccountIds',
  'alertEmail',
  'scanSchedule',
  'scanMaxConcurrency',
  'auditRoleName',
  'additionalAuditRoleNames',
  'console',
  'consoleDomainName',
  'consoleCertificateArn',
  FRAMEWORKS_CONTEXT,
  HISTORY_DAYS_CONTEXT,
  CLOUDTRAIL_BUCKETS_CONTEXT,
  CLOUDTRAIL_KMS_KEY_CONTEXT,
] as const;

function invalid(key: string, value: unknown, expected: string): Error {
  return new Error(`CDK context "${key}": ${JSON.stringify(value)} is not ${expected}`);
}

/** A comma-separated string or a list (cdk.json), trimmed, empty items and duplicates dropped. */
function stringList(scope: Construct, key: string): string[] {
  const raw: unknown = scope.node.tryGetContext(key);
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : raw === undefined || raw === null ? [] : [String(raw)];
  return [...new Set(list.map((a) => a.trim()).filter((a) => a !== ''))];
}

function optionalString(scope: Construct, key: string): string | undefined {
  const raw: unknown = scope.node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') throw invalid(key, raw, 'a string');
  return raw.trim();
}

/** Reads and validates the configuration; every error names the context key. */
export function readConfig(scope: Construct): PostureConfig {
  const organizationId = optionalString(scope, 'organizationId');
  if (organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(organizationId)) {
    throw invalid('organizationId', organizationId, 'an Organization ID (o-xxxxxxxxxx)');
  }

  const memberAccountIds = stringList(scope, 'memberAccountIds');
  for (const id of memberAccountIds) {
    if (!/^\d{12}$/.test(id)) throw invalid('memberAccountIds', id, 'a 12-digit account ID');
  }

  const alertEmail = optionalString(scope, 'alertEmail');
  if (alertEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alertEmail)) {
    throw invalid('alertEmail', alertEmail, 'an email address');
  }

  const scanSchedule = optionalString(scope, 'scanSchedule') ?? DEFAULT_SCAN_SCHEDULE;
  if (!/^(cron|rate)\(.+\)$/.test(scanSchedule)) {
    throw invalid('scanSchedule', scanSchedule, 'a Scheduler expression, e.g. cron(0 5 * * ? *) or rate(12 hours)');
  }

  const rawConcurrency: unknown = scope.node.tryGetContext('scanMaxConcurrency');
  const scanMaxConcurrency =
    rawConcurrency === undefined || rawConcurrency === null || rawConcurrency === '' ? DEFAULT_SCAN_MAX_CONCURRENCY : Number(rawConcurrency);
  // Distributed Map allows up to 10,000 concurrent child executions.
  if (!Number.isInteger(scanMaxConcurrency) || scanMaxConcurrency < 1 || scanMaxConcurrency > 10_000) {
    throw invalid('scanMaxConcurrency', rawConcurrency, 'an integer between 1 and 10000');
  }

  const auditRoleName = optionalString(scope, 'auditRoleName') ?? DEFAULT_AUDIT_ROLE_NAME;
  if (!AUDIT_ROLE_NAME_PATTERN.test(auditRoleName)) throw invalid('auditRoleName', auditRoleName, 'an IAM role name');
  const additionalAuditRoleNames = stringList(scope, 'additionalAuditRoleNames').filter((n) => n !== auditRoleName);
  for (const name of additionalAuditRoleNames) {
    if (!AUDIT_ROLE_NAME_PATTERN.test(name)) throw invalid('additionalAuditRoleNames', name, 'an IAM role name');
  }

  const rawConsole: unknown = scope.node.tryGetContext('console');
  const consoleFlag = rawConsole === undefined || rawConsole === null || rawConsole === '' ? 'true' : String(rawConsole).trim().toLowerCase();
  if (consoleFlag !== 'true' && consoleFlag !== 'false') throw invalid('console', rawConsole, 'true or false');

  const consoleDomainName = optionalString(scope, 'consoleDomainName');
  const consoleCertificateArn = optionalString(scope, 'consoleCertificateArn');
  if ((consoleDomainName === undefined) !== (consoleCertificateArn === undefined)) {
    throw invalid(consoleDomainName === undefined ? 'consoleCertificateArn' : 'consoleDomainName', consoleDomainName ?? consoleCertificateArn, 'set without its pair: give both consoleDomainName and consoleCertificateArn');
  }
  if (consoleDomainName !== undefined && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(consoleDomainName)) {
    throw invalid('consoleDomainName', consoleDomainName, 'a lowercase DNS name, e.g. posture.example.com');
  }
  if (consoleCertificateArn !== undefined && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/.test(consoleCertificateArn)) {
    throw invalid('consoleCertificateArn', consoleCertificateArn, 'an ACM certificate ARN in us-east-1 (CloudFront reads its certificates there)');
  }
  const frameworks = readFrameworks(scope);
  const rawHistory: unknown = scope.node.tryGetContext(HISTORY_DAYS_CONTEXT);
  const historyDays = rawHistory === undefined || rawHistory === null || rawHistory === '' ? DEFAULT_HISTORY_DAYS : Number(rawHistory);
  if (!Number.isInteger(historyDays) || historyDays < 1 || historyDays > 3650) throw invalid(HISTORY_DAYS_CONTEXT, rawHistory, 'a whole number of days between 1 and 3650');
  const cloudtrailLogs = readCloudTrailLogs(scope);
  const consoleDomain = consoleDomainName && consoleCertificateArn ? { name: consoleDomainName, certificateArn: consoleCertificateArn } : undefined;

  return {
    organizationId,
    memberAccountIds,
    alertEmail,
    scanSchedule,
    scanMaxConcurrency,
    auditRoleName,
    additionalAuditRoleNames,
    console: consoleFlag === 'true',
    consoleDomain,
    frameworks,
    historyDays,
    ...(cloudtrailLogs ? { cloudtrailLogs } : {}),
  };
}

/** `posture:cloudtrailBuckets` (comma-separated bucket names) and its optional `posture:cloudtrailKmsKey`. */
function readCloudTrailLogs(scope: Construct): PostureConfig['cloudtrailLogs'] {
  const buckets = stringList(scope, CLOUDTRAIL_BUCKETS_CONTEXT);
  for (const b of buckets) {
    if (!BUCKET_NAME_PATTERN.test(b)) throw invalid(CLOUDTRAIL_BUCKETS_CONTEXT, b, 'an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens; comma-separate several)');
  }
  const kmsKeyArn = optionalString(scope, CLOUDTRAIL_KMS_KEY_CONTEXT);
  if (kmsKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(kmsKeyArn)) {
    throw invalid(CLOUDTRAIL_KMS_KEY_CONTEXT, kmsKeyArn, 'a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)');
  }
  if (buckets.length === 0) {
    if (kmsKeyArn !== undefined) throw invalid(CLOUDTRAIL_KMS_KEY_CONTEXT, kmsKeyArn, `used without ${CLOUDTRAIL_BUCKETS_CONTEXT}: name the trail buckets too`);
    return undefined;
  }
  return { buckets, ...(kmsKeyArn ? { kmsKeyArn } : {}) };
}

/** `posture:frameworks`, resolved as `posture scan --frameworks` resolves it: an unknown name fails synth in one line. */
function readFrameworks(scope: Construct): FrameworkChoice {
  const given = scope.node.tryGetContext(FRAMEWORKS_CONTEXT) as unknown;
  if (given === undefined || given === null) return chooseFrameworks();
  const names = Array.isArray(given) ? frameworkNames(given.map(String)) : typeof given === 'string' ? frameworkNames(given) : undefined;
  try {
    if (names === undefined) throw new FrameworkChoiceError('expected a comma-separated list or a list of framework names');
    return chooseFrameworks(names);
  } catch (err) {
    if (err instanceof FrameworkChoiceError) throw new Error(`CDK context "${FRAMEWORKS_CONTEXT}": ${err.message}`);
    throw err;
  }
}
