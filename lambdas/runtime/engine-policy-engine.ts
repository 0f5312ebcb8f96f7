/**
 * The console's engine port deployed (src/console/policy-engine.ts): every draft goes to the engine
 * function's console actions (python-runtime/posture_engine/console_actions.py), which run its code
 * in a confined child of the engine — never in the console API function. The impact of publishing
 * is `posture upload`'s own: the engine merges the draft into the running pack, diffs the two and
 * stages the merged bundle under the policy bucket's draft prefix; computeImpact re-evaluates the
 * stored resources with that staged bundle, and a confirmed publish (the previewed hashes, checked
 * against a fresh merge) writes exactly the staged bytes to the active key and applies the impact
 * (publishBundle). Ports are arguments: `request` is one engine invocation.
 */
import { z } from 'zod';
import type { S3Client } from '@aws-sdk/client-s3';
import { impactPreviewSchema, testResultsSchema, type ImpactPreview, type PolicyDraft } from '#console/contract/detections.ts';
import { DraftError, StalePreviewError, type PolicyEngine } from '#console/policy-engine.ts';
import type { ExceptionSource } from '#compliance/exceptions.ts';
import type { Clock } from '#core/types.ts';
import { readObject } from '#publish/active-bundle.ts';
import { BundleDiffSchema, type BundleDiff } from '#publish/bundle-diff.ts';
import { computeImpact, type ImpactDeps } from '#publish/impact.ts';
import { publishBundle, writtenCounts, type PublishPorts } from '#publish/publish-bundle.ts';
import { resourceTypeNames } from '#resources/index.ts';
import { unscannedPantherTypes } from '#resources/panther-types.ts';
import { RequestEvaluator, type EngineRequest } from '#scan/evaluators.ts';
import type { ComplianceStore } from '#store/compliance-store.ts';
import type { ResourceStore } from '#store/resource-store.ts';

export interface EnginePolicyEnginePorts {
  /** One invocation of the engine function: its JSON reply (a function error throws). */
  request: EngineRequest;
  /** The policy bucket: the engine stages merged bundles there; a publish writes its active key. */
  s3: S3Client;
  bucket: string;
  resources: ImpactDeps['resources'] & Pick<ResourceStore, 'getMany'>;
  compliance: Pick<ComplianceStore, 'forResource' | 'apply' | 'removePairs'>;
  exceptions: ExceptionSource;
  clock: Clock;
  /** Called after a publish wrote the active key (the console drops its kept catalog). */
  onPublished?: () => void;
}

/** Any action's refusal of the draft: invalid, does not load, tests fail, or out of time. */
const draftErrorSchema = z.object({ draftError: z.string() });
const exportSchema = z.object({ source: z.string().nullable(), policy: z.object({ spec: z.record(z.string(), z.unknown()), source: z.string() }).nullable() });
const bundleSchema = z.object({ diff: BundleDiffSchema, staged: z.string().nullable() });

const parse = <S extends z.ZodType>(schema: S, reply: unknown, action: string): z.infer<S> => {
  const parsed = schema.safeParse(reply);
  if (!parsed.success) throw new Error(`policy engine: ${action}: unexpected reply: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data as z.infer<S>;
};

export function enginePolicyEngine(ports: EnginePolicyEnginePorts): PolicyEngine {
  // The types a draft's spec may name, as `posture test` accepts them (engineTypeArgs).
  const knownTypes = [...resourceTypeNames(), ...unscannedPantherTypes()];
  /** One console action; the engine's refusal of the draft is the caller's DraftError (400). */
  const act: EngineRequest = async (payload) => {
    const reply = await ports.request(payload);
    const refused = draftErrorSchema.safeParse(reply);
    if (refused.success) throw new DraftError(refused.data.draftError);
    return reply;
  };
  const bundle = async (draft: PolicyDraft) => parse(bundleSchema, await act({ action: 'bundle', draft, knownTypes }), 'bundle');
  /** The impact of the merged bundle staged as `diff.newHash`, on the stored inventory (`posture upload`'s). */
  const impactOf = (diff: BundleDiff) =>
    computeImpact(
      {
        resources: ports.resources,
        compliance: ports.compliance,
        evaluator: new RequestEvaluator((payload) => act({ ...payload, action: 'evaluate', bundle: diff.newHash })),
        exceptions: ports.exceptions,
        clock: ports.clock,
      },
      diff,
      diff.affectedTypes ?? resourceTypeNames(),
    );
  const label = (diff: BundleDiff) => `the active bundle ${diff.oldHash.slice(0, 12)}`;

  return {
    async policy(policyId) {
      const reply = parse(exportSchema, await act({ action: 'export', policyId }), 'export');
      return reply.policy && { spec: reply.policy.spec as PolicyDraft['spec'], source: reply.policy.source };
    },

    async runTests(draft) {
      return parse(testResultsSchema, await act({ action: 'test', draft, knownTypes }), 'test');
    },

    async evaluate(draft, resources) {
      const evaluator = new RequestEvaluator((payload) => act({ ...payload, action: 'evaluate', draft, knownTypes }));
      return (await evaluator.evaluate(resources, ports.resources)).filter((r) => r.policyId === draft.spec.PolicyID);
    },

    async preview(draft): Promise<ImpactPreview> {
      const { diff } = await bundle(draft);
      const hash = { fromHash: diff.oldHash, toHash: diff.newHash };
      if (diff.oldHash === diff.newHash) {
        return impactPreviewSchema.parse({ unchanged: true, from: label(diff), hash, resources: 0, policies: [], totals: { newFailures: 0, resolved: 0, suppressedByException: 0, newErrors: 0 } });
      }
      const { impact } = await impactOf(diff);
      return impactPreviewSchema.parse({ unchanged: false, from: label(diff), hash, resources: impact.resources, policies: impact.policies, totals: impact.totals });
    },

    async publish(draft, confirm) {
      const { diff, staged } = await bundle(draft);
      if (confirm.fromHash !== diff.oldHash || confirm.toHash !== diff.newHash) {
        throw new StalePreviewError(`the bundles are no longer the previewed ones (${confirm.fromHash.slice(0, 12)} → ${confirm.toHash.slice(0, 12)}, now ${diff.oldHash.slice(0, 12)} → ${diff.newHash.slice(0, 12)}); nothing was published`);
      }
      if (!staged) return { contentHash: diff.newHash, versionId: null, written: { changed: 0, removed: 0, alertsOpened: 0, alertsResolved: 0 } };
      const { writes } = await impactOf(diff);
      const data = await readObject(ports.s3, { bucket: ports.bucket, key: staged });
      if (!data) throw new Error(`s3://${ports.bucket}/${staged}: the staged bundle is gone; preview again`);
      // No alert delivery here: in the stack the Alerts table stream delivers what the writes open or resolve.
      const publish: PublishPorts = { s3: ports.s3, bucket: ports.bucket, compliance: ports.compliance, clock: ports.clock };
      const { versionId, written } = await publishBundle(publish, data, diff.newHash, writes);
      ports.onPublished?.();
      return { contentHash: diff.newHash, versionId, written: writtenCounts(written) };
    },
  };
}
