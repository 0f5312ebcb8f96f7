/**
 * The organization-scale model (`posture cost --model`, docs/scale.md): a daily scan of N accounts
 * × R regions with a registry, multiplied out from the registry (scope per type, declared API calls)
 * and a per-scope usage profile (scale-profile.ts) — scopes, Lambda, Step Functions, DynamoDB, S3,
 * duration at the Map's concurrency, member API rates against documented limits, and cost at the
 * prices of cost.ts. Pure: the CLI gives it the registry, the profile and the sizes.
 */
import { LAMBDA_MEMORY_MB, PLAN_SCAN_TIMEOUT_MINUTES, SCAN_SCOPE_TIMEOUT_MINUTES, SCOPES_PER_BATCH, TIME_BUDGET_SHARE } from '#aws/sizing.ts';
import type { ResourceType } from '#resources/types.ts';
import { API_RATE_LIMITS, HISTORY_EVENTS_PER_INVOCATION, STEP_FUNCTIONS_LIMITS, type ApiRateLimit } from './aws-limits.ts';
import { gb, PRICES, stepFunctionsTransitions, type CostLine, type PriceKey } from './cost.ts';
import { PLAN_ACCOUNT_CONCURRENCY } from './plan.ts';
import type { ScaleProfile } from './scale-profile.ts';

export type ModelType = Pick<ResourceType, 'type' | 'service' | 'scope' | 'apiCalls'>;

export interface ScaleInput {
  accounts: number;
  regions: number;
  registry: readonly ModelType[];
  profile: ScaleProfile;
  /** Where the profile came from (a scan's ledger, bench:scan's documented run, a file). */
  profileSource: string;
  /** The Distributed Map's MaxConcurrency. */
  maxConcurrency: number;
  /** Describe calls a scope keeps in flight (ScanScope's DESCRIBE_CONCURRENCY). */
  describeConcurrency: number;
}

export interface ApiRate {
  service: string;
  types: number;
  /** Calls to the service in one account's home region a day (regional types, plus the global types that run there). */
  callsPerAccountRegion: number;
  /** The busiest sustained rate in one account-region: its costliest scope's calls over its duration, times the batches that may scan the service there at once. */
  perSecond: number;
  /** If every call answered in the profile's latency: the scope's parallel describes, times those batches. */
  ceilingPerSecond: number;
  limit: ApiRateLimit | null;
  /**
   * `ok`: the ceiling is within the limit (or the busiest scopes' calls fit the documented burst);
   * `burst`: the modeled rate is within it, the ceiling not; `throttled`: the modeled rate exceeds
   * it — the clients' adaptive retry mode then slows that scope to the limit (a longer scope, not a
   * failure); `unpublished`: no limit to compare.
   */
  status: 'ok' | 'burst' | 'throttled' | 'unpublished';
}

export interface LimitCheck {
  what: string;
  value: number;
  limit: number;
  unit: string;
  ok: boolean;
}

export interface ScaleModel {
  accounts: number;
  regions: number;
  profileSource: string;
  profile: ScaleProfile;
  types: { regional: number; global: number };
  scopesPerAccount: number;
  scopes: number;
  resources: number;
  plan: { objectBytes: number; batches: number; maxBatchBytes: number; maxStateBytes: number };
  lambda: { scanScopeInvocations: number; scanScopeGbSeconds: number; engineInvocations: number; engineGbSeconds: number; planScanSeconds: number; planScanGbSeconds: number };
  stepFunctions: { childExecutions: number; mapItems: number; invocationsPerBatch: number; transitions: number; historyEventsPerChild: number };
  dynamodb: { firstDayWriteItems: number; steadyDayWriteItems: number; reads: number };
  s3Requests: number;
  duration: { scopeSeconds: number; batchSeconds: number; concurrency: number; hours: number; stateMachineTimeoutHours: number };
  memberApiCalls: number;
  apiRates: ApiRate[];
  limits: LimitCheck[];
  cost: { firstDay: CostLine[]; steadyDay: CostLine[]; firstDayUsd: number; steadyDayUsd: number; per30DaysUsd: number };
}

/** The longest commercial Region name (ap-southeast-2 and the like): plan sizes are upper bounds. */
const REGION_NAME_CHARS = 14;
/** An account ID's 12 digits. */
const ACCOUNT_ID_CHARS = 12;
/** A scan ID (`2026-12-05-05-00-01-1a2b3c4d`) and the cursor a batch carries across invocations
 *  (index, a page token, counts, usage): generous, so the state-size check errs safe. */
const SCAN_ID_CHARS = 40;
const CURSOR_BYTES = 4096;
/** The DailyScan state machine's timeout (lib/constructs/scan-workflow.ts). */
const STATE_MACHINE_TIMEOUT_HOURS = 23;

const scopeJsonBytes = (type: string, region: string) => JSON.stringify({ accountId: '0'.repeat(ACCOUNT_ID_CHARS), region, resourceType: type }).length;

