/**
 * Lambda sizes of the stack's scan path, used by the CDK constructs and by `posture cost` (which
 * prices GB-seconds with them), so the estimate cannot drift from what is deployed.
 */
export const LAMBDA_MEMORY_MB = {
  planScan: 1024,
  /** 1,769 MB is one full vCPU: listing, diffing and hashing are CPU-bound between API calls. */
  scanScope: 1769,
  engine: 1769,
  realtimeRescan: 1024,
  /** Streams gzip log files (decompression and JSON are CPU-bound); memory stays flat (one record at a time). */
  cloudtrailLogs: 1024,
} as const;

/** Scopes per Distributed Map child execution (ItemBatcher.MaxItemsPerBatch). */
export const SCOPES_PER_BATCH = 25;

/** The Distributed Map's default MaxConcurrency (batches at once; CDK context scanMaxConcurrency overrides it). */
export const DEFAULT_SCAN_MAX_CONCURRENCY = 10;

/** PlanScan's Lambda timeout: it plans every account in one invocation. */
export const PLAN_SCAN_TIMEOUT_MINUTES = 5;

/** ScanScope's Lambda timeout, and the share of a function's timeout its scan time budget uses. */
export const SCAN_SCOPE_TIMEOUT_MINUTES = 15;
export const TIME_BUDGET_SHARE = 0.8;
