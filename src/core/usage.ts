/**
 * What one scope's scan used — member API calls, our DynamoDB and S3 requests, policy-engine time —
 * counted per scope although scopes run side by side on shared SDK clients: the counters live in
 * an AsyncLocalStorage context that the clients' middleware reads at call time. The ledger keeps
 * each scope's usage, and `posture cost` prices the last scan from it.
 */
import { z } from 'zod';
import { AsyncLocalStorage } from 'node:async_hooks';

/** What one scope's scan used; carried across time-budget continuations in the scan cursor. */
export const usageSchema = z.object({
  /** HTTP attempts against member accounts (the scanners' list/describe calls, AssumeRole). */
  memberApiCalls: z.number(),
  /** DynamoDB requests that write (Put/Update/Delete/BatchWrite/TransactWrite). */
  ddbWrites: z.number(),
  /** Items written by those requests (a transaction's or batch's items each count). */
  ddbWriteItems: z.number(),
  /** Other DynamoDB requests (Get/Query/Scan/BatchGet). */
  ddbReads: z.number(),
  /** Requests to our own S3 buckets (offloaded resources, scan parts). */
  s3Requests: z.number(),
  /** Policy-engine evaluations and the milliseconds spent waiting for them. */
  engineCalls: z.number(),
  engineMs: z.number(),
  /** Stored resources read for policies' resource_lookup (absent on entries written before it was counted). */
  lookups: z.number().default(0),
});
export type Usage = z.infer<typeof usageSchema>;

export const emptyUsage = (): Usage => ({ memberApiCalls: 0, ddbWrites: 0, ddbWriteItems: 0, ddbReads: 0, s3Requests: 0, engineCalls: 0, engineMs: 0, lookups: 0 });

export function addUsage(into: Usage, more: Partial<Usage> | undefined): Usage {
  for (const k of Object.keys(into) as (keyof Usage)[]) into[k] += Number(more?.[k] ?? 0);
  return into;
}

const current = new AsyncLocalStorage<Usage>();

/** Runs `fn` with every metered call inside it counted into `usage`. */
export function metered<T>(usage: Usage, fn: () => Promise<T>): Promise<T> {
  return current.run(usage, fn);
}

const DDB_WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** Items a DynamoDB write request writes (from its input). */
function writtenItems(operation: string, input: unknown): number {
  const i = input as { TransactItems?: unknown[]; RequestItems?: Record<string, unknown[]> } | undefined;
  if (operation === 'TransactWriteItemsCommand') return i?.TransactItems?.length ?? 1;
  if (operation === 'BatchWriteItemCommand') return Object.values(i?.RequestItems ?? {}).reduce((n, reqs) => n + (reqs?.length ?? 0), 0);
  return 1;
}

/** Which side of the line a client's calls are on. */
export type Meter = 'member' | 'own';

/** Counts one HTTP attempt of a client into the current context (no context: not counted). */
export function meterCall(meter: Meter, service: string, operation: string, input: unknown): void {
  const u = current.getStore();
  if (!u) return;
  if (meter === 'member') u.memberApiCalls++;
  else if (service === 'dynamodb') {
    if (DDB_WRITES.has(operation)) {
      u.ddbWrites++;
      u.ddbWriteItems += writtenItems(operation, input);
    } else u.ddbReads++;
  } else if (service === 's3') u.s3Requests++;
}

/** Counts one policy-engine evaluation that took `ms`. */
export function meterEngine(ms: number): void {
  const u = current.getStore();
  if (!u) return;
  u.engineCalls++;
  u.engineMs += ms;
}

/** Counts `n` stored resources read for resource_lookup. */
export function meterLookups(n: number): void {
  const u = current.getStore();
  if (u) u.lookups += n;
}
