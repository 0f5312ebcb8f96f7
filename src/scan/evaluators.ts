/**
 * Evaluator adapters: the engine Lambda (deployed) and the long-lived Python worker (local).
 * Both batch resources so that one request stays under Lambda's 6 MB synchronous payload limit.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Resource } from '#core/resource.ts';
import type { Evaluator, LookupSource, PolicyResult } from '#core/types.ts';
import { evaluateAll } from './engine-wire.ts';

/** Request budget per engine call (the engine keeps its responses under 4 MB itself). */
const MAX_REQUEST_BYTES = 5_000_000;

/** Splits resources into batches whose JSON stays under `maxBytes`. A single larger resource
 *  still goes alone (the engine Lambda then rejects it and the scope records the error). */
export function batchBySize(resources: readonly Resource[], maxBytes = MAX_REQUEST_BYTES): Resource[][] {
  const batches: Resource[][] = [];
  let current: Resource[] = [];
  let size = 0;
  for (const r of resources) {
    const n = Buffer.byteLength(JSON.stringify(r)) + 1;
    if (current.length && size + n > maxBytes) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(r);
    size += n;
  }
  if (current.length) batches.push(current);
  return batches;
}

/** One request to an engine (a JSON object) and its parsed JSON reply; an engine failure throws. */
export type EngineRequest = (payload: Record<string, unknown>) => Promise<unknown>;

/**
 * An engine reached one request at a time (the engine function, or its console actions, which
 * add their own fields to each request): batched under the payload limit, continued and supplied
 * with lookups as the engine's replies ask (engine-wire.ts).
 */
export class RequestEvaluator implements Evaluator {
  constructor(private readonly request: EngineRequest) {}

  async evaluate(resources: readonly Resource[], lookups?: LookupSource): Promise<PolicyResult[]> {
    const out: PolicyResult[] = [];
    for (const batch of batchBySize(resources)) {
      // The engine keeps each response under its byte budget and says where to continue (engine-wire.ts).
      out.push(...(await evaluateAll(batch, (rest, supplied) => this.request({ resources: rest, ...(supplied ? { lookups: supplied } : {}) }), lookups)));
    }
    return out;
  }
}

/** One synchronous invocation of the engine function, as an EngineRequest. */
export function lambdaRequest(lambda: LambdaClient, functionName: string): EngineRequest {
  return async (payload) => {
    const r = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
    const text = r.Payload ? Buffer.from(r.Payload).toString('utf8') : '';
    if (r.FunctionError) throw new Error(`policy engine ${functionName} failed: ${text.slice(0, 500)}`);
    return JSON.parse(text) as unknown;
  };
}

export class LambdaEvaluator extends RequestEvaluator {
  constructor(lambda: LambdaClient, functionName: string) {
    super(lambdaRequest(lambda, functionName));
  }
}