/** Member API calls of one scope of `t` holding `resources` resources (what the registry declares). */
export function scopeCalls(t: ModelType, resources: number, regions: number, pageSize: number): number {
  const pages = Math.max(1, Math.ceil(resources / pageSize));
  return t.apiCalls.perScope + (t.apiCalls.perRegion ?? 0) * regions + t.apiCalls.perPage * pages + t.apiCalls.perResource * resources;
}

export function modelScale(input: ScaleInput): ScaleModel {
  const { accounts, regions, registry, profile: p, maxConcurrency } = input;
  const regional = registry.filter((t) => t.scope === 'regional');
  const global = registry.filter((t) => t.scope === 'global');
  const scopesPerAccount = regional.length * regions + global.length;
  const scopes = accounts * scopesPerAccount;
  const R = p.resourcesPerScope;
  const resources = scopes * R;
  const pages = Math.max(1, Math.ceil(R / p.pageSize));

  // The plan: a JSON array of scopes in S3, read by the ItemReader in batches of SCOPES_PER_BATCH.
  const typeBytes = (ts: readonly ModelType[], region: string) => ts.reduce((n, t) => n + scopeJsonBytes(t.type, region) + 1, 0);
  const objectBytes = 2 + accounts * (typeBytes(regional, 'x'.repeat(REGION_NAME_CHARS)) * regions + typeBytes(global, 'global'));
  const widest = Math.max(0, ...registry.map((t) => scopeJsonBytes(t.type, t.scope === 'global' ? 'global' : 'x'.repeat(REGION_NAME_CHARS)) + 1));
  const batchInput = { scanId: 'x'.repeat(SCAN_ID_CHARS) };
  const maxBatchBytes = JSON.stringify({ Items: [], BatchInput: batchInput }).length + SCOPES_PER_BATCH * widest;
  const maxStateBytes = JSON.stringify({ ...batchInput, scopes: [], done: false }).length + SCOPES_PER_BATCH * widest + CURSOR_BYTES;
  const batches = Math.ceil(scopes / SCOPES_PER_BATCH);

  // Time: fixed + per resource per scope; a batch's scopes run one after another, continuing in a
  // new invocation when the time budget (a share of the timeout) runs out.
  const scopeSeconds = p.secondsPerScope + p.secondsPerResource * R;
  const batchSeconds = Math.min(SCOPES_PER_BATCH, scopes) * scopeSeconds;
  const budgetSeconds = SCAN_SCOPE_TIMEOUT_MINUTES * 60 * TIME_BUDGET_SHARE;
  const invocationsPerBatch = Math.max(1, Math.ceil(batchSeconds / budgetSeconds));
  const scanScopeInvocations = batches * invocationsPerBatch;
  const scanScopeGbSeconds = scopes * scopeSeconds * gb(LAMBDA_MEMORY_MB.scanScope);
  const engineInvocations = R > 0 ? scopes * pages : 0;
  const engineGbSeconds = (resources * p.engineMsPerResource) / 1000 * gb(LAMBDA_MEMORY_MB.engine);
  // PlanScan assumes each account's role and asks DescribeRegions, PLAN_ACCOUNT_CONCURRENCY accounts at once.
  const planScanSeconds = (Math.ceil(accounts / PLAN_ACCOUNT_CONCURRENCY) * 2 * p.callLatencyMs) / 1000;
  const planScanGbSeconds = planScanSeconds * gb(LAMBDA_MEMORY_MB.planScan);
  const hours = ((scopes * scopeSeconds) / Math.min(maxConcurrency, batches || 1) + planScanSeconds) / 3600;

  const transitions = stepFunctionsTransitions(batches, batches * (invocationsPerBatch - 1));
  const historyEventsPerChild = 4 + invocationsPerBatch * HISTORY_EVENTS_PER_INVOCATION;

  // DynamoDB: every resource new on the first day; on a steady day the changed share; one ledger entry per scope.
  const firstDayWriteItems = resources * p.writeItemsPerChangedResource + scopes;
  const steadyDayWriteItems = resources * p.changedShare * p.writeItemsPerChangedResource + scopes;
  const reads = scopes * p.readsPerScope + resources * p.readsPerResource;
  // The plan's PUT and the ItemReader's GET, the map's manifest and result files, the scopes' own.
  const s3Requests = 2 + 3 + scopes * p.s3RequestsPerScope;

  const memberApiCalls = accounts * (registry.reduce((n, t) => n + scopeCalls(t, R, regions, p.pageSize) * (t.scope === 'global' ? 1 : regions), 0) + 2);

  // Member API rates per service in one account's home region.
  const scopesPerAccountRegion = regional.length + global.length;
  const concurrentBatches = Math.min(Math.ceil(scopesPerAccountRegion / SCOPES_PER_BATCH) + 1, maxConcurrency);
  const ceilingPerScope = input.describeConcurrency / (p.callLatencyMs / 1000);
  const services = [...new Set(registry.map((t) => t.service))].sort();
  const apiRates: ApiRate[] = services.map((service) => {
    const ts = registry.filter((t) => t.service === service);
    const calls = ts.map((t) => scopeCalls(t, R, regions, p.pageSize));
    const at = Math.min(ts.length, concurrentBatches);
    const perSecond = at * Math.max(...calls.map((c) => Math.min(c / scopeSeconds, ceilingPerScope)));
    const ceilingPerSecond = at * ceilingPerScope;
    const limit = API_RATE_LIMITS[service] ?? null;
    const fitsBurst = limit?.burst !== undefined && at * Math.max(...calls) <= limit.burst;
    const status = !limit ? 'unpublished' : ceilingPerSecond <= limit.perSecond || fitsBurst ? 'ok' : perSecond <= limit.perSecond ? 'burst' : 'throttled';
    return { service, types: ts.length, callsPerAccountRegion: calls.reduce((n, c) => n + c, 0), perSecond, ceilingPerSecond, limit, status };
  });

  const limits: LimitCheck[] = [
    { what: 'plan object (ItemReader S3 JSON file)', value: objectBytes, limit: STEP_FUNCTIONS_LIMITS.itemReaderObjectBytes, unit: 'bytes' },
    { what: 'a batch (ItemBatcher input)', value: maxBatchBytes, limit: STEP_FUNCTIONS_LIMITS.batchInputBytes, unit: 'bytes' },
    { what: 'ScanScope state input/output', value: maxStateBytes, limit: STEP_FUNCTIONS_LIMITS.payloadBytes, unit: 'bytes' },
    { what: 'Map concurrency', value: maxConcurrency, limit: STEP_FUNCTIONS_LIMITS.maxConcurrency, unit: 'child executions' },
    { what: 'history of one child execution', value: historyEventsPerChild, limit: STEP_FUNCTIONS_LIMITS.executionHistoryEvents, unit: 'events' },
    { what: 'scan duration', value: hours, limit: STATE_MACHINE_TIMEOUT_HOURS, unit: 'hours' },
    { what: 'PlanScan duration', value: planScanSeconds, limit: PLAN_SCAN_TIMEOUT_MINUTES * 60, unit: 'seconds' },
  ].map((l) => ({ ...l, ok: l.value <= l.limit }));

  const line = (item: string, quantity: number, unit: string, price: PriceKey | null): CostLine => ({ item, quantity, unit, price, usd: price ? quantity * PRICES[price] : 0 });
  const common = [
    line('ScanScope compute', scanScopeGbSeconds, 'GB-s', 'lambdaGbSecond'),
    line('ScanScope invocations', scanScopeInvocations, 'requests', 'lambdaRequest'),
    line('PlanScan compute', planScanGbSeconds, 'GB-s', 'lambdaGbSecond'),
    line('Policy engine compute', engineGbSeconds, 'GB-s', 'lambdaGbSecond'),
    line('Policy engine invocations', engineInvocations, 'requests', 'lambdaRequest'),
    line('DynamoDB reads', reads, 'RRU', 'dynamoReadUnit'),
    line('S3 requests', s3Requests, 'requests', 's3Request'),
    line('Step Functions', transitions, 'transitions', 'stepFunctionsTransition'),
    line('Member account API calls', memberApiCalls, 'calls', null),
  ];
  const withWrites = (items: number) => [...common.slice(0, 5), line('DynamoDB writes', items, 'WRU', 'dynamoWriteUnit'), ...common.slice(5)];
  const firstDay = withWrites(firstDayWriteItems);
  const steadyDay = withWrites(steadyDayWriteItems);
  const total = (ls: CostLine[]) => ls.reduce((s, l) => s + l.usd, 0);

  return {
    accounts,
    regions,
    profileSource: input.profileSource,
    profile: p,
    types: { regional: regional.length, global: global.length },
    scopesPerAccount,
    scopes,
    resources,
    plan: { objectBytes, batches, maxBatchBytes, maxStateBytes },
    lambda: { scanScopeInvocations, scanScopeGbSeconds, engineInvocations, engineGbSeconds, planScanSeconds, planScanGbSeconds },
    stepFunctions: { childExecutions: batches, mapItems: scopes, invocationsPerBatch, transitions, historyEventsPerChild },
    dynamodb: { firstDayWriteItems, steadyDayWriteItems, reads },
    s3Requests,
    duration: { scopeSeconds, batchSeconds, concurrency: maxConcurrency, hours, stateMachineTimeoutHours: STATE_MACHINE_TIMEOUT_HOURS },
    memberApiCalls,
    apiRates,
    limits,
    cost: { firstDay, steadyDay, firstDayUsd: total(firstDay), steadyDayUsd: total(steadyDay), per30DaysUsd: total(steadyDay) * 30 },
  };
}
