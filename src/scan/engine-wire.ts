/**
 * The policy engine's reply on the wire (python-runtime/posture_engine/wire.py), declared once
 * for both evaluators — the engine Lambda's response and the local worker's reply lines: each
 * policy's fixed fields once under `policies`, each result only what differs from them (a PASS
 * carries no text), and `next` when the engine cut the reply at its byte budget (the index of the
 * first resource left out, which the caller sends again), and `retry` for resources whose policies
 * wait for looked-up resources (see lookups.ts). Expanded here to full PolicyResults.
 */
import { z } from 'zod';
import { type PolicyResult, SEVERITIES } from '#core/types.ts';
import type { Resource } from '#core/resource.ts';
import type { LookupSource } from '#core/types.ts';
import { LookupCache, MAX_LOOKUP_ROUNDS } from './lookups.ts';

const severity = z.enum(SEVERITIES as unknown as [string, ...string[]]);

const policySchema = z.object({
  severity,
  description: z.string().nullable(),
  runbook: z.string().nullable(),
  reference: z.string().nullable(),
  destinations: z.array(z.string()).nullable(),
});

const compactResultSchema = z
  .object({
    policyId: z.string().min(1),
    resourceId: z.string().min(1),
    status: z.enum(['PASS', 'FAIL', 'ERROR']),
    errorMessage: z.string().nullable().optional(),
    severity: severity.optional(),
    title: z.string().nullable().optional(),
    dedup: z.string().nullable().optional(),
    suppressed: z.boolean().optional(),
    alertContext: z.unknown().optional(),
    description: z.string().nullable().optional(),
    runbook: z.string().nullable().optional(),
    reference: z.string().nullable().optional(),
    destinations: z.array(z.string()).nullable().optional(),
    outputErrors: z.array(z.string()).optional(),
  })
  .strict();

export const engineReplySchema = z.object({
  policies: z.record(z.string(), policySchema),
  results: z.array(compactResultSchema),
  next: z.number().int().min(1).optional(),
  /** Resources left out until the IDs their policies looked up are supplied (index into the request). */
  retry: z.array(z.object({ index: z.number().int().min(0), lookups: z.array(z.string().min(1)).min(1) })).optional(),
  bundleVersion: z.string().optional(),
});
export type EngineReply = z.infer<typeof engineReplySchema>;

/** The full results of a reply to `resources`, and where to continue when the engine cut it short. */
export function expandReply(raw: unknown, resources: readonly Resource[]): { results: PolicyResult[]; next?: number; retry?: { index: number; lookups: string[] }[] } {
  const parsed = engineReplySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`policy engine reply: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const reply = parsed.data;
  const types = new Map(resources.map((r) => [r.ResourceId, r.ResourceType]));
  const results = reply.results.map((r): PolicyResult => {
    const policy = reply.policies[r.policyId];
    if (!policy) throw new Error(`policy engine reply: result of ${r.policyId} without its policy`);
    const resourceType = types.get(r.resourceId);
    if (!resourceType) throw new Error(`policy engine reply: result for ${r.resourceId}, which was not sent`);
    return {
      errorMessage: null,
      title: null,
      dedup: null,
      suppressed: false,
      alertContext: null,
      ...policy,
      severity: policy.severity as PolicyResult['severity'],
      ...r,
      resourceType,
    } as PolicyResult;
  });
  if (reply.next !== undefined && reply.next >= resources.length) throw new Error(`policy engine reply: next ${reply.next} is past the ${resources.length} resources sent`);
  for (const r of reply.retry ?? []) {
    if (r.index >= (reply.next ?? resources.length)) throw new Error(`policy engine reply: retry of resource ${r.index}, which was not evaluated`);
  }
  return { results, ...(reply.next === undefined ? {} : { next: reply.next }), ...(reply.retry?.length ? { retry: reply.retry } : {}) };
}

/** One engine request: resources, and the looked-up resources their policies asked for. */
export type EngineCall = (resources: readonly Resource[], lookups?: Record<string, Resource | null>) => Promise<unknown>;

/**
 * Evaluates `batch` through `call`, sending again what the engine left out until every resource is
 * answered: the rest after a budget cut, and resources waiting for lookups, with them read from `source`.
 */
export async function evaluateAll(batch: readonly Resource[], call: EngineCall, source?: LookupSource): Promise<PolicyResult[]> {
  const out: PolicyResult[] = [];
  const cache = new LookupCache(source);
  const wanted = new Map<Resource, Set<string>>();
  let rest = batch;
  for (let round = 0; rest.length; ) {
    const ids = new Set(rest.flatMap((r) => [...(wanted.get(r) ?? [])]));
    const { results, next, retry } = expandReply(await call(rest, ids.size ? cache.subset(ids) : undefined), rest);
    out.push(...results);
    const again: Resource[] = [];
    if (retry) {
      if (++round > MAX_LOOKUP_ROUNDS) throw new Error(`policy engine: resource lookups did not settle in ${MAX_LOOKUP_ROUNDS} rounds (${rest[retry[0]!.index]!.ResourceId})`);
      for (const { index, lookups } of retry) {
        const resource = rest[index]!;
        await cache.supply(lookups, resource.ResourceId);
        wanted.set(resource, new Set([...(wanted.get(resource) ?? []), ...lookups]));
        again.push(resource);
      }
    }
    rest = [...again, ...(next === undefined ? [] : rest.slice(next))];
  }
  return out;
}
