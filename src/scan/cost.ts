/**
 * The daily cost estimate of a scan (`posture cost` and the console's Scans page): from what the
 * scan recorded in the ledger (per scope: duration, member API calls, DynamoDB and S3 requests, engine time),
 * priced with public on-demand list prices that are printed with the estimate. The daily scan
 * dominates; real-time events are priced per event from the same per-resource figures.
 */
import { LAMBDA_MEMORY_MB, SCOPES_PER_BATCH } from '#aws/sizing.ts';
import { addUsage, emptyUsage, type Usage } from '#core/usage.ts';
import type { LedgerEntry } from '#core/ledger.ts';

/** USD list prices (us-east-1, on-demand, arm64 Lambda) per `per` units — the assumptions printed with every estimate. */
const PRICE_LIST = {
  lambdaGbSecond: { usd: 0.0000133334, per: 1, label: 'Lambda (arm64), GB-seconds' },
  lambdaRequest: { usd: 0.2, per: 1e6, label: 'Lambda requests' },
  dynamoWriteUnit: { usd: 0.625, per: 1e6, label: 'DynamoDB on-demand write request units' },
  dynamoReadUnit: { usd: 0.125, per: 1e6, label: 'DynamoDB on-demand read request units' },
  s3Request: { usd: 0.005, per: 1000, label: 'S3 PUT/LIST requests (GETs cost less)' },
  stepFunctionsTransition: { usd: 0.025, per: 1000, label: 'Step Functions Standard state transitions' },
  eventBridgeEvent: { usd: 1.0, per: 1e6, label: 'EventBridge cross-account events' },
  sqsRequest: { usd: 0.4, per: 1e6, label: 'SQS requests' },
} as const;

export type PriceKey = keyof typeof PRICE_LIST;

/** USD per single unit. */
export const PRICES = Object.fromEntries(Object.entries(PRICE_LIST).map(([k, p]) => [k, p.usd / p.per])) as Record<PriceKey, number>;

/** The prices as printed with an estimate. */
export const PRICE_ASSUMPTIONS: { key: PriceKey; label: string; usd: number; per: number }[] = (Object.keys(PRICE_LIST) as PriceKey[]).map((key) => ({
  key,
  label: PRICE_LIST[key].label,
  usd: PRICE_LIST[key].usd,
  per: PRICE_LIST[key].per,
}));

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  price: PriceKey | null;
  usd: number;
}

export interface CostEstimate {
  scanId: string;
  scopes: number;
  resources: number;
  usage: Usage;
  lines: CostLine[];
  perDayUsd: number;
  per30DaysUsd: number;
  /** One real-time event: its delivery, one resource rescan and its writes. */
  perRealtimeEventUsd: number;
  prices: { key: PriceKey; label: string; usd: number; per: number }[];
  notIncluded: string[];
}

export const gb = (mb: number): number => mb / 1024;

/**
 * State transitions of one DailyScan run (lib/constructs/scan-workflow.ts): around the map PlanScan,
 * the Map, DescribeScanRun, SummarizeScan and its Choice; per batch StartBatch, ScanScope, the
 * MorePages Choice and the child's end; each continuation of a batch one more ScanScope and Choice.
 */
export function stepFunctionsTransitions(batches: number, continuations = 0): number {
  return 6 + batches * 4 + continuations * 2;
}

/** Prices one scan's ledger entries as the daily cost of a schedule that runs it once a day. */
export function estimateCost(scanId: string, entries: readonly LedgerEntry[]): CostEstimate {
  if (entries.length === 0) throw new Error(`scan ${scanId}: no ledger entries (run a scan first)`);
  const usage = entries.reduce((u, e) => addUsage(u, e.usage), emptyUsage());
  const resources = entries.reduce((n, e) => n + e.resourceCount, 0);
  const scopeSeconds = entries.reduce((s, e) => s + Math.max(0, Date.parse(e.finishedAt) - Date.parse(e.startedAt)) / 1000, 0);
  const batches = Math.ceil(entries.length / SCOPES_PER_BATCH);
  // The ledger entry of each scope is one more write, not in its own usage.
  const writeUnits = usage.ddbWriteItems + entries.length;
  const transitions = stepFunctionsTransitions(batches);

  const line = (item: string, quantity: number, unit: string, price: PriceKey | null, usd?: number): CostLine => ({
    item,
    quantity,
    unit,
    price,
    usd: usd ?? (price ? quantity * PRICES[price] : 0),
  });
  const scanGbSeconds = scopeSeconds * gb(LAMBDA_MEMORY_MB.scanScope);
  const engineGbSeconds = (usage.engineMs / 1000) * gb(LAMBDA_MEMORY_MB.engine);
  const lines: CostLine[] = [
    line('ScanScope compute', scanGbSeconds, 'GB-s', 'lambdaGbSecond'),
    line('ScanScope invocations', batches, 'requests', 'lambdaRequest'),
    line('Policy engine compute', engineGbSeconds, 'GB-s', 'lambdaGbSecond'),
    line('Policy engine invocations', usage.engineCalls, 'requests', 'lambdaRequest'),
    line('DynamoDB writes', writeUnits, 'WRU', 'dynamoWriteUnit'),
    line('DynamoDB reads', usage.ddbReads, 'RRU', 'dynamoReadUnit'),
    line('S3 requests', usage.s3Requests, 'requests', 's3Request'),
    line('Step Functions', transitions, 'transitions', 'stepFunctionsTransition'),
    line('Member account API calls', usage.memberApiCalls, 'calls', null),
  ];
  const perDayUsd = lines.reduce((s, l) => s + l.usd, 0);

  // A real-time event: EventBridge delivery to the central bus, SQS send/receive/delete, a
  // RealtimeRescan invocation, and one resource's share of the scan's compute and writes.
  const perResource = resources > 0 ? (perDayUsd - lines.find((l) => l.item === 'Step Functions')!.usd) / resources : 0;
  const perRealtimeEventUsd = PRICES.eventBridgeEvent + 3 * PRICES.sqsRequest + PRICES.lambdaRequest + perResource;

  return {
    scanId,
    scopes: entries.length,
    resources,
    usage,
    lines,
    perDayUsd,
    per30DaysUsd: perDayUsd * 30,
    perRealtimeEventUsd,
    prices: PRICE_ASSUMPTIONS,
    notIncluded: [
      'storage (DynamoDB GB-months, S3), CloudWatch Logs ingestion, KMS requests, X-Ray traces',
      'item sizes above 1 KB (a large resource costs one write unit per KB)',
      'the second write unit of a transactional item (a changed resource with its history version, a transition with its alert or record: DynamoDB charges two units an item in a transaction; counted as one)',
      'member API calls themselves: AWS does not charge for these read-only calls (they cost Lambda time, counted above)',
    ],
  };
}

