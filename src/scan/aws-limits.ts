/**
 * The AWS limits a scan at organization scale runs into, with where AWS documents them: Step
 * Functions' payload and Distributed Map limits (checked against the plan PlanScan writes) and the
 * member-account API request rates the scanners' calls count against. Used by the scale model
 * (scale-model.ts), docs/scale.md and the planning test; AWS changes quotas, so re-check the sources.
 */

/** Step Functions (Standard workflows, Distributed Map). */
export const STEP_FUNCTIONS_LIMITS = {
  /** Input or output of a task, state or execution: 256 KiB (262,144 bytes, UTF-8).
   *  https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html */
  payloadBytes: 262_144,
  /** ItemBatcher MaxInputBytesPerBatch: a batch (its items and BatchInput) stays within 256 KiB.
   *  https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html */
  batchInputBytes: 262_144,
  /** ItemReader: an S3 JSON file of at most 10 GB.
   *  https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html */
  itemReaderObjectBytes: 10 * 1024 ** 3,
  /** Distributed Map MaxConcurrency: at most 10,000 child executions at once.
   *  https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html */
  maxConcurrency: 10_000,
  /** Events in one Standard execution's history (each child execution has its own).
   *  https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html */
  executionHistoryEvents: 25_000,
  /** Open Map Runs per account and Region (one per DailyScan run in progress).
   *  https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html */
  openMapRuns: 1_000,
} as const;

/** History events of one ScanScope invocation in a child execution: TaskStateEntered, TaskScheduled,
 *  TaskStarted, TaskSucceeded, TaskStateExited, then the MorePages Choice's entered and exited. */
export const HISTORY_EVENTS_PER_INVOCATION = 7;

/**
 * A documented per-account, per-Region request-rate limit of a member-account service: the
 * sustained rate (requests per second) of the lowest-limited read call the service's scanners make.
 */
export interface ApiRateLimit {
  perSecond: number;
  /** Requests that may go at once before the sustained rate applies (a token bucket's size), where documented. */
  burst?: number;
  /** Which calls the figure is for, as AWS words it. */
  what: string;
  source: string;
}

/**
 * EC2's figures (and Lambda's page) were checked against AWS's pages when this was written; the
 * CloudTrail, CloudWatch Logs and KMS figures are as last read on the pages cited: re-check them.
 * Services whose per-account, per-Region limits AWS publishes. The others (IAM, S3 bucket
 * configuration reads, DynamoDB, RDS, Redshift, ECS, EKS, ELB, WAFv2, GuardDuty, Config,
 * CloudFormation, ACM) publish none that applies to these reads, or only as adjustable Service
 * Quotas to look up per account: the model reports their rates without a limit, and the SDK's
 * retries (adaptive backoff on throttling errors) absorb bursts.
 */
export const API_RATE_LIMITS: Readonly<Record<string, ApiRateLimit>> = {
  ec2: {
    perSecond: 20,
    burst: 100,
    what: 'non-mutating actions (Describe*): a bucket of 100 tokens per API, refilled at 20 a second',
    source: 'https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html',
  },
  lambda: {
    perSecond: 15,
    what: 'control-plane requests other than invocations, GetFunction and GetPolicy (ListFunctions, ListTags, GetFunctionConfiguration); GetPolicy has its own 15',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  },
  cloudtrail: {
    perSecond: 10,
    what: 'DescribeTrails, GetTrailStatus, GetEventSelectors, ListTags: 10 transactions a second each',
    source: 'https://docs.aws.amazon.com/general/latest/gr/ct.html',
  },
  logs: {
    perSecond: 10,
    what: 'DescribeLogGroups: 10 transactions a second',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html',
  },
  kms: {
    perSecond: 50,
    what: 'ListResourceTags, the lowest of the read operations scanned (ListKeys, DescribeKey, GetKeyPolicy, GetKeyRotationStatus are higher)',
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html',
  },
};
