/**
 * The policy engine's reply on the wire (python-runtime/posture_engine/wire.py), declared once
 * for both evaluators — the engine Lambda's response and the local worker's reply lines: each
 * policy's fixed fields once under `policies`, each result only what differs from them (a PASS
 * carries no text), and `next` when the engine cut the reply at its byte budget (the index of the
 * first resource left out, which the caller sends again). Expanded here to full PolicyResults.
 */
import { z } from 'zod';
import { type PolicyResult, SEVERITIES } from '#core/types.ts';
import type { Resource } from '#core/resource.ts';

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
  bundleVersion: z.string().optional(),
});
export type EngineReply = z.infer<typeof engineReplySchema>;

/** The full results of a reply to `resources`, and where to continue when the engine cut it short. */
export function expandReply(raw: unknown, resources: readonly Resource[]): { results: PolicyResult[]; next?: number } {
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
  return reply.next === undefined ? { results } : { results, next: reply.next };
}

/** Evaluates `batch` through `call`, sending again what the engine left out until every resource is answered. */
export async function evaluateAll(batch: readonly Resource[], call: (resources: readonly Resource[]) => Promise<unknown>): Promise<PolicyResult[]> {
  const out: PolicyResult[] = [];
  let rest = batch;
  while (rest.length) {
    const { results, next } = expandReply(await call(rest), rest);
    out.push(...results);
    rest = next === undefined ? [] : rest.slice(next);
  }
  return out;
}
